package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
)

// The stock's ledger: every movement, applied in one guarded statement.

// Movement is a movement to apply: the body as posted, who posts it and
// when, and the Idempotency-Key it came with ("" for none).
type Movement struct {
	Body           complaint.MovementBody
	Actor          complaint.Actor
	At             time.Time // now when zero
	IdempotencyKey string
}

// MovementRow is a movement of the ledger, with the item's levels after it.
type MovementRow struct {
	ID            int64                        `json:"id"`
	PartNumber    string                       `json:"part_number"`
	Warehouse     string                       `json:"warehouse"`
	Kind          string                       `json:"kind"`
	Quantity      int                          `json:"quantity"`
	FromReserved  bool                         `json:"from_reserved"`
	Reference     *complaint.MovementReference `json:"reference,omitempty"`
	Note          string                       `json:"note,omitempty"`
	Actor         complaint.Actor              `json:"actor"`
	At            time.Time                    `json:"at"`
	OnHandAfter   int                          `json:"on_hand_after"`
	ReservedAfter int                          `json:"reserved_after"`
}

// body is the movement as it was posted, to tell a retry from a reused key.
func (r MovementRow) body() complaint.MovementBody {
	return complaint.MovementBody{PartNumber: r.PartNumber, Warehouse: r.Warehouse, Kind: r.Kind,
		Quantity: r.Quantity, FromReserved: r.FromReserved, Reference: r.Reference, Note: r.Note}
}

// MovementResult is an applied movement: its row, the item after it, the
// alert it raised (0 for none) and whether it answers an earlier call with
// the same Idempotency-Key (then Item is the item as it stands now).
type MovementResult struct {
	Movement MovementRow `json:"movement"`
	Item     StockItem   `json:"item"`
	AlertID  int64       `json:"alert_id,omitempty"`
	Replayed bool        `json:"replayed,omitempty"`
}

// movementRow is a movement as stored.
type movementRow struct {
	ID            int64         `db:"id"`
	PartNumber    string        `db:"part_number"`
	Warehouse     string        `db:"warehouse"`
	Kind          string        `db:"kind"`
	Quantity      int           `db:"quantity"`
	FromReserved  bool          `db:"from_reserved"`
	ReferenceKind string        `db:"reference_kind"`
	ReferenceID   string        `db:"reference_id"`
	Note          string        `db:"note"`
	Actor         string        `db:"actor"`
	At            time.Time     `db:"at"`
	OnHandAfter   int           `db:"on_hand_after"`
	ReservedAfter int           `db:"reserved_after"`
	AlertID       sql.NullInt64 `db:"alert_id"`
}

const movementColumns = `id, part_number, warehouse, kind, quantity, from_reserved, reference_kind, reference_id,
	note, actor, at, on_hand_after, reserved_after, alert_id`

func (r movementRow) row() (MovementRow, error) {
	m := MovementRow{ID: r.ID, PartNumber: r.PartNumber, Warehouse: r.Warehouse, Kind: r.Kind, Quantity: r.Quantity,
		FromReserved: r.FromReserved, Note: r.Note, At: r.At.UTC(), OnHandAfter: r.OnHandAfter,
		ReservedAfter: r.ReservedAfter}
	if r.ReferenceKind != "" || r.ReferenceID != "" {
		m.Reference = &complaint.MovementReference{Kind: r.ReferenceKind, ID: r.ReferenceID}
	}
	if err := json.Unmarshal([]byte(r.Actor), &m.Actor); err != nil {
		return MovementRow{}, fmt.Errorf("decode actor of movement %d: %w", r.ID, err)
	}
	return m, nil
}

// errMovementKeyTaken rolls back a movement whose key a concurrent call
// recorded first.
var errMovementKeyTaken = errors.New("movement idempotency key taken")

