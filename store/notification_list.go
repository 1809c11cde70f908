package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// NotificationFilter selects outbox rows for a list; zero fields do not
// filter.
type NotificationFilter struct {
	Recipient   string // a user id
	Delivery    string // one of complaint.DeliveryStates
	Kind        string // one of complaint.NotificationKinds
	ComplaintID string
	// Since keeps notifications created (their clock fired) at or after it.
	Since time.Time
	// Limit is the page size; Cursor continues after a previous page.
	Limit  int
	Cursor string
}

// NotificationPage is one page of notifications, newest first, and the
// cursor of the next page ("" on the last).
type NotificationPage struct {
	Notifications []OutboxEntry `json:"notifications"`
	NextCursor    string        `json:"next_cursor,omitempty"`
}

// ListNotifications returns a recipient's notifications, newest first; an
// empty recipient lists everyone's.
func (s *Store) ListNotifications(ctx context.Context, recipient string, limit int) ([]OutboxEntry, error) {
	page, err := s.NotificationPage(ctx, NotificationFilter{Recipient: recipient, Limit: limit})
	return page.Notifications, err
}

// notificationRow is a row of a notification list.
type notificationRow struct {
	ID          string     `db:"id"`
	CreatedAt   time.Time  `db:"created_at"`
	Payload     string     `db:"payload"`
	Delivery    string     `db:"delivery"`
	DeliveredAt *time.Time `db:"delivered_at"`
	LastError   string     `db:"last_error"`
}

// NotificationPage returns a page of notifications matching f, ordered by
// created_at (newest first) and id, with keyset pagination like ListCases.
func (s *Store) NotificationPage(ctx context.Context, f NotificationFilter) (NotificationPage, error) {
	var w filters
	w.eq("recipient", f.Recipient)
	w.eq("delivery", f.Delivery)
	w.eq("kind", f.Kind)
	w.eq("complaint_id", f.ComplaintID)
	if !f.Since.IsZero() {
		w.add("created_at >= ?", utc(f.Since))
	}
	q, args, err := keysetQuery("SELECT id, created_at, payload, delivery, delivered_at, last_error FROM notifications",
		w, "created_at", f.Cursor, f.Limit)
	if err != nil {
		return NotificationPage{}, err
	}
	var rows []notificationRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return NotificationPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r notificationRow) (time.Time, string) { return r.CreatedAt, r.ID })
	page := NotificationPage{Notifications: []OutboxEntry{}, NextCursor: next}
	for _, r := range rows {
		var e OutboxEntry
		if err := json.Unmarshal([]byte(r.Payload), &e.Notification); err != nil {
			return NotificationPage{}, fmt.Errorf("decode notification %s: %w", r.ID, err)
		}
		e.Delivery, e.DeliveredAt, e.LastError = r.Delivery, r.DeliveredAt, r.LastError
		page.Notifications = append(page.Notifications, e)
	}
	return page, nil
}
