package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// Follow-ups (migration 00017): the projection of each follow-up's
// workflow and its timeline, and what the system's plans read of the
// installed base. As for corrective actions, every event is written by an
// activity keyed by (follow-up, seq), and a row never moves back to an
// older version. Survey links and answers are in survey.go.

// followupColumns are the columns copied from a follow-up's snapshot, in
// the order followupValues gives them.
var followupColumns = []string{"kind", "stage", "customer_id", "serial", "complaint_id", "raised_complaint_id",
	"owner", "owner_department", "branch_office", "due_at", "overdue", "opened_at", "done_at", "survey_state",
	"survey_satisfaction", "survey_would_recommend", "survey_answered_at"}

func followupValues(f complaint.Followup) []any {
	var doneAt, satisfaction, recommend, answeredAt any
	state := ""
	if f.Stage == complaint.FollowupDone && f.Outcome != nil {
		doneAt = utc(f.Outcome.At)
	}
	if sv := f.Survey; sv != nil {
		state = sv.State
		if sv.Answer != nil {
			satisfaction = sv.Answer.Satisfaction
			if sv.Answer.WouldRecommend != nil {
				recommend = *sv.Answer.WouldRecommend
			}
		}
		if sv.AnsweredAt != nil {
			answeredAt = utc(*sv.AnsweredAt)
		}
	}
	return []any{f.Kind, f.Stage, f.CustomerID, f.Serial, f.ComplaintID, f.RaisedComplaintID, f.Owner,
		f.OwnerDepartment, f.BranchOffice, utc(f.DueAt), f.Overdue, utc(f.OpenedAt), doneAt, state, satisfaction,
		recommend, answeredAt}
}

// RegisterFollowup records a new follow-up and its first event (seq 1);
// for one already registered it writes nothing.
func (s *Store) RegisterFollowup(ctx context.Context, f complaint.Followup, ev complaint.Event) error {
	f.Version = ev.Seq
	snapshot, err := json.Marshal(f)
	if err != nil {
		return err
	}
	marks := strings.Repeat("?, ", len(followupColumns)+3) + "?"
	args := append([]any{f.ID}, followupValues(f)...)
	args = append(args, utc(ev.OccurredAt), ev.Seq, string(snapshot))
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO followups (id, `+strings.Join(followupColumns, ", ")+
			`, updated_at, version, snapshot) VALUES (`+marks+`) ON CONFLICT (id) DO NOTHING`), args...)
		if err != nil {
			return fmt.Errorf("insert follow-up: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err // registered before: its first event is there too
		}
		return followupEvents.insert(ctx, tx, f.ID, ev)
	})
}

// ApplyFollowupEvent appends an event to a follow-up's timeline and
// replaces its projection with the snapshot taken after it; a stale
// snapshot leaves the row as it is.
func (s *Store) ApplyFollowupEvent(ctx context.Context, f complaint.Followup, ev complaint.Event) error {
	f.Version = ev.Seq
	snapshot, err := json.Marshal(f)
	if err != nil {
		return err
	}
	set := strings.Join(followupColumns, " = ?, ") + " = ?, updated_at = ?, version = ?, snapshot = ?"
	args := append(followupValues(f), utc(ev.OccurredAt), ev.Seq, string(snapshot), f.ID, ev.Seq)
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := followupEvents.insert(ctx, tx, f.ID, ev); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE followups SET `+set+` WHERE id = ? AND version < ?`), args...)
		return err
	})
}

// GetFollowup returns a follow-up as last projected, or ErrNotFound.
func (s *Store) GetFollowup(ctx context.Context, id string) (complaint.Followup, error) {
	var f complaint.Followup
	err := s.getJSON(ctx, &f, `SELECT snapshot FROM followups WHERE id = ?`, id)
	return f, err
}

