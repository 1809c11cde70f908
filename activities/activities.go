// Package activities holds the side effects of case workflows: projecting
// cases into the store (and, in later issues, notifying people). Every
// activity is idempotent because Temporal runs it at least once.
package activities

import (
	"context"

	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
)

// Activities carries the activities' dependencies; its methods are registered
// on the worker.
type Activities struct {
	Store *store.Store
	// Channel delivers notifications; nil keeps them in the outbox only.
	Channel notify.Channel
	// Temporal lets the reconciler read how workflows ended (reconcile.go).
	Temporal client.Client
	// TimeZone is the company's (IANA name): the dates of corrective
	// actions a case opens; complaint.DefaultTimeZone when empty.
	TimeZone string
	// Followups is the follow-up policy; followup.DefaultPolicy when zero.
	Followups followup.Policy
	// PublicURL is where customers reach caseflow: survey links start
	// with it.
	PublicURL string
}

// CaseEvent is a case snapshot together with the event that produced it.
type CaseEvent struct {
	Case  complaint.Case
	Event complaint.Event
}

// RegisterCase records a new case and returns its case number; a retry
// returns the number allocated the first time.
func (a *Activities) RegisterCase(ctx context.Context, in CaseEvent) (string, error) {
	return a.Store.RegisterCase(ctx, in.Case, in.Event)
}

// ApplyEvent appends an event to the case's timeline and updates its
// projection; a retry or a stale snapshot changes nothing.
func (a *Activities) ApplyEvent(ctx context.Context, in CaseEvent) error {
	return a.Store.ApplyEvent(ctx, in.Case, in.Event)
}

// CaseEvents is a case snapshot with the events that produced it.
type CaseEvents struct {
	Case   complaint.Case
	Events []complaint.Event
}

// ApplyEvents appends several events at once; the clocks use it, as a local
// activity, for what happens at one instant (a breach and its escalation).
func (a *Activities) ApplyEvents(ctx context.Context, in CaseEvents) error {
	return a.Store.ApplyEvents(ctx, in.Case, in.Events)
}
