package store

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
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

// ErrBadCursor is returned for a cursor this store did not hand out.
var ErrBadCursor = errors.New("cursor is not valid")

// cursor is the keyset position after the last row of a page: its time
// (a case's received_at, a notification's created_at) and id.
type cursor struct {
	At time.Time `json:"r"`
	ID string    `json:"i"`
}

// ListCases returns a page of cases matching f, ordered by received time
// (newest first) and id, with keyset pagination so pages stay stable while
// cases are added.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (CasePage, error) {
	var where []string
	var args []any
	eq := func(column, value string) {
		if value != "" {
			where = append(where, column+" = ?")
			args = append(args, value)
		}
	}
	eq("stage", f.Stage)
	eq("category", f.Category)
	eq("severity", f.Severity)
	eq("customer_id", f.CustomerID)
	eq("responsible_department", f.ResponsibleDepartment)
	if !f.ReceivedFrom.IsZero() {
		where = append(where, "received_at >= ?")
		args = append(args, utc(f.ReceivedFrom))
	}
	if !f.ReceivedTo.IsZero() {
		where = append(where, "received_at < ?")
		args = append(args, utc(f.ReceivedTo))
	}
	if f.Breached {
		where = append(where, "sla_breached = ?")
		args = append(args, true)
	}
	if !f.DueBefore.IsZero() {
		where = append(where, "next_due_at < ?")
		args = append(args, utc(f.DueBefore))
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return CasePage{}, err
		}
		where = append(where, "(received_at < ? OR (received_at = ? AND id < ?))")
		args = append(args, utc(c.At), utc(c.At), c.ID)
	}
	q := "SELECT id, received_at, snapshot FROM complaints"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// One more row than asked tells whether another page follows.
	q += " ORDER BY received_at DESC, id DESC LIMIT ?"
	args = append(args, f.Limit+1)

	var rows []struct {
		ID         string    `db:"id"`
		ReceivedAt time.Time `db:"received_at"`
		Snapshot   string    `db:"snapshot"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return CasePage{}, err
	}
	page := CasePage{Cases: []complaint.Case{}}
	for i, r := range rows {
		if i == f.Limit {
			last := rows[i-1]
			page.NextCursor = encodeCursor(cursor{At: last.ReceivedAt.UTC(), ID: last.ID})
			break
		}
		var c complaint.Case
		if err := json.Unmarshal([]byte(r.Snapshot), &c); err != nil {
			return CasePage{}, fmt.Errorf("decode case %s: %w", r.ID, err)
		}
		page.Cases = append(page.Cases, c)
	}
	return page, nil
}

func encodeCursor(c cursor) string {
	raw, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(raw)
}

func decodeCursor(s string) (cursor, error) {
	var c cursor
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID == "" {
		return cursor{}, ErrBadCursor
	}
	return c, nil
}
