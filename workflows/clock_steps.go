package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Update names of the service-level steps.
const (
	UpdateOnsite  = "onsite"
	UpdatePause   = "pause"
	UpdateResume  = "resume"
	UpdateInterim = "interim"
)

// The argument of each service-level step update.
type (
	OnsiteRequest  = Step[complaint.OptionalNoteBody]
	PauseRequest   = Step[complaint.PauseBody]
	ResumeRequest  = Step[complaint.OptionalNoteBody]
	InterimRequest = Step[complaint.InterimBody]
)

// systemActor signs the timeline events the clocks record themselves.
var systemActor = complaint.Actor{UserID: "caseflow", Name: "service-level clock"}

func (w *complaintWorkflow) setClockStepHandlers(ctx workflow.Context) error {
	for _, err := range []error{
		setStep(ctx, w, UpdateOnsite, nil, w.applyOnsite),
		setStep(ctx, w, UpdatePause, nil, w.applyPause),
		setStep(ctx, w, UpdateResume, nil, w.applyResume),
		setStep(ctx, w, UpdateInterim, nil, w.applyInterim),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *complaintWorkflow) applyOnsite(_ OnsiteRequest, now time.Time) string {
	w.stopClock(w.clock(sla.Onsite), now)
	return complaint.EventOnsite
}

func (w *complaintWorkflow) applyPause(s PauseRequest, now time.Time) string {
	w.pauseClock(w.clock(sla.Resolution), now)
	w.state.Paused = &complaint.Pause{Reason: s.Body.Reason, By: s.Actor, Since: now}
	return complaint.EventPaused
}

func (w *complaintWorkflow) applyResume(_ ResumeRequest, now time.Time) string {
	w.resumeClock(w.clock(sla.Resolution), now)
	w.state.Paused = nil
	return complaint.EventResumed
}

func (w *complaintWorkflow) applyInterim(s InterimRequest, now time.Time) string {
	w.state.Interim = &complaint.Interim{Kind: s.Body.Kind, Description: s.Body.Description, By: s.Actor, At: now}
	w.clock(sla.Resolution).changes++ // ends its escalation
	return complaint.EventInterim
}

// clockSteps are the service-level steps a case takes now.
func clockSteps(c complaint.Case) []string {
	if c.Clocks == nil || c.Stage == complaint.StageClosed {
		return nil
	}
	var steps []string
	if open(c.Clocks.Onsite) {
		steps = append(steps, UpdateOnsite)
	}
	switch {
	case c.Paused != nil:
		steps = append(steps, UpdateResume)
	case c.Clocks.Resolution.State == complaint.ClockRunning:
		steps = append(steps, UpdatePause)
	}
	// An interim solution is owed while the late case is not yet resolved.
	if c.InterimRequired && c.Interim == nil && c.Clocks.Resolution.StoppedAt == nil {
		steps = append(steps, UpdateInterim)
	}
	return steps
}

// open reports whether a clock still runs (on time or late).
func open(c complaint.Clock) bool {
	return c.StoppedAt == nil && (c.State == complaint.ClockRunning || c.State == complaint.ClockBreached)
}
