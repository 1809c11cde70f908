package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// The loans of backup units: lending, return, conversion and the lists
// (backup_units.go says how a unit moves through the stock).

// LoanRow is a loan as stored: the unit lent to the customer of a case,
// until when, and how the loan ended.
type LoanRow struct {
	ID          string `json:"id"`
	ComplaintID string `json:"complaint_id"`
	complaint.LentUnit
	State       string           `json:"state"`
	DueBack     string           `json:"due_back"`
	OverdueAt   time.Time        `json:"overdue_at"`
	LentBy      complaint.Actor  `json:"lent_by"`
	LentAt      time.Time        `json:"lent_at"`
	ReturnedTo  string           `json:"returned_to,omitempty"`
	ReturnedAt  *time.Time       `json:"returned_at,omitempty"`
	ReturnedBy  *complaint.Actor `json:"returned_by,omitempty"`
	ConvertedTo string           `json:"converted_to,omitempty"`
	ConvertedAt *time.Time       `json:"converted_at,omitempty"`
	ConvertedBy *complaint.Actor `json:"converted_by,omitempty"`
	Note        string           `json:"note,omitempty"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// loanRow is a loan's columns.
type loanRow struct {
	ID          string         `db:"id"`
	ComplaintID string         `db:"complaint_id"`
	Serial      string         `db:"serial"`
	Model       string         `db:"model"`
	Warehouse   string         `db:"warehouse"`
	State       string         `db:"state"`
	DueBack     string         `db:"due_back"`
	OverdueAt   time.Time      `db:"overdue_at"`
	LentBy      string         `db:"lent_by"`
	LentAt      time.Time      `db:"lent_at"`
	ReturnedTo  string         `db:"returned_to"`
	ReturnedAt  sql.NullTime   `db:"returned_at"`
	ReturnedBy  sql.NullString `db:"returned_by"`
	ConvertedTo string         `db:"converted_to"`
	ConvertedAt sql.NullTime   `db:"converted_at"`
	ConvertedBy sql.NullString `db:"converted_by"`
	Note        string         `db:"note"`
	UpdatedAt   time.Time      `db:"updated_at"`
}

const loanColumns = `id, complaint_id, serial, model, warehouse, state, due_back, overdue_at, lent_by, lent_at,
	returned_to, returned_at, returned_by, converted_to, converted_at, converted_by, note, updated_at`

func (r loanRow) row() (LoanRow, error) {
	l := LoanRow{ID: r.ID, ComplaintID: r.ComplaintID,
		LentUnit: complaint.LentUnit{Serial: r.Serial, Model: r.Model, Warehouse: r.Warehouse},
		State:    r.State, DueBack: r.DueBack, OverdueAt: r.OverdueAt.UTC(), LentAt: r.LentAt.UTC(),
		ReturnedTo: r.ReturnedTo, ConvertedTo: r.ConvertedTo, Note: r.Note, UpdatedAt: r.UpdatedAt.UTC()}
	if err := json.Unmarshal([]byte(r.LentBy), &l.LentBy); err != nil {
		return LoanRow{}, fmt.Errorf("decode lender of loan %s: %w", r.ID, err)
	}
	var err error
	l.ReturnedAt, l.ReturnedBy, err = doneBy(r.ReturnedAt, r.ReturnedBy)
	if err != nil {
		return LoanRow{}, fmt.Errorf("decode returner of loan %s: %w", r.ID, err)
	}
	l.ConvertedAt, l.ConvertedBy, err = doneBy(r.ConvertedAt, r.ConvertedBy)
	if err != nil {
		return LoanRow{}, fmt.Errorf("decode converter of loan %s: %w", r.ID, err)
	}
	return l, nil
}

func doneBy(at sql.NullTime, by sql.NullString) (*time.Time, *complaint.Actor, error) {
	if !at.Valid {
		return nil, nil, nil
	}
	t := at.Time.UTC()
	var a complaint.Actor
	if err := json.Unmarshal([]byte(by.String), &a); err != nil {
		return nil, nil, err
	}
	return &t, &a, nil
}

func (s *Store) getLoan(ctx context.Context, q sqlx.QueryerContext, id string) (LoanRow, error) {
	var r loanRow
	err := sqlx.GetContext(ctx, q, &r, s.db.Rebind(`SELECT `+loanColumns+` FROM loans WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return LoanRow{}, ErrNotFound
	}
	if err != nil {
		return LoanRow{}, fmt.Errorf("read loan: %w", err)
	}
	return r.row()
}

