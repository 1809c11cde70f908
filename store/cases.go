package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// RegisterCase records a new case and its first timeline event, allocating
// its case number. It is idempotent: for a case already registered it
// returns the number given the first time and writes nothing.
func (s *Store) RegisterCase(ctx context.Context, c complaint.Case, ev complaint.Event) (string, error) {
	var number string
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &number, tx.Rebind(`SELECT case_number FROM complaints WHERE id = ?`), c.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		year := c.RegisteredAt.UTC().Year()
		var seq int64
		// The upsert takes the counter row's lock, so concurrent registrations
		// get distinct numbers on PostgreSQL and SQLite alike.
		if err := tx.GetContext(ctx, &seq, tx.Rebind(`
			INSERT INTO case_number_counters (year, last_number) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last_number = case_number_counters.last_number + 1
			RETURNING last_number`), year); err != nil {
			return fmt.Errorf("allocate case number: %w", err)
		}
		number = fmt.Sprintf("CMP-%d-%06d", year, seq)
		c.CaseNumber = number
		f := archiveFactsOf(c)
		c.Version = ev.Seq
		snapshot, err := json.Marshal(c)
		if err != nil {
			return err
		}
		args := append([]any{c.ID, number, c.CustomerID, c.Category, c.Severity, c.Stage,
			utc(c.ReceivedAt), utc(c.RegisteredAt), utc(ev.OccurredAt), ev.Seq, string(snapshot),
			breached(c), nextDue(c), f.region, f.branchOffice, f.keyCustomer, f.warranty, f.serial},
			reviewFactsOf(c).args()...)
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO complaints (id, case_number, customer_id, category, severity, stage,
				received_at, registered_at, updated_at, version, snapshot, sla_breached, next_due_at,
				region, branch_office, key_customer, warranty, equipment_serial, `+reviewFactsColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, `+reviewFactsValues+`)`), args...); err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		return insertEvent(ctx, tx, c.ID, ev)
	})
	return number, err
}

// ApplyEvent appends an event to a case's timeline and replaces the case's
// projection with the snapshot taken after it. A stale snapshot (from a
// retried activity overtaken by a later one) is ignored.
func (s *Store) ApplyEvent(ctx context.Context, c complaint.Case, ev complaint.Event) error {
	return s.ApplyEvents(ctx, c, []complaint.Event{ev})
}

