package workflows

import (
	"encoding/json"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// UpdateReopen answers with the case once a reopened run has recorded its
// reopen in the store; the API sends it with the new run's start
// (update-with-start), its update id being Carried.RequestID.
const UpdateReopen = "reopen"

// reopenChangeID marks runs that carry a reopened case over from a run
// ended outside the API; runs without Carried never reach it.
const (
	reopenChangeID = "reopen-carried-case"
	reopenVersion  = 1
)

// Carried is a terminated case an admin reopens as a new run of its
// workflow: the store's view of it, and who reopened it and why.
type Carried struct {
	// Case is the case as the store shows it, in stage terminated with its
	// Termination, which names the stage the new run resumes.
	Case   complaint.Case  `json:"case"`
	By     complaint.Actor `json:"by"`
	Reason string          `json:"reason"`
	// RequestID is the update id of the reopen that started this run; a
	// repeat of it answers the same, any other reopen is refused.
	RequestID string `json:"request_id"`
}

// restore takes over a carried case: its records and version, the stage it
// had when its workflow ended, and its clocks (see restoreClocks).
func (w *complaintWorkflow) restore(ctx workflow.Context, c *Carried) error {
	workflow.GetVersion(ctx, reopenChangeID, workflow.DefaultVersion, reopenVersion)
	w.state = c.Case
	w.state.Stage = complaint.StageConfirm
	if t := c.Case.Termination; t != nil && t.Stage != "" && t.Stage != complaint.StageTerminated {
		w.state.Stage = t.Stage
	}
	w.state.Termination = nil
	if w.policy.Name != "" && w.state.Clocks != nil {
		w.restoreClocks(ctx, workflow.Now(ctx))
	}
	w.state.AllowedSteps = allowedSteps(w.state)
	return workflow.SetUpdateHandlerWithOptions(ctx, UpdateReopen, func(ctx workflow.Context) (complaint.Case, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return complaint.Case{}, err
		}
		return w.state, nil
	}, workflow.UpdateHandlerOptions{Validator: func(ctx workflow.Context) error {
		if workflow.GetCurrentUpdateInfo(ctx).ID != c.RequestID {
			return refusal("the case has been reopened already", ErrTypeWrongStage,
				complaint.StageConflict{Stage: w.state.Stage, AllowedSteps: allowedSteps(w.state)})
		}
		return nil
	}})
}

// registerOrReopen records a new case in the store, or a reopened one's
// reopen: the next event of its timeline, with the admin as actor, which
// also shows the stage again.
func (w *complaintWorkflow) registerOrReopen(ctx workflow.Context, c *Carried) error {
	if c == nil {
		return w.register(ctx)
	}
	payload, err := json.Marshal(map[string]string{"reason": c.Reason, "stage": string(w.state.Stage)})
	if err != nil {
		return err
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: complaint.EventReopened, Actor: c.By, Payload: payload,
		OccurredAt: workflow.Now(ctx)}); err != nil {
		return err
	}
	w.registered = true
	return nil
}

// restoreClocks re-derives the clocks from the carried view. The rule: the
// time the workflow stood ended counts, since the customer kept waiting. A
// clock met, not required or breached keeps that state and the warnings and
// escalation levels already sent; a running clock keeps its deadline (one
// that passed meanwhile breaches as soon as the case is reopened); a paused
// resolution clock stays paused with the time it had run.
func (w *complaintWorkflow) restoreClocks(ctx workflow.Context, now time.Time) {
	views := map[string]complaint.Clock{sla.Response: w.state.Clocks.Response, sla.Onsite: w.state.Clocks.Onsite,
		sla.Resolution: w.state.Clocks.Resolution}
	w.clocks = nil
	for _, name := range []string{sla.Response, sla.Onsite, sla.Resolution} {
		v := views[name]
		c := &clockRun{name: name, target: w.policy.Target(name), required: v.State != complaint.ClockNotRequired,
			warnings: v.WarningsSent, escalations: v.EscalationLevel, paused: time.Duration(v.PausedSeconds) * time.Second}
		if v.BreachedAt != nil {
			c.breachedAt = *v.BreachedAt
		}
		switch {
		case !c.required:
		case v.StoppedAt != nil:
			c.stoppedAt = *v.StoppedAt
		case v.State == complaint.ClockPaused:
			c.pausedSince = now
			if w.state.Paused != nil {
				c.pausedSince = w.state.Paused.Since
			}
			c.elapsed = max(0, w.calendarElapsed(w.state.ReceivedAt, c.pausedSince)-c.paused)
		default: // running, or breached and escalating
			c.runningSince = now
			c.elapsed = max(0, w.calendarElapsed(w.state.ReceivedAt, now)-c.paused)
			if v.DueAt != nil {
				c.due = *v.DueAt
			} else {
				c.due = w.calendarAdd(now, c.target-c.elapsed)
			}
		}
		w.clocks = append(w.clocks, c)
	}
	w.refreshClocks()
	for _, c := range w.clocks {
		workflow.Go(ctx, func(ctx workflow.Context) {
			if workflow.Await(ctx, func() bool { return w.registered }) == nil {
				w.watchClock(ctx, c)
			}
		})
	}
}
