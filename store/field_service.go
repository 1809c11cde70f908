package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// Field service [2.(5).2–4]: signature images, service record numbers, the
// records as filed and the engineers' visits (migration 00011).

// PutSignature keeps a signature image and returns its hex SHA-256, the key
// a service record names it by. The same bytes are kept once: a second put
// answers the same digest and writes nothing.
func (s *Store) PutSignature(ctx context.Context, png []byte) (string, error) {
	if len(png) == 0 {
		return "", errors.New("store: empty signature image")
	}
	sum := sha256.Sum256(png)
	digest := hex.EncodeToString(sum[:])
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO signatures (sha256, png, created_at) VALUES (?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`), digest, png, utc(time.Now())); err != nil {
		return "", fmt.Errorf("put signature: %w", err)
	}
	return digest, nil
}

// GetSignature returns the signature image of a digest, or ErrNotFound.
func (s *Store) GetSignature(ctx context.Context, sha256hex string) ([]byte, error) {
	var png []byte
	err := s.db.GetContext(ctx, &png, s.db.Rebind(`SELECT png FROM signatures WHERE sha256 = ?`), sha256hex)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return png, nil
}

// serviceRecordFormat is a service record number: SVC-2026-000123.
const serviceRecordFormat = "SVC-%d-%06d"

// errNumberTaken rolls back an allocation another caller won.
var errNumberTaken = errors.New("service record number taken")

// ServiceRecordNumber returns the service record number of a visit,
// SVC-<year>-<6 digits>. The first call for a visit allocates it from the
// year's counter; every later call answers the same number (whatever year it
// names). Concurrent calls get distinct numbers for distinct visits and one
// number for the same visit.
func (s *Store) ServiceRecordNumber(ctx context.Context, caseID, visitID string, year int) (string, error) {
	var number string
	lookup := func(q sqlx.QueryerContext) error {
		return sqlx.GetContext(ctx, q, &number, s.db.Rebind(`
			SELECT number FROM service_record_numbers WHERE case_id = ? AND visit_id = ?`), caseID, visitID)
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		err := lookup(tx)
		if err == nil || !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		var seq int64
		// As for case numbers: the upsert takes the counter row's lock.
		if err := tx.GetContext(ctx, &seq, tx.Rebind(`
			INSERT INTO service_record_counters (year, last_number) VALUES (?, 1)
			ON CONFLICT (year) DO UPDATE SET last_number = service_record_counters.last_number + 1
			RETURNING last_number`), year); err != nil {
			return fmt.Errorf("allocate service record number: %w", err)
		}
		number = fmt.Sprintf(serviceRecordFormat, year, seq)
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO service_record_numbers (case_id, visit_id, number, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (case_id, visit_id) DO NOTHING`), caseID, visitID, number, utc(time.Now()))
		if err != nil {
			return fmt.Errorf("record service record number: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// A concurrent call numbered the visit first (PostgreSQL waited
			// for it to commit): give the counter back and answer its number.
			return errNumberTaken
		}
		return nil
	})
	if errors.Is(err, errNumberTaken) {
		err = lookup(s.db)
	}
	if err != nil {
		return "", err
	}
	return number, nil
}

// ServiceRecordRow is one version of a service record as filed, with the
// visit it belongs to and every version its number has.
type ServiceRecordRow struct {
	CaseID   string                  `json:"case_id"`
	VisitID  string                  `json:"visit_id"`
	Record   complaint.ServiceRecord `json:"record"`
	Versions []int                   `json:"versions"`
}

// GetServiceRecord returns a version of a service record (0: the latest),
// or ErrNotFound.
func (s *Store) GetServiceRecord(ctx context.Context, number string, version int) (ServiceRecordRow, error) {
	var row struct {
		CaseID  string `db:"case_id"`
		VisitID string `db:"visit_id"`
		Record  string `db:"record"`
	}
	var err error
	if version == 0 {
		err = s.db.GetContext(ctx, &row, s.db.Rebind(`
			SELECT case_id, visit_id, record FROM service_records WHERE number = ?
			ORDER BY version DESC LIMIT 1`), number)
	} else {
		err = s.db.GetContext(ctx, &row, s.db.Rebind(`
			SELECT case_id, visit_id, record FROM service_records WHERE number = ? AND version = ?`), number, version)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return ServiceRecordRow{}, ErrNotFound
	}
	if err != nil {
		return ServiceRecordRow{}, err
	}
	out := ServiceRecordRow{CaseID: row.CaseID, VisitID: row.VisitID}
	if err := json.Unmarshal([]byte(row.Record), &out.Record); err != nil {
		return ServiceRecordRow{}, fmt.Errorf("decode service record %s: %w", number, err)
	}
	if err := s.db.SelectContext(ctx, &out.Versions, s.db.Rebind(`
		SELECT version FROM service_records WHERE number = ? ORDER BY version`), number); err != nil {
		return ServiceRecordRow{}, err
	}
	return out, nil
}