// lastLoanOf is the latest loan of a unit (the zero LoanRow for none).
func (s *Store) lastLoanOf(ctx context.Context, q sqlx.QueryerContext, serial string) (LoanRow, error) {
	var r loanRow
	err := sqlx.GetContext(ctx, q, &r, s.db.Rebind(`
		SELECT `+loanColumns+` FROM loans WHERE serial = ? ORDER BY lent_at DESC, id DESC LIMIT 1`), serial)
	if errors.Is(err, sql.ErrNoRows) {
		return LoanRow{}, nil
	}
	if err != nil {
		return LoanRow{}, fmt.Errorf("read loan of unit: %w", err)
	}
	return r.row()
}

// GetLoan returns a loan, or ErrNotFound.
func (s *Store) GetLoan(ctx context.Context, id string) (LoanRow, error) {
	return s.getLoan(ctx, s.db, id)
}

// Lending lends a backup unit to the customer of a case: the loan's id
// (<case id>-L1, …), the request (a unit by serial, or any of a model), the
// instant the loan falls overdue, who lends it and when (now when zero).
type Lending struct {
	LoanID      string                  `json:"loan_id"`
	ComplaintID string                  `json:"complaint_id"`
	Request     complaint.BackupRequest `json:"request"`
	OverdueAt   time.Time               `json:"overdue_at"`
	Actor       complaint.Actor         `json:"actor"`
	At          time.Time               `json:"at"`
}

// errLoanTaken rolls back a lending whose loan id a concurrent call
// recorded first.
var errLoanTaken = errors.New("loan id taken")

