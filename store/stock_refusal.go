package store

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
)

// Parts fitted on visits, issued from stock in one transaction.

// StockRefusal is a movement or a lending the stock does not allow. Field
// names the request field to blame (the API answers 422), or Conflict is
// true: the request is sound but the stock stands against it (409: a
// shortage, a unit already on loan). Message says why, about Field when
// there is one.
type StockRefusal struct {
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Conflict bool   `json:"conflict,omitempty"`
}

func (r *StockRefusal) Error() string {
	if r.Field != "" {
		return r.Field + ": " + r.Message
	}
	return r.Message
}

func refuse(field, format string, args ...any) *StockRefusal {
	return &StockRefusal{Field: field, Message: fmt.Sprintf(format, args...)}
}

func conflict(format string, args ...any) *StockRefusal {
	return &StockRefusal{Message: fmt.Sprintf(format, args...), Conflict: true}
}

// StockAlert is an item's fall below its reorder level that a movement
// raised: what the alert's workflow (workflows.StockAlertInput) tells.
type StockAlert struct {
	AlertID      int64     `json:"alert_id"`
	PartNumber   string    `json:"part_number"`
	Warehouse    string    `json:"warehouse"`
	Name         string    `json:"name"`
	OnHand       int       `json:"on_hand"`
	ReorderLevel int       `json:"reorder_level"`
	At           time.Time `json:"at"`
}

// PartsIssue issues the parts fitted on a visit of a case, by Actor at At
// (now when zero).
type PartsIssue struct {
	ComplaintID string               `json:"complaint_id"`
	Visit       string               `json:"visit"`
	Parts       []complaint.PartUsed `json:"parts"`
	Actor       complaint.Actor      `json:"actor"`
	At          time.Time            `json:"at"`
}

// PartsIssued is what issuing the parts raised: the reorder alerts, whose
// workflows the caller starts (none is an empty list).
type PartsIssued struct {
	Alerts []StockAlert `json:"alerts"`
}

// partMovement is the issue of the visit's i-th part: keyed by the case,
// the visit and the part's place, under the actor's user.
func (in PartsIssue) partMovement(i int) Movement {
	p := in.Parts[i]
	ref := in.ComplaintID + "/" + in.Visit
	return Movement{
		Body: complaint.MovementBody{PartNumber: p.PartNumber, Warehouse: complaint.WarehouseOr(p.Warehouse),
			Kind: complaint.MovementIssue, Quantity: p.Quantity,
			Reference: &complaint.MovementReference{Kind: complaint.ReferenceVisit, ID: ref},
			Note:      "fitted on visit " + in.Visit + " of case " + in.ComplaintID},
		Actor: in.Actor, At: in.At, IdempotencyKey: ref + "/part/" + strconv.Itoa(i),
	}
}

// IssueParts issues every part fitted on a visit from its warehouse, all
// or nothing, in one transaction. A part the stock cannot give answers a
// *StockRefusal naming it (parts_used[i]…) and issues nothing. Each issue
// is keyed by the case, the visit and the part's place, so a retry writes
// nothing and answers the alerts of the first call (ErrKeyReused when the
// visit's parts changed since).
func (s *Store) IssueParts(ctx context.Context, in PartsIssue) (PartsIssued, error) {
	if in.At.IsZero() {
		in.At = time.Now()
	}
	ms := make([]Movement, len(in.Parts))
	for i, p := range in.Parts {
		if p.Quantity < 1 {
			return PartsIssued{}, refuse(fmt.Sprintf("parts_used[%d].quantity", i), "must be at least 1")
		}
		m, err := prepareMovement(in.partMovement(i))
		if err != nil {
			return PartsIssued{}, err
		}
		ms[i] = m
	}
	if len(ms) == 0 {
		return PartsIssued{Alerts: []StockAlert{}}, nil
	}
	var out PartsIssued
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if replay, ok, err := s.partsOfKeys(ctx, tx, ms); err != nil || ok {
			out = replay
			return err
		}
		// The items' rows are taken in one order (warehouse, part number)
		// whatever the visit's order, so two visits issuing the same parts
		// cannot wait for each other; the ledger keeps the visit's order.
		order := make([]int, len(ms))
		for i := range order {
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool {
			x, y := ms[order[a]].Body, ms[order[b]].Body
			if x.Warehouse != y.Warehouse {
				return x.Warehouse < y.Warehouse
			}
			return x.PartNumber < y.PartNumber
		})
		mvs := make([]*moved, len(ms))
		for _, i := range order {
			mv, ok, err := moveItem(ctx, tx, ms[i])
			if err != nil {
				return err
			}
			if !ok {
				if replay, ok, err := s.partsOfKeys(ctx, tx, ms); err != nil || ok {
					out = replay
					return err
				}
				return s.partRefusal(ctx, tx, i, ms[i].Body)
			}
			mvs[i] = &mv
		}
		if err := recordMoves(ctx, tx, mvs); err != nil {
			return err
		}
		out = PartsIssued{Alerts: []StockAlert{}}
		for _, mv := range mvs {
			if mv.alertID == 0 {
				continue
			}
			item, err := s.getStockItem(ctx, tx, mv.m.Body.PartNumber, mv.m.Body.Warehouse)
			if err != nil {
				return err
			}
			out.Alerts = append(out.Alerts, StockAlert{AlertID: mv.alertID, PartNumber: item.PartNumber,
				Warehouse: item.Warehouse, Name: item.Name, OnHand: mv.after.OnHand, ReorderLevel: mv.reorderLevel,
				At: mv.m.At})
		}
		return nil
	})
	if errors.Is(err, errMovementKeyTaken) || errors.Is(err, ErrKeyReused) {
		// A concurrent call issued the visit's parts first. On PostgreSQL
		// each statement of the transaction saw the ledger as it was when
		// the statement began, so the transaction may have seen only some
		// of that call's movements, committed between two of its reads:
		// read them again now that it has ended.
		replay, ok, rerr := s.partsOfKeys(ctx, s.db, ms)
		switch {
		case rerr != nil:
			err = rerr
		case ok:
			out, err = replay, nil
		}
	}
	if err != nil {
		return PartsIssued{}, err
	}
	return out, nil
}

