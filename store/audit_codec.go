package store

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// AuditEvent is one row of the audit log: who did what to which subject.
type AuditEvent struct {
	ID         string    `db:"id"`
	Actor      string    `db:"actor"`
	Action     string    `db:"action"`
	Subject    string    `db:"subject"`
	OccurredAt time.Time `db:"occurred_at"`
}

// Audit records one action outside a transaction of its own, such as a use
// of the codec server. The subject names what was acted on, never what it
// holds: the audit log is read by people who may not see personal data.
func (s *Store) Audit(ctx context.Context, actor, action, subject string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO audit_events (id, actor, action, subject, occurred_at) VALUES (?, ?, ?, ?, ?)`),
		uuid.Must(uuid.NewV7()).String(), actor, action, subject, utc(at))
	return err
}

// AuditEvents lists the audit log's rows of an action, oldest first.
func (s *Store) AuditEvents(ctx context.Context, action string) ([]AuditEvent, error) {
	events := []AuditEvent{}
	err := s.db.SelectContext(ctx, &events, s.db.Rebind(`
		SELECT id, actor, action, subject, occurred_at FROM audit_events WHERE action = ? ORDER BY occurred_at, id`), action)
	for i := range events {
		events[i].OccurredAt = events[i].OccurredAt.UTC()
	}
	return events, err
}