// ApplyMovement applies a movement in one transaction: the item's one
// guarded UPDATE, the ledger row with the levels after it, and an alert
// when the item falls below its reorder level (once per crossing). A
// movement that does not fit the item's level writes nothing and answers a
// *stock.ShortageError; an unknown item ErrNotFound, an unknown warehouse
// ErrUnknownWarehouse. Under an Idempotency-Key a retry by the same user
// writes nothing and answers the first movement (Replayed), or ErrKeyReused
// when the key came with another body.
func (s *Store) ApplyMovement(ctx context.Context, m Movement) (MovementResult, error) {
	m, err := prepareMovement(m)
	if err != nil {
		return MovementResult{}, err
	}
	var result MovementResult
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		result, err = s.applyMovementTx(ctx, tx, m)
		return err
	})
	if errors.Is(err, errMovementKeyTaken) {
		var ok bool
		result, ok, err = s.movementOfKey(ctx, s.db, m)
		if err == nil && !ok {
			err = errMovementKeyTaken // the key's movement vanished: cannot happen
		}
	}
	if err != nil {
		return MovementResult{}, err
	}
	return result, nil
}

// prepareMovement checks a movement and sets its time (now when zero) as
// stored.
func prepareMovement(m Movement) (Movement, error) {
	b := m.Body
	if !slices.Contains(complaint.MovementKinds(), b.Kind) {
		return m, fmt.Errorf("store: unknown movement kind %q", b.Kind)
	}
	if problems := b.Problems(); len(problems) > 0 {
		return m, fmt.Errorf("store: invalid movement: %v", problems)
	}
	if m.At.IsZero() {
		m.At = time.Now()
	}
	m.At = utc(m.At)
	return m, nil
}

// applyMovementTx applies a prepared movement in tx, as ApplyMovement
// does. It answers errMovementKeyTaken when a concurrent call recorded the
// movement's key first: the caller must roll tx back and read that call's
// movement (movementOfKey).
func (s *Store) applyMovementTx(ctx context.Context, tx *sqlx.Tx, m Movement) (MovementResult, error) {
	if replay, ok, err := s.movementOfKey(ctx, tx, m); err != nil || ok {
		return replay, err
	}
	mv, ok, err := moveItem(ctx, tx, m)
	if err != nil {
		return MovementResult{}, err
	}
	if !ok {
		// On PostgreSQL a concurrent call with the key may have committed
		// while this one waited for the row: this statement sees it.
		if replay, ok, err := s.movementOfKey(ctx, tx, m); err != nil || ok {
			return replay, err
		}
		return MovementResult{}, s.refusal(ctx, tx, m.Body)
	}
	if err := recordMoves(ctx, tx, []*moved{&mv}); err != nil {
		return MovementResult{}, err
	}
	item, err := s.getStockItem(ctx, tx, m.Body.PartNumber, m.Body.Warehouse)
	if err != nil {
		return MovementResult{}, err
	}
	return MovementResult{Movement: mv.row(), Item: item, AlertID: mv.alertID}, nil
}

// moved is a movement whose guarded UPDATE changed its item: the levels
// before and after it and, once recorded, its ids.
type moved struct {
	m             Movement
	before, after stock.Level
	reorderLevel  int
	alertID       int64 // 0 when it raised none
	id            int64
}

// alerts reports whether the movement took its item below its reorder
// level.
func (mv moved) alerts() bool { return stock.FellBelow(mv.before, mv.after, mv.reorderLevel) }

func (mv moved) row() MovementRow {
	b := mv.m.Body
	return MovementRow{ID: mv.id, PartNumber: b.PartNumber, Warehouse: b.Warehouse, Kind: b.Kind,
		Quantity: b.Quantity, FromReserved: b.FromReserved, Reference: b.Reference, Note: b.Note,
		Actor: mv.m.Actor, At: mv.m.At, OnHandAfter: mv.after.OnHand, ReservedAfter: mv.after.Reserved}
}

