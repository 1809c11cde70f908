// Package stock is the store of spare parts and backup units [the
// backup-parts section, 4.(6)]: what each movement of the ledger does to an
// item's quantities, the invariants no movement may break, and when an item
// falls below its reorder level. It has no database or Temporal import: the
// store applies the deltas in one guarded statement, the API words the
// refusals.
package stock

import (
	"fmt"

	"github.com/caseflow/caseflow/complaint"
)

// Level is an item's quantities in one warehouse: on hand, and the part of
// it reserved for a case, a visit or a return.
type Level struct {
	OnHand   int `json:"on_hand"`
	Reserved int `json:"reserved"`
}

// Available is what can be reserved or issued.
func (l Level) Available() int { return l.OnHand - l.Reserved }

// Valid reports whether the level keeps the invariants: nothing negative,
// no more reserved than on hand.
func (l Level) Valid() bool { return l.OnHand >= 0 && l.Reserved >= 0 && l.Reserved <= l.OnHand }

// Deltas are what a movement of kind and quantity q adds to on-hand and
// reserved: a receipt or a return adds stock, a reservation sets some
// aside, an issue takes stock out (from what was reserved for it, when
// fromReserved), a release gives a reservation back, an adjustment (q may
// be negative) corrects a count.
func Deltas(kind string, q int, fromReserved bool) (onHand, reserved int) {
	switch kind {
	case complaint.MovementReceive, complaint.MovementReturn, complaint.MovementAdjust:
		return q, 0
	case complaint.MovementReserve:
		return 0, q
	case complaint.MovementRelease:
		return 0, -q
	case complaint.MovementIssue:
		if fromReserved {
			return -q, -q
		}
		return -q, 0
	}
	return 0, 0
}

// Apply is the level after the movement, or why the movement is refused.
func Apply(l Level, kind string, q int, fromReserved bool) (Level, error) {
	dOn, dRes := Deltas(kind, q, fromReserved)
	next := Level{OnHand: l.OnHand + dOn, Reserved: l.Reserved + dRes}
	if next.Valid() {
		return next, nil
	}
	return l, Shortage(l, kind, q, fromReserved)
}

// ShortageError is a movement that would take more than there is.
type ShortageError struct {
	Kind      string
	Wanted    int
	Available int // what the movement could have taken
}

func (e *ShortageError) Error() string {
	return fmt.Sprintf("%s of %d: only %d available", e.Kind, e.Wanted, e.Available)
}

// Shortage words why the movement does not fit level l.
func Shortage(l Level, kind string, q int, fromReserved bool) *ShortageError {
	e := &ShortageError{Kind: kind, Wanted: q, Available: l.Available()}
	switch {
	case kind == complaint.MovementRelease, kind == complaint.MovementIssue && fromReserved:
		e.Available = l.Reserved
	case kind == complaint.MovementAdjust:
		e.Wanted, e.Available = -q, l.Available()
	}
	return e
}

// FellBelow reports whether a movement from before to after takes the item
// below its reorder level: once per crossing, not on every issue below it.
func FellBelow(before, after Level, reorderLevel int) bool {
	return reorderLevel > 0 && before.OnHand >= reorderLevel && after.OnHand < reorderLevel
}
