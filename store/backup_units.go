package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
)

// Backup units and their loans [4.(6)] (migration 00013; loans in loans.go). A unit's model is
// a stock item of kind backup_unit; the item's on_hand counts the units of
// its warehouse that are available, so every change of a unit's state that
// takes it into or out of stock is one transaction with its movement:
//
//	registered          → available   receive 1  key unit/<serial>
//	lent                → on_loan     issue 1    key loan/<loan id>
//	returned to stock   → available   return 1   key loan/<loan id>/return
//	returned to repair  → in_repair   (none)
//	repaired            → available   return 1   key unit/<serial>/repaired/<loan id>
//	converted           → sold, replaced (none: it left stock when lent)
//
// The keys are the ledger's, under the acting user: the unit's or the
// loan's state decides what a retry does, the key keeps the movement once
// whatever races. A unit's state changes by guarded UPDATEs (… WHERE state
// = the state it leaves), so of two concurrent changes one wins and the
// other is refused: on PostgreSQL the UPDATE waits for the row and re-checks
// its guard; on SQLite one transaction runs at a time. Locks are taken in
// one order: loan, unit, item, counters.

// BackupUnit is a backup unit, by serial.
type BackupUnit struct {
	Serial    string `json:"serial" db:"serial"`
	Model     string `json:"model" db:"model"`
	Warehouse string `json:"warehouse" db:"warehouse"`
	State     string `json:"state" db:"state"`
	// LoanID is the loan the unit is on, was sent into repair by, or was
	// converted by; empty while it is available.
	LoanID    string    `json:"loan_id,omitempty" db:"loan_id"`
	Note      string    `json:"note,omitempty" db:"note"`
	UpdatedAt time.Time `json:"updated_at" db:"updated_at"`
	// Replayed: the answer to a registration made before (the same body,
	// or the same Idempotency-Key); nothing was written.
	Replayed bool `json:"-" db:"-"`
}

const unitColumns = `serial, model, warehouse, state, COALESCE(loan_id, '') AS loan_id, note, updated_at`

func (s *Store) getUnit(ctx context.Context, q sqlx.QueryerContext, serial string) (BackupUnit, error) {
	var u BackupUnit
	err := sqlx.GetContext(ctx, q, &u, s.db.Rebind(`SELECT `+unitColumns+` FROM backup_units WHERE serial = ?`), serial)
	if errors.Is(err, sql.ErrNoRows) {
		return BackupUnit{}, ErrNotFound
	}
	if err != nil {
		return BackupUnit{}, fmt.Errorf("read backup unit: %w", err)
	}
	u.UpdatedAt = u.UpdatedAt.UTC()
	return u, nil
}

// GetUnit returns a backup unit, or ErrNotFound.
func (s *Store) GetUnit(ctx context.Context, serial string) (BackupUnit, error) {
	return s.getUnit(ctx, s.db, serial)
}

// UnitFilter selects backup units; empty fields do not filter.
type UnitFilter struct {
	Model, Warehouse, State string
}

// ListUnits lists the backup units matching f by serial; none is an empty
// list.
func (s *Store) ListUnits(ctx context.Context, f UnitFilter) ([]BackupUnit, error) {
	var w filters
	w.eq("model", f.Model)
	w.eq("warehouse", f.Warehouse)
	w.eq("state", f.State)
	q := `SELECT ` + unitColumns + ` FROM backup_units`
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	units := []BackupUnit{}
	if err := s.db.SelectContext(ctx, &units, s.db.Rebind(q+" ORDER BY serial"), w.args...); err != nil {
		return nil, err
	}
	for i := range units {
		units[i].UpdatedAt = units[i].UpdatedAt.UTC()
	}
	return units, nil
}

// backupItem checks that model is a stock item of kind backup_unit in
// warehouse, else a *StockRefusal blaming modelField or warehouseField.
func (s *Store) backupItem(ctx context.Context, tx *sqlx.Tx, model, warehouse, modelField, warehouseField string) error {
	item, err := s.getStockItem(ctx, tx, model, warehouse)
	if errors.Is(err, ErrNotFound) {
		if err := s.warehouseExists(ctx, tx, warehouse); errors.Is(err, ErrUnknownWarehouse) {
			return refuse(warehouseField, "is not a warehouse")
		} else if err != nil {
			return err
		}
		return refuse(modelField, "is not a backup unit kept in warehouse %s", warehouse)
	}
	if err != nil {
		return err
	}
	if item.Kind != complaint.ItemBackupUnit {
		return refuse(modelField, "is a %s, not a backup unit", item.Kind)
	}
	return nil
}

// unitMovement moves one unit of the unit's model in its warehouse, in tx;
// a movement the item's level does not allow is a conflict.
func (s *Store) unitMovement(ctx context.Context, tx *sqlx.Tx, u BackupUnit, m Movement) error {
	m.Body.PartNumber, m.Body.Warehouse, m.Body.Quantity = u.Model, u.Warehouse, 1
	m, err := prepareMovement(m)
	if err != nil {
		return err
	}
	_, err = s.applyMovementTx(ctx, tx, m)
	var short *stock.ShortageError
	if errors.As(err, &short) {
		return conflict("backup unit %s (%s in warehouse %s): %s", u.Serial, u.Model, u.Warehouse, short.Error())
	}
	return err
}