// moveItem runs a prepared movement's one guarded UPDATE of its item; ok
// is false when it matched no row (no such item, or the movement does not
// fit its level), and then nothing changed.
func moveItem(ctx context.Context, tx *sqlx.Tx, m Movement) (moved, bool, error) {
	b := m.Body
	dOn, dRes := stock.Deltas(b.Kind, b.Quantity, b.FromReserved)
	var after struct {
		OnHand       int `db:"on_hand"`
		Reserved     int `db:"reserved"`
		ReorderLevel int `db:"reorder_level"`
	}
	err := tx.GetContext(ctx, &after, tx.Rebind(`
		UPDATE stock_items SET on_hand = on_hand + ?, reserved = reserved + ?, updated_at = ?
		WHERE part_number = ? AND warehouse = ?
			AND on_hand + ? >= 0 AND reserved + ? >= 0 AND reserved + ? <= on_hand + ?
		RETURNING on_hand, reserved, reorder_level`),
		dOn, dRes, m.At, b.PartNumber, b.Warehouse, dOn, dRes, dRes, dOn)
	if errors.Is(err, sql.ErrNoRows) {
		return moved{}, false, nil
	}
	if err != nil {
		return moved{}, false, fmt.Errorf("apply movement: %w", err)
	}
	level := stock.Level{OnHand: after.OnHand, Reserved: after.Reserved}
	return moved{m: m, after: level, reorderLevel: after.ReorderLevel,
		before: stock.Level{OnHand: level.OnHand - dOn, Reserved: level.Reserved - dRes}}, true, nil
}

