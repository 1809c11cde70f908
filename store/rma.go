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

// Returns and exchanges (migration 00014): the projection of each RMA's
// workflow and its timeline. The workflow writes every event by an
// activity keyed by (RMA, seq), and a row never moves back to an older
// version, so a retried write changes nothing.

// RMANumber is the number an RMA was given at registration, and its
// serial, which runs across years.
type RMANumber struct {
	Number string `json:"number"`
	Serial int64  `json:"serial"`
}

// RegisterRMA records a new RMA and its first event, allocating its number
// (RMA-<year of requested_at>-<serial>). It is idempotent: for an RMA
// already registered it returns the number given the first time and writes
// nothing.
func (s *Store) RegisterRMA(ctx context.Context, r complaint.RMA, ev complaint.Event) (RMANumber, error) {
	var n RMANumber
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT number, serial FROM rmas WHERE id = ?`), r.ID)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// The upsert takes the counter row's lock, so concurrent requests
		// get distinct serials on PostgreSQL and SQLite alike.
		if err := tx.GetContext(ctx, &n.Serial, tx.Rebind(`
			INSERT INTO rma_counters (name, last_number) VALUES ('rma', 1)
			ON CONFLICT (name) DO UPDATE SET last_number = rma_counters.last_number + 1
			RETURNING last_number`)); err != nil {
			return fmt.Errorf("allocate RMA number: %w", err)
		}
		n.Number = fmt.Sprintf("RMA-%d-%06d", r.RequestedAt.UTC().Year(), n.Serial)
		r.Number = n.Number
		r.Version = ev.Seq
		snapshot, err := json.Marshal(r)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO rmas (id, number, serial, kind, stage, customer_id, branch_office, complaint_id, part_number,
				requested_at, updated_at, version, snapshot)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			r.ID, n.Number, n.Serial, r.Kind, r.Stage, r.CustomerID, r.BranchOffice, r.ComplaintID, r.PartNumber,
			utc(r.RequestedAt), utc(ev.OccurredAt), ev.Seq, string(snapshot)); err != nil {
			return fmt.Errorf("insert RMA: %w", err)
		}
		return rmaEvents.insert(ctx, tx, r.ID, ev)
	})
	return n, err
}

// ApplyRMAEvent appends an event to an RMA's timeline and replaces its
// projection with the snapshot taken after it; a stale snapshot (a retried
// write overtaken by a later one) leaves the row as it is.
func (s *Store) ApplyRMAEvent(ctx context.Context, r complaint.RMA, ev complaint.Event) error {
	r.Version = ev.Seq
	snapshot, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := rmaEvents.insert(ctx, tx, r.ID, ev); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE rmas SET stage = ?, updated_at = ?, version = ?, snapshot = ?
			WHERE id = ? AND version < ?`),
			r.Stage, utc(ev.OccurredAt), ev.Seq, string(snapshot), r.ID, ev.Seq)
		return err
	})
}

