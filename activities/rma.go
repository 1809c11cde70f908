package activities

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
	"github.com/caseflow/caseflow/store"
)

// RMAEvent is an RMA snapshot together with the event that produced it.
type RMAEvent struct {
	RMA   complaint.RMA   `json:"rma"`
	Event complaint.Event `json:"event"`
}

// RMANumber is an RMA's number and the serial in it.
type RMANumber = store.RMANumber

// RegisterRMA records a new RMA and returns its number; a retry returns the
// number allocated the first time.
func (a *Activities) RegisterRMA(ctx context.Context, in RMAEvent) (RMANumber, error) {
	return a.Store.RegisterRMA(ctx, in.RMA, in.Event)
}

// ApplyRMAEvent appends an event to the RMA's timeline and updates its
// projection; a retry or a stale snapshot changes nothing.
func (a *Activities) ApplyRMAEvent(ctx context.Context, in RMAEvent) error {
	return a.Store.ApplyRMAEvent(ctx, in.RMA, in.Event)
}

// RMAMovement is the stock movement of one step of an RMA.
type RMAMovement struct {
	RMAID string                 `json:"rma_id"`
	Step  string                 `json:"step"`
	Actor complaint.Actor        `json:"actor"`
	Body  complaint.MovementBody `json:"body"`
	At    time.Time              `json:"at"`
}

// RMAMoved is an applied movement: its id in the ledger, the reorder alert
// it raised (0 for none) and the item after it, for the alert.
type RMAMoved struct {
	MovementID   int64  `json:"movement_id"`
	AlertID      int64  `json:"alert_id,omitempty"`
	Name         string `json:"name"`
	OnHand       int    `json:"on_hand"`
	ReorderLevel int    `json:"reorder_level"`
}

// MoveRMAStock applies the movement once: it is keyed by the RMA and the
// step (the ledger keeps one movement per user and key), so a retry answers
// the movement already applied. A refused movement writes nothing and fails
// as every stock activity does (StockRefusalType, a *store.StockRefusal),
// which the workflow turns into the step's refusal.
func (a *Activities) MoveRMAStock(ctx context.Context, in RMAMovement) (RMAMoved, error) {
	res, err := a.Store.ApplyMovement(ctx, store.Movement{Body: in.Body, Actor: in.Actor, At: in.At,
		IdempotencyKey: "rma:" + in.RMAID + ":" + in.Step})
	var short *stock.ShortageError
	switch {
	case errors.As(err, &short):
		err = &store.StockRefusal{Conflict: true, Message: fmt.Sprintf("not enough stock of %s in warehouse %s: %s",
			in.Body.PartNumber, in.Body.Warehouse, short.Error())}
	case errors.Is(err, store.ErrNotFound):
		err = &store.StockRefusal{Field: "part_number", Message: "is not kept in warehouse " + in.Body.Warehouse}
	case errors.Is(err, store.ErrUnknownWarehouse):
		err = &store.StockRefusal{Field: "warehouse", Message: "names no warehouse"}
	case errors.Is(err, store.ErrKeyReused):
		// The step's key moved other stock before: cannot happen, as an
		// RMA takes each step once and a refused movement keeps no key.
		err = &store.StockRefusal{Conflict: true, Message: "the step moved other stock before: " + err.Error()}
	}
	if err != nil {
		return RMAMoved{}, stockError(err)
	}
	return RMAMoved{MovementID: res.Movement.ID, AlertID: res.AlertID, Name: res.Item.Name,
		OnHand: res.Movement.OnHandAfter, ReorderLevel: res.Item.ReorderLevel}, nil
}
