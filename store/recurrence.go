package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// RecurrenceProbe is what finds the earlier cases a complaint repeats: its
// part number, or its equipment's model (by serial, from the installed
// base) together with its root cause.
type RecurrenceProbe struct {
	ComplaintID     string
	ReceivedAt      time.Time
	PartNumber      string
	EquipmentSerial string
	RootCause       string
	// Window is how far back an earlier case counts.
	Window time.Duration
	// RegisteredBy, when set, counts only the cases registered by then: a
	// search that a retried workflow task repeats then finds the same cases
	// (none is ever deleted), so a write it makes in that task stays true.
	RegisteredBy time.Time
	// Latest, when above 0, keeps only that many of the most recent
	// earlier cases: a part that fails often would otherwise make every
	// new complaint carry the numbers of all before it.
	Latest int
}

// CaseRef names a case by id and number.
type CaseRef struct {
	ID         string `db:"id" json:"id"`
	CaseNumber string `db:"case_number" json:"case_number"`
}

// earlierCases is the condition on complaints c (joined to their equipment
// e) that makes them earlier cases of the probe, with its arguments; ok is
// false when the probe can match nothing.
func (s *Store) earlierCases(ctx context.Context, p RecurrenceProbe) (where string, args []any, ok bool, _ error) {
	part := strings.TrimSpace(p.PartNumber)
	cause := strings.ToLower(strings.TrimSpace(p.RootCause))
	var model string
	if p.EquipmentSerial != "" && cause != "" {
		err := s.db.GetContext(ctx, &model, s.db.Rebind(`SELECT model FROM equipment WHERE serial = ?`),
			p.EquipmentSerial)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return "", nil, false, err
		}
	}
	if part == "" && model == "" {
		return "", nil, false, nil
	}
	where = `c.id <> ? AND c.received_at >= ? AND c.received_at <= ?
		  AND ((? <> '' AND c.part_number = ?)
		    OR (? <> '' AND e.model = ? AND LOWER(TRIM(c.root_cause)) = ?))`
	args = []any{p.ComplaintID, utc(p.ReceivedAt.Add(-p.Window)), utc(p.ReceivedAt), part, part, model, model, cause}
	if !p.RegisteredBy.IsZero() {
		where += ` AND c.registered_at <= ?`
		args = append(args, utc(p.RegisteredBy))
	}
	return where, args, true, nil
}

// EarlierCases returns the cases received within the window before the
// probe's complaint (not itself) that share its part number, or its
// equipment model and root cause, oldest first; with Latest, only the most
// recent of them. Root causes compare without case or surrounding blanks.
func (s *Store) EarlierCases(ctx context.Context, p RecurrenceProbe) ([]CaseRef, error) {
	where, args, ok, err := s.earlierCases(ctx, p)
	if !ok || err != nil {
		return nil, err
	}
	return s.earlierRefs(ctx, where, args, p.Latest)
}

// RecurrenceOf returns the probe's earlier cases (as EarlierCases) and,
// when there are any, the corrective actions linked to any of them however
// many there are (Latest does not apply to those): an effective action on
// an old case must still hear that its fault came back.
func (s *Store) RecurrenceOf(ctx context.Context, p RecurrenceProbe) ([]CaseRef, []complaint.Capa, error) {
	where, args, ok, err := s.earlierCases(ctx, p)
	if !ok || err != nil {
		return nil, nil, err
	}
	refs, err := s.earlierRefs(ctx, where, args, p.Latest)
	if err != nil || len(refs) == 0 {
		return refs, nil, err
	}
	var rows []capaRow
	err = s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT k.id, k.opened_at, k.snapshot FROM capas k
		WHERE k.id IN (SELECT l.capa_id FROM capa_complaints l
			JOIN complaints c ON c.id = l.complaint_id
			LEFT JOIN equipment e ON e.serial = c.equipment_serial
			WHERE `+where+`)
		ORDER BY k.opened_at, k.id`), args...)
	if err != nil {
		return nil, nil, err
	}
	capas, err := decodeCapas(rows)
	return refs, capas, err
}

// earlierRefs reads the cases matching where (earlierCases), oldest first;
// with latest above 0, only that many of the most recent.
func (s *Store) earlierRefs(ctx context.Context, where string, args []any, latest int) ([]CaseRef, error) {
	q := `SELECT c.id, c.case_number FROM complaints c LEFT JOIN equipment e ON e.serial = c.equipment_serial
		WHERE ` + where + ` ORDER BY c.received_at DESC, c.id DESC`
	if latest > 0 {
		q += fmt.Sprintf(" LIMIT %d", latest)
	}
	var refs []CaseRef
	if err := s.db.SelectContext(ctx, &refs, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	slices.Reverse(refs)
	return refs, nil
}
