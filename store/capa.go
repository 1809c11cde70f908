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

// Corrective actions (migration 00015): the projection of each action's
// workflow, the complaints it is linked to and its timeline. As for RMAs,
// every event is written by an activity keyed by (action, seq), and a row
// never moves back to an older version.

// CapaNumber is the number an action was given when it was opened, and its
// serial, which runs across years and keys its reminders.
type CapaNumber struct {
	Number string `json:"number"`
	Serial int64  `json:"serial"`
}

// RegisterCapa records a new action, its complaints and its first event,
// allocating its number (CAPA-<year opened>-<serial>). For an action
// already registered it returns the number given the first time and
// writes nothing.
func (s *Store) RegisterCapa(ctx context.Context, c complaint.Capa, ev complaint.Event) (CapaNumber, error) {
	var n CapaNumber
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT number, serial FROM capas WHERE id = ?`), c.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.GetContext(ctx, &n.Serial, tx.Rebind(`
			INSERT INTO capa_counters (name, last_number) VALUES ('capa', 1)
			ON CONFLICT (name) DO UPDATE SET last_number = capa_counters.last_number + 1
			RETURNING last_number`)); err != nil {
			return fmt.Errorf("allocate CAPA number: %w", err)
		}
		n.Number = fmt.Sprintf("CAPA-%d-%06d", c.OpenedAt.UTC().Year(), n.Serial)
		c.Number = n.Number
		c.Version = ev.Seq
		snapshot, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO capas (id, number, serial, stage, owner_department, part_number, due_date, overdue,
				opened_at, effective_at, updated_at, version, snapshot)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			c.ID, n.Number, n.Serial, c.Stage, c.OwnerDepartment, c.PartNumber, c.DueDate, c.Overdue,
			utc(c.OpenedAt), effectiveAt(c), utc(ev.OccurredAt), ev.Seq, string(snapshot)); err != nil {
			return fmt.Errorf("insert CAPA: %w", err)
		}
		for _, id := range c.ComplaintIDs {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				INSERT INTO capa_complaints (capa_id, complaint_id) VALUES (?, ?)
				ON CONFLICT (capa_id, complaint_id) DO NOTHING`), c.ID, id); err != nil {
				return fmt.Errorf("link CAPA to complaint %s: %w", id, err)
			}
		}
		return capaEvents.insert(ctx, tx, c.ID, ev)
	})
	return n, err
}

// effectiveAt is when the action was last judged effective, while it is.
func effectiveAt(c complaint.Capa) any {
	if c.Stage != complaint.CapaEffective || c.Verification == nil {
		return nil
	}
	return utc(c.Verification.At)
}

// ApplyCapaEvent appends an event to an action's timeline and replaces its
// projection with the snapshot taken after it; a stale snapshot leaves the
// row as it is.
func (s *Store) ApplyCapaEvent(ctx context.Context, c complaint.Capa, ev complaint.Event) error {
	c.Version = ev.Seq
	snapshot, err := json.Marshal(c)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := capaEvents.insert(ctx, tx, c.ID, ev); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE capas SET stage = ?, due_date = ?, overdue = ?, effective_at = ?, updated_at = ?, version = ?,
				snapshot = ?
			WHERE id = ? AND version < ?`),
			c.Stage, c.DueDate, c.Overdue, effectiveAt(c), utc(ev.OccurredAt), ev.Seq, string(snapshot), c.ID, ev.Seq)
		return err
	})
}

// GetCapa returns an action as last projected, or ErrNotFound.
func (s *Store) GetCapa(ctx context.Context, id string) (complaint.Capa, error) {
	var c complaint.Capa
	err := s.getJSON(ctx, &c, `SELECT snapshot FROM capas WHERE id = ?`, id)
	return c, err
}

// CapaFilter selects actions for a list; empty fields do not filter.
type CapaFilter struct {
	Stage, OwnerDepartment, ComplaintID, PartNumber string
	// Overdue, when set, keeps only overdue (true) or not overdue actions.
	Overdue *bool
	// DueBefore keeps actions due before this date (yyyy-mm-dd).
	DueBefore string
	Limit     int
	Cursor    string
}

// CapaPage is one page of actions, newest first.
type CapaPage struct {
	Capas      []complaint.Capa `json:"capas"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

type capaRow struct {
	ID       string    `db:"id"`
	OpenedAt time.Time `db:"opened_at"`
	Snapshot string    `db:"snapshot"`
}

// ListCapas returns a page of actions matching f, newest first.
func (s *Store) ListCapas(ctx context.Context, f CapaFilter) (CapaPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var w filters
	w.eq("stage", f.Stage)
	w.eq("owner_department", f.OwnerDepartment)
	w.eq("part_number", f.PartNumber)
	if f.ComplaintID != "" {
		w.add("id IN (SELECT capa_id FROM capa_complaints WHERE complaint_id = ?)", f.ComplaintID)
	}
	if f.Overdue != nil {
		w.add("overdue = ?", *f.Overdue)
	}
	if f.DueBefore != "" {
		w.add("due_date < ?", f.DueBefore)
	}
	q, args, err := keysetQuery("SELECT id, opened_at, snapshot FROM capas", w, "opened_at", f.Cursor, f.Limit)
	if err != nil {
		return CapaPage{}, err
	}
	var rows []capaRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return CapaPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r capaRow) (time.Time, string) { return r.OpenedAt, r.ID })
	capas, err := decodeCapas(rows)
	if err != nil {
		return CapaPage{}, err
	}
	return CapaPage{Capas: capas, NextCursor: next}, nil
}

// CapasOfComplaints returns the actions linked to any of the complaints,
// oldest first, each once.
func (s *Store) CapasOfComplaints(ctx context.Context, complaintIDs []string) ([]complaint.Capa, error) {
	if len(complaintIDs) == 0 {
		return nil, nil
	}
	q, args, err := sqlx.In(`SELECT DISTINCT c.id, c.opened_at, c.snapshot FROM capas c
		JOIN capa_complaints l ON l.capa_id = c.id WHERE l.complaint_id IN (?) ORDER BY c.opened_at, c.id`, complaintIDs)
	if err != nil {
		return nil, err
	}
	var rows []capaRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	return decodeCapas(rows)
}

// decodeCapas reads the actions out of their rows' snapshots, in order.
func decodeCapas(rows []capaRow) ([]complaint.Capa, error) {
	out := make([]complaint.Capa, 0, len(rows))
	for _, row := range rows {
		var c complaint.Capa
		if err := json.Unmarshal([]byte(row.Snapshot), &c); err != nil {
			return nil, fmt.Errorf("decode CAPA %s: %w", row.ID, err)
		}
		out = append(out, c)
	}
	return out, nil
}

// CapaTimeline returns an action's events in order.
func (s *Store) CapaTimeline(ctx context.Context, id string) ([]complaint.Event, error) {
	return capaEvents.timeline(ctx, s.db, id)
}

// CapaEventPayloadByUpdate returns the payload of the action's event that
// the update of this id applied, or ErrNotFound.
func (s *Store) CapaEventPayloadByUpdate(ctx context.Context, capaID, updateID string) (json.RawMessage, error) {
	return capaEvents.payloadByUpdate(ctx, s.db, capaID, updateID)
}