// LendUnit lends a backup unit in one transaction: the unit available →
// on_loan, its issue from stock, the loan on_loan. The unit is the one
// named by serial, or the first available of the model (by serial) in the
// warehouse. A loan of that id already made answers its unit and writes
// nothing. Refusals are *StockRefusal: a serial or model the stock does
// not know blames backup.serial or backup.model, a unit not available (or
// none of the model) is a conflict.
func (s *Store) LendUnit(ctx context.Context, in Lending) (complaint.LentUnit, error) {
	if in.At.IsZero() {
		in.At = time.Now()
	}
	at := utc(in.At)
	lentBy, err := json.Marshal(in.Actor)
	if err != nil {
		return complaint.LentUnit{}, err
	}
	req := in.Request
	var lent complaint.LentUnit
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		made, done, err := s.lentOf(ctx, tx, in.LoanID)
		if err != nil || done {
			lent = made
			return err
		}
		unit, err := s.takeUnit(ctx, tx, in, at)
		if err != nil {
			return err
		}
		if unit.Serial == "" {
			lent, _, err = s.lentOf(ctx, tx, in.LoanID) // a concurrent call made the loan
			return err
		}
		if err := s.unitMovement(ctx, tx, unit, Movement{
			Body: complaint.MovementBody{Kind: complaint.MovementIssue,
				Reference: &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: in.ComplaintID},
				Note:      "backup unit " + unit.Serial + " lent on loan " + in.LoanID},
			Actor: in.Actor, At: at, IdempotencyKey: "loan/" + in.LoanID}); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO loans (id, complaint_id, serial, model, warehouse, state, due_back, overdue_at, lent_by, lent_at,
				updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`),
			in.LoanID, in.ComplaintID, unit.Serial, unit.Model, unit.Warehouse, complaint.LoanOnLoan, req.DueBack,
			utc(in.OverdueAt), string(lentBy), at, at)
		if err != nil {
			return fmt.Errorf("record loan: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return errLoanTaken
		}
		lent = complaint.LentUnit{Serial: unit.Serial, Model: unit.Model, Warehouse: unit.Warehouse}
		return nil
	})
	if errors.Is(err, errLoanTaken) || errors.Is(err, errMovementKeyTaken) || errors.Is(err, ErrKeyReused) {
		// A concurrent call made the loan first: answer its unit. Its
		// movement, keyed by the loan, may name another unit than the one
		// this call took (ErrKeyReused).
		first := err
		var done bool
		lent, done, err = s.lentOf(ctx, s.db, in.LoanID)
		if err == nil && !done {
			err = first
		}
	}
	if err != nil {
		return complaint.LentUnit{}, err
	}
	return lent, nil
}

// lentOf answers the unit of a loan made already (done).
func (s *Store) lentOf(ctx context.Context, q sqlx.QueryerContext, loanID string) (complaint.LentUnit, bool, error) {
	l, err := s.getLoan(ctx, q, loanID)
	if errors.Is(err, ErrNotFound) {
		return complaint.LentUnit{}, false, nil
	}
	if err != nil {
		return complaint.LentUnit{}, false, err
	}
	return l.LentUnit, true, nil
}

// takeUnit puts the unit a lending asks for on loan: available → on_loan
// by a guarded UPDATE. It answers the unit as taken, the zero unit when a
// concurrent call made the loan meanwhile, or a *StockRefusal.
func (s *Store) takeUnit(ctx context.Context, tx *sqlx.Tx, in Lending, at time.Time) (BackupUnit, error) {
	req := in.Request
	take := func(serial string) (bool, error) {
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE backup_units SET state = ?, loan_id = ?, updated_at = ? WHERE serial = ? AND state = ?`),
			complaint.UnitOnLoan, in.LoanID, at, serial, complaint.UnitAvailable)
		if err != nil {
			return false, fmt.Errorf("lend backup unit: %w", err)
		}
		n, err := res.RowsAffected()
		return n == 1, err
	}
	if req.Serial != "" {
		unit, err := s.getUnit(ctx, tx, req.Serial)
		if errors.Is(err, ErrNotFound) {
			return BackupUnit{}, refuse("backup.serial", "is not a backup unit")
		}
		if err != nil {
			return BackupUnit{}, err
		}
		if req.Warehouse != "" && req.Warehouse != unit.Warehouse {
			return BackupUnit{}, refuse("backup.warehouse", "does not hold unit %s (it is in warehouse %s)",
				unit.Serial, unit.Warehouse)
		}
		ok, err := take(req.Serial)
		if err != nil || ok {
			unit.State, unit.LoanID, unit.UpdatedAt = complaint.UnitOnLoan, in.LoanID, at
			return unit, err
		}
		// Taken since the read, perhaps by this very loan.
		if _, done, err := s.lentOf(ctx, tx, in.LoanID); err != nil || done {
			return BackupUnit{}, err
		}
		if unit, err = s.getUnit(ctx, tx, req.Serial); err != nil {
			return BackupUnit{}, err
		}
		return BackupUnit{}, conflict("unit %s is %s", unit.Serial, unit.State)
	}
	warehouse := complaint.WarehouseOr(req.Warehouse)
	if err := s.backupItem(ctx, tx, req.Model, warehouse, "backup.model", "backup.warehouse"); err != nil {
		return BackupUnit{}, err
	}
	for {
		var serial string
		err := tx.GetContext(ctx, &serial, tx.Rebind(`
			SELECT serial FROM backup_units WHERE model = ? AND warehouse = ? AND state = ?
			ORDER BY serial LIMIT 1`), req.Model, warehouse, complaint.UnitAvailable)
		if errors.Is(err, sql.ErrNoRows) {
			if _, done, err := s.lentOf(ctx, tx, in.LoanID); err != nil || done {
				return BackupUnit{}, err
			}
			return BackupUnit{}, conflict("no backup unit of model %s is available in warehouse %s", req.Model, warehouse)
		}
		if err != nil {
			return BackupUnit{}, fmt.Errorf("find an available backup unit: %w", err)
		}
		ok, err := take(serial)
		if err != nil {
			return BackupUnit{}, err
		}
		if ok {
			return s.getUnit(ctx, tx, serial)
		}
		// A concurrent lending took it first: look again.
		if _, done, err := s.lentOf(ctx, tx, in.LoanID); err != nil || done {
			return BackupUnit{}, err
		}
	}
}

