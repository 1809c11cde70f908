package workflows

import (
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
)

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