// FollowupEvents returns a follow-up's events in order.
func (s *Store) FollowupEvents(ctx context.Context, id string) ([]complaint.Event, error) {
	return followupEvents.timeline(ctx, s.db, id)
}

// FollowupEventPayloadByUpdate returns the payload of the follow-up's event
// that the update of this id applied, or ErrNotFound.
func (s *Store) FollowupEventPayloadByUpdate(ctx context.Context, id, updateID string) (json.RawMessage, error) {
	return followupEvents.payloadByUpdate(ctx, s.db, id, updateID)
}

// FollowupFilter selects follow-ups for a list; empty fields do not filter.
// ComplaintID matches the case a follow-up is about and the complaint it
// raised.
type FollowupFilter struct {
	Kind, Owner, OwnerDepartment, Stage, CustomerID, ComplaintID string
	// Overdue, when set, keeps only overdue (true) or not overdue ones.
	Overdue *bool
	// DueFrom and DueTo keep those with DueFrom <= due_at < DueTo.
	DueFrom, DueTo *time.Time
	Cursor         string
	Limit          int
}

// FollowupPage is one page of follow-ups, soonest due first.
type FollowupPage struct {
	Followups  []complaint.Followup `json:"followups"`
	NextCursor string               `json:"next_cursor,omitempty"`
}

// snapshotRow is a listed row: its id, the time it is ordered by, and its
// snapshot.
type snapshotRow struct {
	ID       string    `db:"id"`
	At       time.Time `db:"at"`
	Snapshot string    `db:"snapshot"`
}

func decodeFollowups(rows []snapshotRow) ([]complaint.Followup, error) {
	out := make([]complaint.Followup, 0, len(rows))
	for _, row := range rows {
		var f complaint.Followup
		if err := json.Unmarshal([]byte(row.Snapshot), &f); err != nil {
			return nil, fmt.Errorf("decode follow-up %s: %w", row.ID, err)
		}
		out = append(out, f)
	}
	return out, nil
}

// ListFollowups returns a page of follow-ups matching f, by due time and
// id, soonest first.
func (s *Store) ListFollowups(ctx context.Context, f FollowupFilter) (FollowupPage, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	var w filters
	w.eq("kind", f.Kind)
	w.eq("owner", f.Owner)
	w.eq("owner_department", f.OwnerDepartment)
	w.eq("stage", f.Stage)
	w.eq("customer_id", f.CustomerID)
	if f.ComplaintID != "" {
		w.add("(complaint_id = ? OR raised_complaint_id = ?)", f.ComplaintID, f.ComplaintID)
	}
	if f.Overdue != nil {
		w.add("overdue = ?", *f.Overdue)
	}
	if f.DueFrom != nil {
		w.add("due_at >= ?", utc(*f.DueFrom))
	}
	if f.DueTo != nil {
		w.add("due_at < ?", utc(*f.DueTo))
	}
	q, args, err := ascendingKeysetQuery("SELECT id, due_at AS at, snapshot FROM followups", w, "due_at", f.Cursor, f.Limit)
	if err != nil {
		return FollowupPage{}, err
	}
	var rows []snapshotRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return FollowupPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r snapshotRow) (time.Time, string) { return r.At, r.ID })
	list, err := decodeFollowups(rows)
	return FollowupPage{Followups: list, NextCursor: next}, err
}

// ascendingKeysetQuery is keysetQuery ordered the other way: oldest (or
// soonest) first, the page after cur holding the rows after its position.
func ascendingKeysetQuery(q string, w filters, column, cur string, limit int) (string, []any, error) {
	if cur != "" {
		c, err := decodeCursor(cur)
		if err != nil {
			return "", nil, err
		}
		w.add("("+column+", id) > (?, ?)", utc(c.At), c.ID)
	}
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	q += " ORDER BY " + column + ", id LIMIT ?"
	return q, append(w.args, limit+1), nil
}

