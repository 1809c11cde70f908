package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
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
}

// CaseRef names a case by id and number.
type CaseRef struct {
	ID         string `db:"id" json:"id"`
	CaseNumber string `db:"case_number" json:"case_number"`
}

// EarlierCases returns the cases received within the window before the
// probe's complaint (not itself) that share its part number, or its
// equipment model and root cause, oldest first. Root causes compare without
// case or surrounding blanks.
func (s *Store) EarlierCases(ctx context.Context, p RecurrenceProbe) ([]CaseRef, error) {
	part := strings.TrimSpace(p.PartNumber)
	cause := strings.ToLower(strings.TrimSpace(p.RootCause))
	var model string
	if p.EquipmentSerial != "" && cause != "" {
		err := s.db.GetContext(ctx, &model, s.db.Rebind(`SELECT model FROM equipment WHERE serial = ?`),
			p.EquipmentSerial)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	if part == "" && model == "" {
		return nil, nil
	}
	var refs []CaseRef
	err := s.db.SelectContext(ctx, &refs, s.db.Rebind(`
		SELECT c.id, c.case_number FROM complaints c
		LEFT JOIN equipment e ON e.serial = c.equipment_serial
		WHERE c.id <> ? AND c.received_at >= ? AND c.received_at <= ?
		  AND ((? <> '' AND c.part_number = ?)
		    OR (? <> '' AND e.model = ? AND LOWER(TRIM(c.root_cause)) = ?))
		ORDER BY c.received_at, c.id`),
		p.ComplaintID, utc(p.ReceivedAt.Add(-p.Window)), utc(p.ReceivedAt),
		part, part, model, model, cause)
	return refs, err
}
