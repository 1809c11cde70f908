package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// CaseFilter selects cases for a list; zero fields do not filter.
type CaseFilter struct {
	Stage                 string
	Category              string
	Severity              string
	CustomerID            string
	ResponsibleDepartment string
	// The archive's facts copied at registration: the customer's region,
	// branch office and key flag (nil: either), the warranty status and the
	// equipment serial.
	Region       string
	BranchOffice string
	KeyCustomer  *bool
	Warranty     string
	Serial       string
	// ReceivedFrom and ReceivedTo bound when the complaint was received:
	// from inclusive, to exclusive.
	ReceivedFrom, ReceivedTo time.Time
	// Breached keeps only cases with a breached clock; DueBefore only cases
	// with a running clock due before it.
	Breached  bool
	DueBefore time.Time
	// Limit is the page size; Cursor continues after a previous page.
	Limit  int
	Cursor string
}

// CasePage is one page of cases, newest first, and the cursor of the next
// page ("" on the last).
type CasePage struct {
	Cases      []complaint.Case `json:"complaints"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

// caseRow is a row of a case list.
type caseRow struct {
	ID         string    `db:"id"`
	ReceivedAt time.Time `db:"received_at"`
	Snapshot   string    `db:"snapshot"`
}

// ListCases returns a page of cases matching f, ordered by received time
// (newest first) and id, with keyset pagination so pages stay stable while
// cases are added.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (CasePage, error) {
	var w filters
	w.eq("stage", f.Stage)
	w.eq("category", f.Category)
	w.eq("severity", f.Severity)
	w.eq("customer_id", f.CustomerID)
	w.eq("responsible_department", f.ResponsibleDepartment)
	w.eq("region", f.Region)
	w.eq("branch_office", f.BranchOffice)
	w.eq("warranty", f.Warranty)
	w.eq("equipment_serial", f.Serial)
	if f.KeyCustomer != nil {
		w.add("key_customer = ?", *f.KeyCustomer)
	}
	if !f.ReceivedFrom.IsZero() {
		w.add("received_at >= ?", utc(f.ReceivedFrom))
	}
	if !f.ReceivedTo.IsZero() {
		w.add("received_at < ?", utc(f.ReceivedTo))
	}
	if f.Breached {
		w.add("sla_breached = ?", true)
	}
	if !f.DueBefore.IsZero() {
		w.add("next_due_at < ?", utc(f.DueBefore))
	}
	q, args, err := keysetQuery("SELECT id, received_at, snapshot FROM complaints",
		w, "received_at", f.Cursor, f.Limit)
	if err != nil {
		return CasePage{}, err
	}
	var rows []caseRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return CasePage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r caseRow) (time.Time, string) { return r.ReceivedAt, r.ID })
	page := CasePage{Cases: []complaint.Case{}, NextCursor: next}
	for _, r := range rows {
		var c complaint.Case
		if err := json.Unmarshal([]byte(r.Snapshot), &c); err != nil {
			return CasePage{}, fmt.Errorf("decode case %s: %w", r.ID, err)
		}
		page.Cases = append(page.Cases, c)
	}
	return page, nil
}
