package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/notify"
)

// Delivery states of an outbox row.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliverySkipped   = "skipped" // no channel applies to the recipient
	DeliveryFailed    = "failed"  // a permanent failure; retrying would not help
)

// OutboxEntry is a notification with its delivery state.
type OutboxEntry struct {
	notify.Notification
	Delivery    string     `json:"delivery"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
}

// RecordNotifications writes notifications to the outbox once each: a row
// that exists (same case, clock, kind, level and recipient) is kept as is.
func (s *Store) RecordNotifications(ctx context.Context, ns []notify.Notification) error {
	for _, n := range ns {
		payload, err := json.Marshal(n)
		if err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, s.db.Rebind(`
			INSERT INTO notifications (id, complaint_id, case_number, clock, kind, level, recipient, payload, due_at,
				created_at, recorded_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (complaint_id, clock, kind, level, recipient) DO NOTHING`),
			n.ID, n.ComplaintID, n.CaseNumber, n.Clock, n.Kind, n.Level, n.Recipient, string(payload),
			utc(n.DueAt), utc(n.CreatedAt), utc(time.Now())); err != nil {
			return fmt.Errorf("record notification %s: %w", n.ID, err)
		}
	}
	return nil
}

// PendingNotifications returns the undelivered notifications of one case,
// clock, kind and level.
func (s *Store) PendingNotifications(ctx context.Context, complaintID, clock, kind string, level int) ([]notify.Notification, error) {
	var payloads []string
	if err := s.db.SelectContext(ctx, &payloads, s.db.Rebind(`
		SELECT payload FROM notifications
		WHERE complaint_id = ? AND clock = ? AND kind = ? AND level = ? AND delivery = ?
		ORDER BY recipient`), complaintID, clock, kind, level, DeliveryPending); err != nil {
		return nil, err
	}
	ns := make([]notify.Notification, len(payloads))
	for i, p := range payloads {
		if err := json.Unmarshal([]byte(p), &ns[i]); err != nil {
			return nil, err
		}
	}
	return ns, nil
}

// MarkDelivery records how a notification's delivery ended.
func (s *Store) MarkDelivery(ctx context.Context, id, delivery string, deliveryErr error) error {
	var delivered any
	if delivery == DeliveryDelivered {
		delivered = utc(time.Now())
	}
	msg := ""
	if deliveryErr != nil {
		msg = deliveryErr.Error()
	}
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		UPDATE notifications SET delivery = ?, delivered_at = ?, last_error = ? WHERE id = ?`),
		delivery, delivered, msg, id)
	return err
}

// ListNotifications returns a recipient's notifications, newest first; an
// empty recipient lists everyone's.
func (s *Store) ListNotifications(ctx context.Context, recipient string, limit int) ([]OutboxEntry, error) {
	q := `SELECT payload, delivery, delivered_at, last_error FROM notifications`
	var args []any
	if recipient != "" {
		q += ` WHERE recipient = ?`
		args = append(args, recipient)
	}
	q += ` ORDER BY created_at DESC, id LIMIT ?`
	args = append(args, limit)
	var rows []struct {
		Payload     string     `db:"payload"`
		Delivery    string     `db:"delivery"`
		DeliveredAt *time.Time `db:"delivered_at"`
		LastError   string     `db:"last_error"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	entries := make([]OutboxEntry, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal([]byte(r.Payload), &entries[i].Notification); err != nil {
			return nil, err
		}
		entries[i].Delivery, entries[i].DeliveredAt, entries[i].LastError = r.Delivery, r.DeliveredAt, r.LastError
	}
	return entries, nil
}

// EscalationDelays returns, for every first-level escalation, how long after
// its deadline it was written to the outbox: the measure of how exactly the
// clocks escalate.
func (s *Store) EscalationDelays(ctx context.Context) ([]time.Duration, error) {
	var rows []struct {
		DueAt      time.Time `db:"due_at"`
		RecordedAt time.Time `db:"recorded_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT due_at, recorded_at FROM notifications WHERE kind = ? AND level = ?`), notify.KindEscalation, 1); err != nil {
		return nil, err
	}
	delays := make([]time.Duration, len(rows))
	for i, r := range rows {
		delays[i] = r.RecordedAt.Sub(r.DueAt)
	}
	return delays, nil
}
