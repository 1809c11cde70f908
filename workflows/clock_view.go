package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// refreshClocks writes the clocks' state into the case view.
func (w *complaintWorkflow) refreshClocks() {
	if w.state.Clocks == nil {
		return
	}
	*w.state.Clocks = w.clocksView(w.clock)
}

// clocksView is the case view of the clocks that clock names.
func (w *complaintWorkflow) clocksView(clock func(name string) *clockRun) complaint.Clocks {
	view := func(c *clockRun) complaint.Clock {
		v := complaint.Clock{PausedSeconds: int64(c.paused / time.Second), WarningsSent: c.warnings, EscalationLevel: c.escalations}
		switch {
		case !c.required:
			v.State = complaint.ClockNotRequired
			return v
		case c.breached():
			v.State = complaint.ClockBreached
			v.BreachedAt = new(c.breachedAt)
		case c.stopped():
			v.State = complaint.ClockMet
		case c.running():
			v.State = complaint.ClockRunning
		default:
			v.State = complaint.ClockPaused
		}
		if !c.due.IsZero() {
			v.DueAt = new(c.due)
		}
		if c.stopped() {
			v.StoppedAt = new(c.stoppedAt)
		}
		return v
	}
	return complaint.Clocks{
		Response: view(clock(sla.Response)), Onsite: view(clock(sla.Onsite)), Resolution: view(clock(sla.Resolution)),
	}
}

// clockSearchAttributes are the clocks' search attributes, so supervisors
// filter "due within the hour" or "breached" in the Web UI.
func (w *complaintWorkflow) clockSearchAttributes() []temporal.SearchAttributeUpdate {
	if w.state.Clocks == nil {
		return nil
	}
	due := func(key temporal.SearchAttributeKeyTime, c complaint.Clock) temporal.SearchAttributeUpdate {
		if c.DueAt == nil || c.StoppedAt != nil {
			return key.ValueUnset()
		}
		return key.ValueSet(*c.DueAt)
	}
	cl := w.state.Clocks
	breached, atRisk := false, false
	for _, c := range []complaint.Clock{cl.Response, cl.Onsite, cl.Resolution} {
		breached = breached || c.State == complaint.ClockBreached
		atRisk = atRisk || (c.State == complaint.ClockRunning && c.WarningsSent > 0)
	}
	return []temporal.SearchAttributeUpdate{
		due(ResponseDueAtKey, cl.Response), due(OnsiteDueAtKey, cl.Onsite), due(ResolveDueAtKey, cl.Resolution),
		SLABreachedKey.ValueSet(breached), AtRiskKey.ValueSet(atRisk),
	}
}
