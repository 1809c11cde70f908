package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// OutboxEntry is a notification with its delivery state (one of
// complaint.DeliveryStates).
type OutboxEntry struct {
	complaint.Notification
	Delivery    string     `json:"delivery"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
}

// RecordNotifications writes notifications to the outbox once each: a row
// that exists (same case, clock, kind, level and recipient) is kept as is.
func (s *Store) RecordNotifications(ctx context.Context, ns []complaint.Notification) error {
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
			n.ID, n.OutboxKey(), n.CaseNumber, n.Clock, n.Kind, n.Level, n.Recipient, string(payload),
			utc(n.DueAt), utc(n.CreatedAt), utc(time.Now())); err != nil {
			return fmt.Errorf("record notification %s: %w", n.ID, err)
		}
	}
	return nil
}

// PendingNotifications returns the undelivered notifications of one case or
// process (its complaint.OutboxKey), clock, kind and level.
func (s *Store) PendingNotifications(ctx context.Context, outboxKey, clock, kind string, level int) ([]complaint.Notification, error) {
	var payloads []string
	if err := s.db.SelectContext(ctx, &payloads, s.db.Rebind(`
		SELECT payload FROM notifications
		WHERE complaint_id = ? AND clock = ? AND kind = ? AND level = ? AND delivery = ?
		ORDER BY recipient`), outboxKey, clock, kind, level, complaint.DeliveryPending); err != nil {
		return nil, err
	}
	ns := make([]complaint.Notification, len(payloads))
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
	if delivery == complaint.DeliveryDelivered {
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

// ChannelStates returns the delivery state of each channel tried for
// notification id; a channel missing from the map was never tried.
func (s *Store) ChannelStates(ctx context.Context, id string) (map[string]string, error) {
	var rows []struct {
		Channel string `db:"channel"`
		State   string `db:"state"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT channel, state FROM notification_deliveries WHERE notification_id = ?`), id); err != nil {
		return nil, err
	}
	states := make(map[string]string, len(rows))
	for _, r := range rows {
		states[r.Channel] = r.State
	}
	return states, nil
}

// MarkChannel records how one channel's attempt at notification id ended
// (complaint.DeliveryPending: a transient failure, to be retried). A channel that
// delivered keeps that state.
func (s *Store) MarkChannel(ctx context.Context, id, channel, state string, deliveryErr error) error {
	msg := ""
	if deliveryErr != nil {
		msg = deliveryErr.Error()
	}
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO notification_deliveries (notification_id, channel, state, attempts, last_error, updated_at)
		VALUES (?, ?, ?, 1, ?, ?)
		ON CONFLICT (notification_id, channel) DO UPDATE SET state = excluded.state,
			attempts = notification_deliveries.attempts + 1, last_error = excluded.last_error,
			updated_at = excluded.updated_at
		WHERE notification_deliveries.state <> ?`),
		id, channel, state, msg, utc(time.Now()), complaint.DeliveryDelivered)
	return err
}

// FailedDelivery is one notification given up on over one channel; Channel
// is empty when no channel was ever tried (e.g. the store was down for
// every attempt).
type FailedDelivery struct {
	NotificationID string
	Kind           string
	Channel        string
}

// FailUndelivered gives up on the notifications of one event that are still
// pending once their delivery ran out of attempts: they and their pending
// channels become failed. A row keeps the last error its own attempts
// recorded; one without any gets lastErr. It returns what it failed, for
// metrics, and nothing when run again.
func (s *Store) FailUndelivered(ctx context.Context, outboxKey, clock, kind string, level int, lastErr string) ([]FailedDelivery, error) {
	var failed []FailedDelivery
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var ids []string
		if err := tx.SelectContext(ctx, &ids, tx.Rebind(`
			SELECT id FROM notifications
			WHERE complaint_id = ? AND clock = ? AND kind = ? AND level = ? AND delivery = ?
			ORDER BY recipient`), outboxKey, clock, kind, level, complaint.DeliveryPending); err != nil {
			return err
		}
		now := utc(time.Now())
		for _, id := range ids {
			var channels []string
			if err := tx.SelectContext(ctx, &channels, tx.Rebind(`
				SELECT channel FROM notification_deliveries WHERE notification_id = ? AND state = ?
				ORDER BY channel`), id, complaint.DeliveryPending); err != nil {
				return err
			}
			if len(channels) == 0 {
				channels = []string{""}
			}
			for _, ch := range channels {
				failed = append(failed, FailedDelivery{NotificationID: id, Kind: kind, Channel: ch})
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				UPDATE notification_deliveries SET state = ?, updated_at = ?
				WHERE notification_id = ? AND state = ?`), complaint.DeliveryFailed, now, id, complaint.DeliveryPending); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				UPDATE notifications SET delivery = ?,
					last_error = CASE WHEN last_error = '' THEN ? ELSE last_error END
				WHERE id = ? AND delivery = ?`), complaint.DeliveryFailed, lastErr, id, complaint.DeliveryPending); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("fail undelivered notifications: %w", err)
	}
	return failed, nil
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
		SELECT due_at, recorded_at FROM notifications WHERE kind = ? AND level = ?`), complaint.NotificationEscalation, 1); err != nil {
		return nil, err
	}
	delays := make([]time.Duration, len(rows))
	for i, r := range rows {
		delays[i] = r.RecordedAt.Sub(r.DueAt)
	}
	return delays, nil
}