// GetRMA returns an RMA as last projected, or ErrNotFound.
func (s *Store) GetRMA(ctx context.Context, id string) (complaint.RMA, error) {
	var snapshot string
	err := s.db.GetContext(ctx, &snapshot, s.db.Rebind(`SELECT snapshot FROM rmas WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return complaint.RMA{}, ErrNotFound
	}
	if err != nil {
		return complaint.RMA{}, err
	}
	var r complaint.RMA
	if err := json.Unmarshal([]byte(snapshot), &r); err != nil {
		return complaint.RMA{}, fmt.Errorf("decode RMA %s: %w", id, err)
	}
	return r, nil
}

// RMAFilter selects RMAs for a list; empty fields do not filter.
type RMAFilter struct {
	Stage, BranchOffice, ComplaintID, CustomerID string
	// Limit is the page size; Cursor continues after a previous page.
	Limit  int
	Cursor string
}

// RMAPage is one page of RMAs, newest first, and the cursor of the next
// page ("" on the last).
type RMAPage struct {
	RMAs       []complaint.RMA `json:"returns"`
	NextCursor string          `json:"next_cursor,omitempty"`
}

// rmaRow is a row of an RMA list.
type rmaRow struct {
	ID          string    `db:"id"`
	RequestedAt time.Time `db:"requested_at"`
	Snapshot    string    `db:"snapshot"`
}

// ListRMAs returns a page of RMAs matching f, newest request first.
func (s *Store) ListRMAs(ctx context.Context, f RMAFilter) (RMAPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var w filters
	w.eq("stage", f.Stage)
	w.eq("branch_office", f.BranchOffice)
	w.eq("complaint_id", f.ComplaintID)
	w.eq("customer_id", f.CustomerID)
	q, args, err := keysetQuery("SELECT id, requested_at, snapshot FROM rmas", w, "requested_at", f.Cursor, f.Limit)
	if err != nil {
		return RMAPage{}, err
	}
	var rows []rmaRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return RMAPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r rmaRow) (time.Time, string) { return r.RequestedAt, r.ID })
	page := RMAPage{RMAs: []complaint.RMA{}, NextCursor: next}
	for _, row := range rows {
		var r complaint.RMA
		if err := json.Unmarshal([]byte(row.Snapshot), &r); err != nil {
			return RMAPage{}, fmt.Errorf("decode RMA %s: %w", row.ID, err)
		}
		page.RMAs = append(page.RMAs, r)
	}
	return page, nil
}

// rmaEventRow is an event of an RMA's timeline as stored.
type rmaEventRow struct {
	RMAID      string    `db:"rma_id"`
	Number     string    `db:"number"`
	Seq        int64     `db:"seq"`
	Kind       string    `db:"kind"`
	Actor      string    `db:"actor"`
	Payload    string    `db:"payload"`
	OccurredAt time.Time `db:"occurred_at"`
}

func (r rmaEventRow) event() (complaint.Event, error) {
	ev := complaint.Event{Seq: r.Seq, Kind: r.Kind, Payload: json.RawMessage(r.Payload), OccurredAt: r.OccurredAt.UTC()}
	if err := json.Unmarshal([]byte(r.Actor), &ev.Actor); err != nil {
		return complaint.Event{}, fmt.Errorf("decode actor of RMA event %s/%d: %w", r.RMAID, r.Seq, err)
	}
	return ev, nil
}

// RMATimeline returns an RMA's events in order.
func (s *Store) RMATimeline(ctx context.Context, id string) ([]complaint.Event, error) {
	return rmaEvents.timeline(ctx, s.db, id)
}

// RMAEventPayloadByUpdate returns the payload of the RMA's event that the
// update of this id applied, or ErrNotFound.
func (s *Store) RMAEventPayloadByUpdate(ctx context.Context, rmaID, updateID string) (json.RawMessage, error) {
	return rmaEvents.payloadByUpdate(ctx, s.db, rmaID, updateID)
}

// withRMAEvents merges the events of the RMAs linked to a complaint into its
// timeline: each keeps its RMA's seq and names its RMA, and comes before the
// first of the case's events (in their seq order) that happened after it.
func (s *Store) withRMAEvents(ctx context.Context, complaintID string, events []complaint.Event) ([]complaint.Event, error) {
	var rows []rmaEventRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT e.rma_id, r.number, e.seq, e.kind, e.actor, e.payload, e.occurred_at
		FROM rma_events e JOIN rmas r ON r.id = e.rma_id
		WHERE r.complaint_id = ? ORDER BY e.occurred_at, r.number, e.seq`), complaintID); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return events, nil
	}
	merged := make([]complaint.Event, 0, len(events)+len(rows))
	i := 0
	for _, r := range rows {
		ev, err := r.event()
		if err != nil {
			return nil, err
		}
		ev.RMA = &complaint.RMARef{ID: r.RMAID, Number: r.Number}
		for i < len(events) && !events[i].OccurredAt.After(ev.OccurredAt) {
			merged = append(merged, events[i])
			i++
		}
		merged = append(merged, ev)
	}
	return append(merged, events[i:]...), nil
}