// recordMoves writes the ledger rows of movements moveItem applied in tx,
// and the alerts of those that fell below their reorder level, setting
// their ids. The ids are taken as one block per counter, the alerts' before
// the movements', so that every transaction takes the counters' rows in
// the same order (after the items'), however many movements it holds. It
// answers errMovementKeyTaken when a concurrent call recorded one of the
// keys first.
func recordMoves(ctx context.Context, tx *sqlx.Tx, mvs []*moved) error {
	crossed := 0
	for _, mv := range mvs {
		if mv.alerts() {
			crossed++
		}
	}
	if crossed > 0 {
		last, err := nextStockIDs(ctx, tx, "alert", crossed)
		if err != nil {
			return err
		}
		next := last - int64(crossed)
		for _, mv := range mvs {
			if !mv.alerts() {
				continue
			}
			next++
			b := mv.m.Body
			if _, err := tx.ExecContext(ctx, tx.Rebind(`
				INSERT INTO stock_alerts (id, part_number, warehouse, on_hand, reorder_level, at)
				VALUES (?, ?, ?, ?, ?, ?)`),
				next, b.PartNumber, b.Warehouse, mv.after.OnHand, mv.reorderLevel, mv.m.At); err != nil {
				return fmt.Errorf("record stock alert: %w", err)
			}
			mv.alertID = next
		}
	}
	last, err := nextStockIDs(ctx, tx, "movement", len(mvs))
	if err != nil {
		return err
	}
	for i, mv := range mvs {
		mv.id = last - int64(len(mvs)-1-i)
		b := mv.m.Body
		var ref complaint.MovementReference
		if b.Reference != nil {
			ref = *b.Reference
		}
		actor, err := json.Marshal(mv.m.Actor)
		if err != nil {
			return err
		}
		var key, alertID any // NULL without: NULLs never collide in the UNIQUE
		if mv.m.IdempotencyKey != "" {
			key = mv.m.IdempotencyKey
		}
		if mv.alertID != 0 {
			alertID = mv.alertID
		}
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO stock_movements (id, part_number, warehouse, kind, quantity, from_reserved,
				reference_kind, reference_id, note, actor, actor_user_id, at, on_hand_after, reserved_after,
				idempotency_key, alert_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (actor_user_id, idempotency_key) DO NOTHING`),
			mv.id, b.PartNumber, b.Warehouse, b.Kind, b.Quantity, b.FromReserved, ref.Kind, ref.ID, b.Note,
			string(actor), mv.m.Actor.UserID, mv.m.At, mv.after.OnHand, mv.after.Reserved, key, alertID)
		if err != nil {
			return fmt.Errorf("record movement: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			// A concurrent call with the key committed after this one
			// looked: undo this one's update and answer that call's.
			return errMovementKeyTaken
		}
	}
	return nil
}

// movementOfKey answers the movement recorded under m's user and key (ok),
// with its item as it stands, or ErrKeyReused when it was another body; ok
// is false when m has no key or none is recorded.
func (s *Store) movementOfKey(ctx context.Context, q sqlx.QueryerContext, m Movement) (MovementResult, bool, error) {
	if m.IdempotencyKey == "" {
		return MovementResult{}, false, nil
	}
	var r movementRow
	err := sqlx.GetContext(ctx, q, &r, s.db.Rebind(`
		SELECT `+movementColumns+` FROM stock_movements WHERE actor_user_id = ? AND idempotency_key = ?`),
		m.Actor.UserID, m.IdempotencyKey)
	if errors.Is(err, sql.ErrNoRows) {
		return MovementResult{}, false, nil
	}
	if err != nil {
		return MovementResult{}, false, fmt.Errorf("read movement of idempotency key: %w", err)
	}
	row, err := r.row()
	if err != nil {
		return MovementResult{}, false, err
	}
	if !sameMovement(row.body(), m.Body) {
		return MovementResult{}, false, ErrKeyReused
	}
	item, err := s.getStockItem(ctx, q, row.PartNumber, row.Warehouse)
	if err != nil {
		return MovementResult{}, false, err
	}
	return MovementResult{Movement: row, Item: item, AlertID: r.AlertID.Int64, Replayed: true}, true, nil
}

// sameMovement reports whether two bodies post the same movement.
func sameMovement(a, b complaint.MovementBody) bool {
	ref := func(r *complaint.MovementReference) complaint.MovementReference {
		if r == nil {
			return complaint.MovementReference{}
		}
		return *r
	}
	return a.PartNumber == b.PartNumber && a.Warehouse == b.Warehouse && a.Kind == b.Kind &&
		a.Quantity == b.Quantity && a.FromReserved == b.FromReserved && ref(a.Reference) == ref(b.Reference) &&
		a.Note == b.Note
}

// refusal says why the guarded UPDATE matched no row: the item or its
// warehouse does not exist, or the movement does not fit its level.
func (s *Store) refusal(ctx context.Context, tx *sqlx.Tx, b complaint.MovementBody) error {
	item, err := s.getStockItem(ctx, tx, b.PartNumber, b.Warehouse)
	if errors.Is(err, ErrNotFound) {
		if err := s.warehouseExists(ctx, tx, b.Warehouse); err != nil {
			return err
		}
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	return stock.Shortage(item.Level(), b.Kind, b.Quantity, b.FromReserved)
}

// nextStockIDs allocates the next n ids of a counter (movement, alert) and
// answers the last: the block is last-n+1 … last. On PostgreSQL the upsert
// holds the counter's row until commit, so take it after the items' rows:
// every movement takes its locks in that order.
func nextStockIDs(ctx context.Context, tx *sqlx.Tx, name string, n int) (int64, error) {
	var id int64
	if err := tx.GetContext(ctx, &id, tx.Rebind(`
		INSERT INTO stock_counters (name, last_id) VALUES (?, ?)
		ON CONFLICT (name) DO UPDATE SET last_id = stock_counters.last_id + ?
		RETURNING last_id`), name, n, n); err != nil {
		return 0, fmt.Errorf("allocate %s id: %w", name, err)
	}
	return id, nil
}

// StockMovements lists a part's movements in every warehouse, newest first
// (ids run in commit order), at most limit (100 when not positive).
func (s *Store) StockMovements(ctx context.Context, partNumber string, limit int) ([]MovementRow, error) {
	if limit <= 0 {
		limit = 100
	}
	var rows []movementRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
		SELECT `+movementColumns+` FROM stock_movements WHERE part_number = ? ORDER BY id DESC LIMIT ?`),
		partNumber, limit); err != nil {
		return nil, err
	}
	out := make([]MovementRow, 0, len(rows))
	for _, r := range rows {
		m, err := r.row()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}
