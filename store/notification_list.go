package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// NotificationFilter selects outbox rows for a list; zero fields do not
// filter.
type NotificationFilter struct {
	Recipient   string // a user id
	Delivery    string // one of DeliveryStates
	Kind        string // one of notify.Kinds
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

// NotificationPage returns a page of notifications matching f, ordered by
// created_at (newest first) and id, with keyset pagination like ListCases.
func (s *Store) NotificationPage(ctx context.Context, f NotificationFilter) (NotificationPage, error) {
	var where []string
	var args []any
	eq := func(column, value string) {
		if value != "" {
			where = append(where, column+" = ?")
			args = append(args, value)
		}
	}
	eq("recipient", f.Recipient)
	eq("delivery", f.Delivery)
	eq("kind", f.Kind)
	eq("complaint_id", f.ComplaintID)
	if !f.Since.IsZero() {
		where = append(where, "created_at >= ?")
		args = append(args, utc(f.Since))
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return NotificationPage{}, err
		}
		where = append(where, "(created_at < ? OR (created_at = ? AND id < ?))")
		args = append(args, utc(c.At), utc(c.At), c.ID)
	}
	q := "SELECT id, created_at, payload, delivery, delivered_at, last_error FROM notifications"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// One more row than asked tells whether another page follows.
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, f.Limit+1)

	var rows []struct {
		ID          string     `db:"id"`
		CreatedAt   time.Time  `db:"created_at"`
		Payload     string     `db:"payload"`
		Delivery    string     `db:"delivery"`
		DeliveredAt *time.Time `db:"delivered_at"`
		LastError   string     `db:"last_error"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return NotificationPage{}, err
	}
	page := NotificationPage{Notifications: []OutboxEntry{}}
	for i, r := range rows {
		if i == f.Limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(cursor{At: last.CreatedAt.UTC(), ID: last.ID})
			break
		}
		var e OutboxEntry
		if err := json.Unmarshal([]byte(r.Payload), &e.Notification); err != nil {
			return NotificationPage{}, fmt.Errorf("decode notification %s: %w", r.ID, err)
		}
		e.Delivery, e.DeliveredAt, e.LastError = r.Delivery, r.DeliveredAt, r.LastError
		page.Notifications = append(page.Notifications, e)
	}
	return page, nil
}