// EngineerVisit is a visit an engineer is on, for their own list.
type EngineerVisit struct {
	CaseID      string     `json:"case_id" db:"case_id"`
	CaseNumber  string     `json:"case_number" db:"case_number"`
	VisitID     string     `json:"visit_id" db:"visit_id"`
	State       string     `json:"state" db:"state"`
	PlannedAt   time.Time  `json:"planned_at" db:"planned_at"`
	RecordDueAt *time.Time `json:"record_due_at,omitempty" db:"record_due_at"`
}

// EngineerVisits lists the visits an engineer is on, by planned time; open
// keeps those still owing their record (planned, on site, checked out).
func (s *Store) EngineerVisits(ctx context.Context, engineer string, open bool) ([]EngineerVisit, error) {
	q := `SELECT case_id, case_number, visit_id, state, planned_at, record_due_at
		FROM visit_engineers WHERE engineer = ?`
	args := []any{engineer}
	if open {
		q += ` AND state IN (?, ?, ?)`
		args = append(args, complaint.VisitPlanned, complaint.VisitOnSite, complaint.VisitCheckedOut)
	}
	q += ` ORDER BY planned_at, case_id, visit_id`
	visits := []EngineerVisit{}
	if err := s.db.SelectContext(ctx, &visits, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	for i := range visits {
		visits[i].PlannedAt = visits[i].PlannedAt.UTC()
		if d := visits[i].RecordDueAt; d != nil {
			u := d.UTC()
			visits[i].RecordDueAt = &u
		}
	}
	return visits, nil
}

// projectServiceRecords files the snapshot's service records that the store
// does not have yet; a version once filed never changes, so a stale snapshot
// adds nothing and alters nothing.
func projectServiceRecords(ctx context.Context, tx *sqlx.Tx, c complaint.Case) error {
	for _, v := range c.Visits {
		for _, r := range v.Records {
			if r.Number == "" {
				continue
			}
			raw, err := json.Marshal(r)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				INSERT INTO service_records (number, version, case_id, visit_id, record, filed_at)
				VALUES (?, ?, ?, ?, ?, ?)
				ON CONFLICT (number, version) DO NOTHING`),
				r.Number, r.Version, c.ID, v.ID, string(raw), utc(r.FiledAt)); err != nil {
				return fmt.Errorf("file service record %s v%d: %w", r.Number, r.Version, err)
			}
		}
	}
	return nil
}

// projectVisitEngineers replaces the case's visit rows with the snapshot's
// visits, one row per visit and engineer. Only a snapshot that updated the
// case (the version guard) calls it.
func projectVisitEngineers(ctx context.Context, tx *sqlx.Tx, c complaint.Case) error {
	if _, err := tx.ExecContext(ctx, tx.Rebind(`DELETE FROM visit_engineers WHERE case_id = ?`), c.ID); err != nil {
		return fmt.Errorf("clear visits: %w", err)
	}
	if len(c.Visits) == 0 {
		return nil
	}
	number := c.CaseNumber
	if number == "" {
		if err := tx.GetContext(ctx, &number, tx.Rebind(`SELECT case_number FROM complaints WHERE id = ?`), c.ID); err != nil {
			return fmt.Errorf("case number of %s: %w", c.ID, err)
		}
	}
	for _, v := range c.Visits {
		var due any // NULL until the check-out sets it
		if v.RecordDueAt != nil {
			due = utc(*v.RecordDueAt)
		}
		for _, e := range v.Engineers {
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				INSERT INTO visit_engineers (case_id, visit_id, engineer, case_number, state, planned_at, record_due_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (case_id, visit_id, engineer) DO NOTHING`),
				c.ID, v.ID, e, number, v.State, utc(v.PlannedAt), due); err != nil {
				return fmt.Errorf("visit %s of %s: %w", v.ID, e, err)
			}
		}
	}
	return nil
}
