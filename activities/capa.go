package activities

import (
	"context"
	"errors"
	"slices"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
)

// CapaEvent is a corrective action's snapshot together with the event that
// produced it.
type CapaEvent struct {
	Capa  complaint.Capa  `json:"capa"`
	Event complaint.Event `json:"event"`
}

// CapaNumber is an action's number and the serial in it.
type CapaNumber = store.CapaNumber

// RegisterCapa records a new corrective action and returns its number; a
// retry returns the number allocated the first time.
func (a *Activities) RegisterCapa(ctx context.Context, in CapaEvent) (CapaNumber, error) {
	return a.Store.RegisterCapa(ctx, in.Capa, in.Event)
}

// ApplyCapaEvent appends an event to the action's timeline and updates its
// projection; a retry or a stale snapshot changes nothing.
func (a *Activities) ApplyCapaEvent(ctx context.Context, in CapaEvent) error {
	return a.Store.ApplyCapaEvent(ctx, in.Capa, in.Event)
}

// CapaRecurrence asks whether a complaint repeats one of an action's cases:
// the complaint, the version of its case the store must have caught up
// with, and the action's complaints (filled in by the action).
type CapaRecurrence struct {
	ComplaintID  string   `json:"complaint_id"`
	Version      int64    `json:"version"`
	ComplaintIDs []string `json:"complaint_ids,omitempty"`
}

// errStoreBehind fails an attempt whose complaint the store has not yet
// caught up with; the activity is retried until it has.
var errStoreBehind = errors.New("the store has not caught up with the complaint yet")

// ConfirmRecurrence answers the complaint's case number when the store
// shows it repeating one of the action's cases within the recurrence
// window, "" when it does not.
func (a *Activities) ConfirmRecurrence(ctx context.Context, r CapaRecurrence) (string, error) {
	c, err := a.Store.GetCase(ctx, r.ComplaintID)
	if errors.Is(err, store.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if c.Version < r.Version {
		return "", errStoreBehind
	}
	earlier, err := a.Store.EarlierCases(ctx, RecurrenceProbe(c))
	if err != nil {
		return "", err
	}
	for _, e := range earlier {
		if slices.Contains(r.ComplaintIDs, e.ID) {
			return c.CaseNumber, nil
		}
	}
	return "", nil
}

// RecurrenceProbe is what finds the cases c repeats (rules.RecurrenceWindow
// back).
func RecurrenceProbe(c complaint.Case) store.RecurrenceProbe {
	p := store.RecurrenceProbe{ComplaintID: c.ID, ReceivedAt: c.ReceivedAt, PartNumber: c.PartNumber,
		EquipmentSerial: c.EquipmentSerial, Window: rules.RecurrenceWindow}
	if c.Analysis != nil {
		p.RootCause = c.Analysis.RootCause
	}
	return p
}

// Recurrence is what a complaint repeats: the earlier cases, and the
// corrective actions linked to them.
type Recurrence struct {
	Cases []store.CaseRef  `json:"cases"`
	Capas []complaint.Capa `json:"capas,omitempty"`
}

// FindRecurrence finds the most recent earlier cases a complaint repeats
// within the recurrence window (rules.RecurrenceLinks of them), and the
// corrective actions of all of them.
func (a *Activities) FindRecurrence(ctx context.Context, p store.RecurrenceProbe) (Recurrence, error) {
	p.Latest = rules.RecurrenceLinks
	cases, capas, err := a.Store.RecurrenceOf(ctx, p)
	return Recurrence{Cases: cases, Capas: capas}, err
}

// CompanyTimeZone answers the company's time zone, for a corrective action
// a case opened (the case does not know it; the answer is recorded in the
// action's history).
func (a *Activities) CompanyTimeZone(context.Context) (string, error) {
	if a.TimeZone == "" {
		return complaint.DefaultTimeZone, nil
	}
	return a.TimeZone, nil
}