// FollowupsOfComplaint returns the follow-ups about a complaint or that
// raised it, oldest first.
func (s *Store) FollowupsOfComplaint(ctx context.Context, complaintID string) ([]complaint.Followup, error) {
	var rows []snapshotRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT id, opened_at AS at, snapshot FROM followups
		WHERE complaint_id = ? OR raised_complaint_id = ? ORDER BY opened_at, id`), complaintID, complaintID); err != nil {
		return nil, err
	}
	return decodeFollowups(rows)
}

// DeliveredBetween returns the equipment delivered on from <= day < to
// (YYYY-MM-DD), by day and serial, with its customer's branch office; an
// erased customer's is owed no call.
func (s *Store) DeliveredBetween(ctx context.Context, from, to string) ([]followup.Delivery, error) {
	var rows []struct {
		Serial       string `db:"serial"`
		CustomerID   string `db:"customer_id"`
		BranchOffice string `db:"branch_office"`
		DeliveredOn  string `db:"delivered_on"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT e.serial, e.customer_id, c.branch_office, e.delivered_on FROM equipment e
		JOIN customers c ON c.id = e.customer_id
		WHERE e.delivered_on >= ? AND e.delivered_on < ? AND e.delivered_on <> ''
		  AND NOT EXISTS (SELECT 1 FROM customer_erasures x WHERE x.customer_id = c.id)
		ORDER BY e.delivered_on, e.serial`), from, to); err != nil {
		return nil, err
	}
	out := make([]followup.Delivery, 0, len(rows))
	for _, r := range rows {
		out = append(out, followup.Delivery{Serial: r.Serial, CustomerID: r.CustomerID, BranchOffice: r.BranchOffice,
			DeliveredOn: r.DeliveredOn})
	}
	return out, nil
}

// ActiveCustomers returns the customers of the archive with equipment in
// service, under repair or on a loan replacement, or with a complaint
// received at or after since, but none erased (owed no survey, no visit);
// by id.
func (s *Store) ActiveCustomers(ctx context.Context, since time.Time) ([]followup.Customer, error) {
	var rows []struct {
		ID           string `db:"id"`
		KeyCustomer  bool   `db:"key_customer"`
		BranchOffice string `db:"branch_office"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT c.id, c.key_customer, c.branch_office FROM customers c
		WHERE (EXISTS (SELECT 1 FROM equipment e WHERE e.customer_id = c.id AND e.status IN (?, ?, ?))
		   OR EXISTS (SELECT 1 FROM complaints k WHERE k.customer_id = c.id AND k.received_at >= ?))
		  AND NOT EXISTS (SELECT 1 FROM customer_erasures x WHERE x.customer_id = c.id)
		ORDER BY c.id`), complaint.EquipmentInService, complaint.EquipmentUnderRepair,
		complaint.EquipmentOnLoanReplacement, utc(since)); err != nil {
		return nil, err
	}
	out := make([]followup.Customer, 0, len(rows))
	for _, r := range rows {
		out = append(out, followup.Customer{ID: r.ID, KeyCustomer: r.KeyCustomer, BranchOffice: r.BranchOffice})
	}
	return out, nil
}

// LastVisits returns, per customer, when its latest key-customer visit
// done at or after since was done.
func (s *Store) LastVisits(ctx context.Context, since time.Time) (map[string]time.Time, error) {
	var rows []struct {
		CustomerID string    `db:"customer_id"`
		DoneAt     time.Time `db:"done_at"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT customer_id, done_at FROM followups
		WHERE kind = ? AND stage = ? AND done_at >= ?`),
		complaint.FollowupKeyCustomerVisit, complaint.FollowupDone, utc(since)); err != nil {
		return nil, err
	}
	out := map[string]time.Time{}
	for _, r := range rows {
		if last, ok := out[r.CustomerID]; !ok || r.DoneAt.After(last) {
			out[r.CustomerID] = r.DoneAt.UTC()
		}
	}
	return out, nil
}