// ApplyEvents appends events in one transaction, with the snapshot taken
// after the last of them.
func (s *Store) ApplyEvents(ctx context.Context, c complaint.Case, evs []complaint.Event) error {
	if len(evs) == 0 {
		return nil
	}
	last := evs[len(evs)-1]
	c.Version = last.Seq
	snapshot, err := json.Marshal(c)
	if err != nil {
		return err
	}
	f := archiveFactsOf(c)
	args := append([]any{c.CustomerID, c.Category, c.Severity, c.Stage, c.ResponsibleDepartment,
		utc(last.OccurredAt), last.Seq, string(snapshot), breached(c), nextDue(c),
		f.region, f.branchOffice, f.keyCustomer, f.warranty, f.serial}, reviewFactsOf(c).args()...)
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		for _, ev := range evs {
			if err := insertEvent(ctx, tx, c.ID, ev); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE complaints SET customer_id = ?, category = ?, severity = ?, stage = ?, responsible_department = ?,
				updated_at = ?, version = ?, snapshot = ?, sla_breached = ?, next_due_at = ?,
				region = ?, branch_office = ?, key_customer = ?, warranty = ?, equipment_serial = ?, `+reviewFactsSet+`
			WHERE id = ? AND version < ?`), append(args, c.ID, last.Seq)...)
		if err != nil {
			return err
		}
		// Field service (field_service.go): records are immutable versions,
		// filed whatever the snapshot's age; the visit rows follow the case
		// only when this snapshot replaced it.
		if err := projectServiceRecords(ctx, tx, c); err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return projectVisitEngineers(ctx, tx, c)
	})
}

func insertEvent(ctx context.Context, tx *sqlx.Tx, caseID string, ev complaint.Event) error {
	actor, err := json.Marshal(ev.Actor)
	if err != nil {
		return err
	}
	payload := ev.Payload
	if len(payload) == 0 {
		payload = json.RawMessage(`{}`)
	}
	var updateID any // NULL for events no update applied
	if ev.UpdateID != "" {
		updateID = ev.UpdateID
	}
	_, err = tx.ExecContext(ctx, tx.Rebind(`
		INSERT INTO case_events (complaint_id, seq, kind, actor, payload, occurred_at, update_id)
		VALUES (?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (complaint_id, seq) DO NOTHING`),
		caseID, ev.Seq, ev.Kind, string(actor), string(payload), utc(ev.OccurredAt), updateID)
	if err != nil {
		return fmt.Errorf("append event %d: %w", ev.Seq, err)
	}
	return nil
}

// EventPayloadByUpdate returns the payload of the case's event that the
// update of this id applied, or ErrNotFound (also for events recorded
// before update ids were kept).
func (s *Store) EventPayloadByUpdate(ctx context.Context, caseID, updateID string) (json.RawMessage, error) {
	var payload string
	err := s.db.GetContext(ctx, &payload, s.db.Rebind(`
		SELECT payload FROM case_events WHERE complaint_id = ? AND update_id = ? ORDER BY seq LIMIT 1`), caseID, updateID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return json.RawMessage(payload), nil
}

// GetCase returns a case's projection, or ErrNotFound.
func (s *Store) GetCase(ctx context.Context, id string) (complaint.Case, error) {
	var c complaint.Case
	err := s.getJSON(ctx, &c, `SELECT snapshot FROM complaints WHERE id = ?`, id)
	return c, err
}

// getJSON reads the one JSON column a query selects by key into dst, or
// returns ErrNotFound.
func (s *Store) getJSON(ctx context.Context, dst any, query string, key string) error {
	var raw string
	err := s.db.GetContext(ctx, &raw, s.db.Rebind(query), key)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(raw), dst); err != nil {
		return fmt.Errorf("decode %s: %w", key, err)
	}
	return nil
}

// Timeline returns a case's events in order.
func (s *Store) Timeline(ctx context.Context, id string) ([]complaint.Event, error) {
	var rows []struct {
		Seq        int64     `db:"seq"`
		Kind       string    `db:"kind"`
		Actor      string    `db:"actor"`
		Payload    string    `db:"payload"`
		OccurredAt time.Time `db:"occurred_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT seq, kind, actor, payload, occurred_at FROM case_events
		WHERE complaint_id = ? ORDER BY seq`), id); err != nil {
		return nil, err
	}
	events := make([]complaint.Event, 0, len(rows))
	for _, r := range rows {
		ev := complaint.Event{Seq: r.Seq, Kind: r.Kind, Payload: json.RawMessage(r.Payload), OccurredAt: r.OccurredAt.UTC()}
		if err := json.Unmarshal([]byte(r.Actor), &ev.Actor); err != nil {
			return nil, fmt.Errorf("decode actor of event %d: %w", r.Seq, err)
		}
		events = append(events, ev)
	}
	// The case's timeline shows its RMAs (rma.go).
	return s.withRMAEvents(ctx, id, events)
}

func (s *Store) inTx(ctx context.Context, fn func(*sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// utc normalises times: TIMESTAMP columns carry no zone, so every write is in
// UTC, truncated to PostgreSQL's microsecond precision.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// archiveFacts are a case's columns region, branch_office, key_customer,
// warranty and equipment_serial: the archive's facts the case copied at
// registration (empty and false where it has none).
type archiveFacts struct {
	region, branchOffice, warranty, serial string
	keyCustomer                            bool
}

func archiveFactsOf(c complaint.Case) archiveFacts {
	f := archiveFacts{serial: c.EquipmentSerial}
	if c.Customer != nil {
		f.region, f.branchOffice, f.keyCustomer = c.Customer.Region, c.Customer.BranchOffice, c.Customer.KeyCustomer
	}
	if c.Warranty != nil {
		f.warranty = c.Warranty.Status
	}
	return f
}

// breached reports whether any of the case's clocks has passed its deadline.
func breached(c complaint.Case) bool {
	if c.Clocks == nil {
		return false
	}
	for _, cl := range []complaint.Clock{c.Clocks.Response, c.Clocks.Onsite, c.Clocks.Resolution} {
		if cl.State == complaint.ClockBreached {
			return true
		}
	}
	return false
}

// nextDue is the earliest deadline of the clocks still running, or nil.
func nextDue(c complaint.Case) any {
	if c.Clocks == nil || c.Stage == complaint.StageClosed {
		return nil
	}
	var next time.Time
	for _, cl := range []complaint.Clock{c.Clocks.Response, c.Clocks.Onsite, c.Clocks.Resolution} {
		if cl.State == complaint.ClockRunning && cl.DueAt != nil && (next.IsZero() || cl.DueAt.Before(next)) {
			next = *cl.DueAt
		}
	}
	if next.IsZero() {
		return nil
	}
	return utc(next)
}
