package workflows

import (
	"encoding/json"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// UpdateReopen answers with the case once a reopened run has recorded its
// reopen in the store; the API sends it with the new run's start
// (update-with-start), its update id being Carried.RequestID.
var UpdateReopen = UpdateNoArg[complaint.Case]{Name: "reopen"}

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
// had when its workflow ended, and its clocks (see rules.State.RestoreRuns).
func (w *complaintWorkflow) restore(ctx workflow.Context, c *Carried) error {
	w.version(ctx, reopenChangeID)
	w.state.Case = c.Case
	w.state.Stage = complaint.StageConfirm
	if t := c.Case.Termination; t != nil && t.Stage != "" && t.Stage != complaint.StageTerminated {
		w.state.Stage = t.Stage
	}
	w.state.Termination = nil
	if w.state.Policy.Name != "" && w.state.Clocks != nil {
		w.state.RestoreRuns(workflow.Now(ctx))
		w.watchClocks(ctx)
	}
	w.state.AllowedSteps = rules.AllowedSteps(w.state.Case)
	w.watchLoans()
	return UpdateReopen.Handle(ctx, func(ctx workflow.Context) (complaint.Case, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return complaint.Case{}, err
		}
		return w.state.Case, nil
	}, func(ctx workflow.Context) error {
		if workflow.GetCurrentUpdateInfo(ctx).ID != c.RequestID {
			return refusal("the case has been reopened already", ErrTypeWrongStage,
				complaint.StageConflict{Stage: w.state.Stage, AllowedSteps: rules.AllowedSteps(w.state.Case)})
		}
		return nil
	})
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
		OccurredAt: workflow.Now(ctx)}, writeFirst); err != nil {
		return err
	}
	w.registered = true
	return nil
}