// RegisterUnit registers a backup unit, available, and receives it into
// its model's stock in one transaction. The model must be a stock item of
// kind backup_unit in the warehouse ("main" when left out), else a
// *StockRefusal blaming model (or warehouse). A serial registered already
// is a conflict, unless with the same model, warehouse and note: then it
// answers the unit as it stands (Replayed). Under an Idempotency-Key (key,
// "" for none) a retry by the same user answers the unit the key created,
// and the key with another body is ErrKeyReused.
func (s *Store) RegisterUnit(ctx context.Context, b complaint.BackupUnitBody, actor complaint.Actor, key string) (BackupUnit, error) {
	b.Warehouse = complaint.WarehouseOr(b.Warehouse)
	body, err := json.Marshal(b)
	if err != nil {
		return BackupUnit{}, err
	}
	sum := sha256.Sum256(body)
	idem := Idempotency{Scope: "POST /api/v1/stock/units " + actor.UserID, Key: key, Fingerprint: hex.EncodeToString(sum[:])}
	now := utc(time.Now())
	var unit BackupUnit
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		first, err := claimKey(ctx, tx, idem, b.Serial)
		if err != nil {
			return err
		}
		if first != "" {
			unit, err = s.getUnit(ctx, tx, first)
			unit.Replayed = true
			return err
		}
		if err := s.backupItem(ctx, tx, b.Model, b.Warehouse, "model", "warehouse"); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO backup_units (serial, model, warehouse, state, note, updated_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (serial) DO NOTHING`), b.Serial, b.Model, b.Warehouse, complaint.UnitAvailable, b.Note, now)
		if err != nil {
			return fmt.Errorf("register backup unit: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			unit, err = s.getUnit(ctx, tx, b.Serial)
			if err != nil {
				return err
			}
			if unit.Model != b.Model || unit.Warehouse != b.Warehouse || unit.Note != b.Note {
				return &StockRefusal{Field: "serial", Conflict: true, Message: fmt.Sprintf(
					"is registered already, as a %s in warehouse %s", unit.Model, unit.Warehouse)}
			}
			unit.Replayed = true
			return nil
		}
		unit = BackupUnit{Serial: b.Serial, Model: b.Model, Warehouse: b.Warehouse, State: complaint.UnitAvailable,
			Note: b.Note, UpdatedAt: now}
		return s.unitMovement(ctx, tx, unit, Movement{
			Body:  complaint.MovementBody{Kind: complaint.MovementReceive, Note: "backup unit " + b.Serial + " registered"},
			Actor: actor, At: now, IdempotencyKey: "unit/" + b.Serial})
	})
	if err != nil {
		return BackupUnit{}, err
	}
	return unit, nil
}

// UnitRepaired brings a unit back from repair into stock: in_repair →
// available with a return of 1 (keyed by the loan that sent it to repair,
// which the unit then forgets). A retry answers the unit: it is available
// and the last loan of it went to repair. Any other state is a conflict;
// an unknown serial ErrNotFound.
func (s *Store) UnitRepaired(ctx context.Context, serial string, actor complaint.Actor, note string) (BackupUnit, error) {
	now := utc(time.Now())
	var unit BackupUnit
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		unit, err = s.getUnit(ctx, tx, serial)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE backup_units SET state = ?, loan_id = NULL, updated_at = ? WHERE serial = ? AND state = ?`),
			complaint.UnitAvailable, now, serial, complaint.UnitInRepair)
		if err != nil {
			return fmt.Errorf("bring backup unit back from repair: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// Another call may have changed it since the read.
			if unit, err = s.getUnit(ctx, tx, serial); err != nil {
				return err
			}
			if unit.State == complaint.UnitAvailable {
				last, err := s.lastLoanOf(ctx, tx, serial)
				if err != nil {
					return err
				}
				if last.ReturnedTo == complaint.UnitToRepair {
					return nil // repaired already: a retry
				}
			}
			return &StockRefusal{Field: "serial", Conflict: true,
				Message: fmt.Sprintf("unit %s is %s, not in repair", serial, unit.State)}
		}
		loan := unit.LoanID
		m := Movement{Body: complaint.MovementBody{Kind: complaint.MovementReturn, Note: note},
			Actor: actor, At: now, IdempotencyKey: "unit/" + serial + "/repaired/" + loan}
		if m.Body.Note == "" {
			m.Body.Note = "backup unit " + serial + " repaired"
		}
		if loan != "" {
			l, err := s.getLoan(ctx, tx, loan)
			if err != nil {
				return err
			}
			m.Body.Reference = &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: l.ComplaintID}
		}
		unit.State, unit.LoanID, unit.UpdatedAt = complaint.UnitAvailable, "", now
		return s.unitMovement(ctx, tx, unit, m)
	})
	if err != nil {
		return BackupUnit{}, err
	}
	return unit, nil
}