// partsOfKeys answers the issue of a visit's parts recorded under their
// keys (ok): the alerts they raised. ok is false when none is recorded;
// ErrKeyReused when some are and some not, or one with another body.
func (s *Store) partsOfKeys(ctx context.Context, q sqlx.QueryerContext, ms []Movement) (PartsIssued, bool, error) {
	out := PartsIssued{Alerts: []StockAlert{}}
	found := 0
	for _, m := range ms {
		r, ok, err := s.movementOfKey(ctx, q, m)
		if err != nil {
			return PartsIssued{}, false, err
		}
		if !ok {
			continue
		}
		found++
		if r.AlertID == 0 {
			continue
		}
		var a struct {
			OnHand       int       `db:"on_hand"`
			ReorderLevel int       `db:"reorder_level"`
			At           time.Time `db:"at"`
		}
		if err := sqlx.GetContext(ctx, q, &a, s.db.Rebind(`
			SELECT on_hand, reorder_level, at FROM stock_alerts WHERE id = ?`), r.AlertID); err != nil {
			return PartsIssued{}, false, fmt.Errorf("read stock alert %d: %w", r.AlertID, err)
		}
		out.Alerts = append(out.Alerts, StockAlert{AlertID: r.AlertID, PartNumber: r.Item.PartNumber,
			Warehouse: r.Item.Warehouse, Name: r.Item.Name, OnHand: a.OnHand, ReorderLevel: a.ReorderLevel,
			At: a.At.UTC()})
	}
	switch {
	case found == 0:
		return PartsIssued{}, false, nil
	case found < len(ms):
		return PartsIssued{}, false, ErrKeyReused
	}
	// Every part as the first call issued it; but that call had more.
	last := ms[len(ms)-1]
	var more int
	if err := sqlx.GetContext(ctx, q, &more, s.db.Rebind(`
		SELECT COUNT(*) FROM stock_movements WHERE actor_user_id = ? AND idempotency_key = ?`),
		last.Actor.UserID, nextPartKey(last.IdempotencyKey, len(ms))); err != nil {
		return PartsIssued{}, false, err
	}
	if more > 0 {
		return PartsIssued{}, false, ErrKeyReused
	}
	return out, true, nil
}

// nextPartKey is the key of the part after the n parts of a visit, from
// the key of its last part.
func nextPartKey(lastKey string, n int) string {
	return lastKey[:strings.LastIndex(lastKey, "/")+1] + strconv.Itoa(n)
}

// partRefusal says why the visit's i-th part could not be issued.
func (s *Store) partRefusal(ctx context.Context, tx *sqlx.Tx, i int, b complaint.MovementBody) error {
	err := s.refusal(ctx, tx, b)
	var short *stock.ShortageError
	switch {
	case errors.Is(err, ErrUnknownWarehouse):
		return refuse(fmt.Sprintf("parts_used[%d].warehouse", i), "is not a warehouse")
	case errors.Is(err, ErrNotFound):
		return refuse(fmt.Sprintf("parts_used[%d].part_number", i), "is not stocked in warehouse %s", b.Warehouse)
	case errors.As(err, &short):
		return conflict("parts_used[%d] (%s): %s", i, b.PartNumber, short.Error())
	}
	return err
}