// endLoan ends a loan on_loan by a guarded UPDATE of its row: the loan as
// it stands after (changed), or before when another call ended it first.
func (s *Store) endLoan(ctx context.Context, tx *sqlx.Tx, id, set string, args ...any) (LoanRow, bool, error) {
	res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE loans SET `+set+` WHERE id = ? AND state = ?`),
		append(args, id, complaint.LoanOnLoan)...)
	if err != nil {
		return LoanRow{}, false, fmt.Errorf("end loan: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return LoanRow{}, false, err
	}
	l, err := s.getLoan(ctx, tx, id)
	return l, n == 1, err
}

// moveLentUnit changes the state of a loan's unit, which must be on that
// loan.
func moveLentUnit(ctx context.Context, tx *sqlx.Tx, l LoanRow, state string, loanID any, at time.Time) error {
	res, err := tx.ExecContext(ctx, tx.Rebind(`
		UPDATE backup_units SET state = ?, loan_id = ?, updated_at = ? WHERE serial = ? AND state = ? AND loan_id = ?`),
		state, loanID, at, l.Serial, complaint.UnitOnLoan, l.ID)
	if err != nil {
		return fmt.Errorf("move backup unit: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return fmt.Errorf("store: unit %s of loan %s is not on that loan", l.Serial, l.ID)
	}
	return nil
}

// ReturnLoan returns a lent unit: the loan on_loan → returned; to stock the
// unit is available again with a return of 1, into repair it is in_repair
// (out of stock until UnitRepaired). A loan returned already to the same
// place answers its row (a retry); elsewhere, or converted, is a conflict;
// an unknown loan ErrNotFound.
func (s *Store) ReturnLoan(ctx context.Context, id, to, note string, actor complaint.Actor, at time.Time) (LoanRow, error) {
	if !slices.Contains(complaint.ReturnDestinations(), to) {
		return LoanRow{}, refuse("to", "must be one of: %s", strings.Join(complaint.ReturnDestinations(), ", "))
	}
	if at.IsZero() {
		at = time.Now()
	}
	at = utc(at)
	by, err := json.Marshal(actor)
	if err != nil {
		return LoanRow{}, err
	}
	var loan LoanRow
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		l, changed, err := s.endLoan(ctx, tx, id,
			`state = ?, returned_to = ?, returned_at = ?, returned_by = ?, note = ?, updated_at = ?`,
			complaint.LoanReturned, to, at, string(by), note, at)
		if err != nil {
			return err
		}
		loan = l
		if !changed {
			switch {
			case l.State == complaint.LoanReturned && l.ReturnedTo == to:
				return nil // a retry
			case l.State == complaint.LoanReturned:
				return conflict("loan %s was returned to %s already", id, l.ReturnedTo)
			}
			return conflict("loan %s is %s", id, l.State)
		}
		if to == complaint.UnitToRepair {
			return moveLentUnit(ctx, tx, l, complaint.UnitInRepair, l.ID, at)
		}
		if err := moveLentUnit(ctx, tx, l, complaint.UnitAvailable, nil, at); err != nil {
			return err
		}
		return s.unitMovement(ctx, tx, BackupUnit{Serial: l.Serial, Model: l.Model, Warehouse: l.Warehouse}, Movement{
			Body: complaint.MovementBody{Kind: complaint.MovementReturn,
				Reference: &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: l.ComplaintID},
				Note:      "backup unit " + l.Serial + " back from loan " + id},
			Actor: actor, At: at, IdempotencyKey: "loan/" + id + "/return"})
	})
	if err != nil {
		return LoanRow{}, err
	}
	return loan, nil
}

// ConvertLoan converts a loan: the customer keeps the unit, sold or as a
// permanent replacement. The loan on_loan → converted, the unit sold or
// replaced (it left stock when lent: no movement). A loan converted the
// same way answers its row; otherwise, or returned, is a conflict; an
// unknown loan ErrNotFound.
func (s *Store) ConvertLoan(ctx context.Context, id, conversion, note string, actor complaint.Actor, at time.Time) (LoanRow, error) {
	state := map[string]string{complaint.ConversionSale: complaint.UnitSold,
		complaint.ConversionReplacement: complaint.UnitReplaced}[conversion]
	if state == "" {
		return LoanRow{}, refuse("conversion", "must be one of: %s", strings.Join(complaint.Conversions(), ", "))
	}
	if at.IsZero() {
		at = time.Now()
	}
	at = utc(at)
	by, err := json.Marshal(actor)
	if err != nil {
		return LoanRow{}, err
	}
	var loan LoanRow
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		l, changed, err := s.endLoan(ctx, tx, id,
			`state = ?, converted_to = ?, converted_at = ?, converted_by = ?, note = ?, updated_at = ?`,
			complaint.LoanConverted, conversion, at, string(by), note, at)
		if err != nil {
			return err
		}
		loan = l
		if !changed {
			switch {
			case l.State == complaint.LoanConverted && l.ConvertedTo == conversion:
				return nil // a retry
			case l.State == complaint.LoanConverted:
				return conflict("loan %s was converted into a %s already", id, l.ConvertedTo)
			}
			return conflict("loan %s is %s", id, l.State)
		}
		return moveLentUnit(ctx, tx, l, state, l.ID, at)
	})
	if err != nil {
		return LoanRow{}, err
	}
	return loan, nil
}

// LoanFilter selects loans; empty fields do not filter. OverdueAt keeps the
// loans on loan that are overdue at that instant.
type LoanFilter struct {
	State, ComplaintID, Serial string
	OverdueAt                  *time.Time
	// Limit is the page size (100 when not positive); Cursor continues
	// after a previous page.
	Limit  int
	Cursor string
}

// LoanPage is one page of loans, newest first.
type LoanPage struct {
	Loans      []LoanRow `json:"loans"`
	NextCursor string    `json:"next_cursor,omitempty"`
}

// ListLoans answers a page of the loans matching f, newest lent first.
func (s *Store) ListLoans(ctx context.Context, f LoanFilter) (LoanPage, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var w filters
	w.eq("state", f.State)
	w.eq("complaint_id", f.ComplaintID)
	w.eq("serial", f.Serial)
	if f.OverdueAt != nil {
		w.add("state = ? AND overdue_at <= ?", complaint.LoanOnLoan, utc(*f.OverdueAt))
	}
	q, args, err := keysetQuery(`SELECT `+loanColumns+` FROM loans`, w, "lent_at", f.Cursor, f.Limit)
	if err != nil {
		return LoanPage{}, err
	}
	var rows []loanRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
		return LoanPage{}, err
	}
	rows, next := keysetPage(rows, f.Limit, func(r loanRow) (time.Time, string) { return r.LentAt, r.ID })
	page := LoanPage{Loans: make([]LoanRow, 0, len(rows)), NextCursor: next}
	for _, r := range rows {
		l, err := r.row()
		if err != nil {
			return LoanPage{}, err
		}
		page.Loans = append(page.Loans, l)
	}
	return page, nil
}
