package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
)

// Update names of the lifecycle's steps, one per step, as in the API's paths
// (POST /api/v1/complaints/{id}/<step>). Each takes a Step of its body and
// answers with the updated case.
const (
	UpdateContact           = "contact"
	UpdateConfirm           = "confirm"
	UpdateAnalysis          = "analysis"
	UpdateProposals         = "proposals"
	UpdateAgreement         = "agreement"
	UpdateApprovals         = "approvals"
	UpdateProgress          = "progress"
	UpdateCorrectiveActions = "corrective-actions"
	UpdateResolve           = "resolve"
	UpdateClose             = "close"
	UpdateWithdraw          = "withdraw"
)

// Step is the single argument of every step update: who acts, and the body
// the API received. The API sets Actor from the authenticated caller, never
// from the body, so the workflow can check the actor's rights on the case,
// and signs it (see actorsig) so that no other client can name an actor.
type Step[B any] struct {
	Actor     complaint.Actor     `json:"actor"`
	Body      B                   `json:"body"`
	Signature *actorsig.Signature `json:"signature,omitempty"`
}

// The argument of each step update.
type (
	ContactRequest          = Step[complaint.ContactBody]
	ConfirmRequest          = Step[complaint.ConfirmBody]
	AnalysisRequest         = Step[complaint.AnalysisBody]
	ProposalRequest         = Step[complaint.ProposalBody]
	AgreementRequest        = Step[complaint.AgreementBody]
	ApprovalRequest         = Step[complaint.ApprovalBody]
	ProgressRequest         = Step[complaint.NoteBody]
	CorrectiveActionRequest = Step[complaint.CorrectiveActionBody]
	ResolveRequest          = Step[complaint.NoteBody]
	CloseRequest            = Step[complaint.CloseBody]
	WithdrawRequest         = Step[complaint.NoteBody]
)

func (w *complaintWorkflow) setStepHandlers(ctx workflow.Context) error {
	return errors.Join(
		setStep(ctx, w, UpdateContact, nil, w.applyContact),
		setStep(ctx, w, UpdateConfirm, w.checkConfirm, w.applyConfirm),
		setStep(ctx, w, UpdateAnalysis, w.checkAnalysis, w.applyAnalysis),
		setStep(ctx, w, UpdateProposals, nil, w.applyProposal),
		setStep(ctx, w, UpdateAgreement, w.checkAgreement, w.applyAgreement),
		setStep(ctx, w, UpdateApprovals, w.checkApproval, w.applyApproval),
		setStep(ctx, w, UpdateProgress, nil, w.applyProgress),
		setStep(ctx, w, UpdateCorrectiveActions, w.checkCorrectiveAction, w.applyCorrectiveAction),
		setStep(ctx, w, UpdateResolve, nil, w.applyResolve),
		setStep(ctx, w, UpdateClose, nil, w.applyClose),
		setStep(ctx, w, UpdateWithdraw, nil, w.applyWithdraw),
	)
}

// setStep registers one step. check refuses what the case does not allow
// beyond the common checks (stage, department, body tags); apply changes the
// state and names the timeline event. Both see the state under the lock.
func setStep[B any](ctx workflow.Context, w *complaintWorkflow, name string,
	check func(workflow.Context, Step[B]) error, apply func(Step[B], time.Time) string,
) error {
	admit := func(ctx workflow.Context, s Step[B]) error {
		if err := w.admit(name, s.Actor, s.Body); err != nil {
			return err
		}
		if check == nil {
			return nil
		}
		return check(ctx, s)
	}
	// Only the validator verifies the signature: it does not run on replay,
	// and the key that signed may have been rotated away since.
	validate := func(ctx workflow.Context, s Step[B]) error {
		if err := verifyStep(ctx, name, s); err != nil {
			return err
		}
		return admit(ctx, s)
	}
	handler := func(ctx workflow.Context, s Step[B]) (complaint.Case, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return complaint.Case{}, err
		}
		// One step at a time: a step blocks on its store activity, and another
		// must neither interleave with it nor act on the state it left behind.
		if err := w.lock.Lock(ctx); err != nil {
			return complaint.Case{}, err
		}
		defer w.lock.Unlock()
		// What the clocks owed before this step is recorded first.
		if err := w.fireDue(ctx); err != nil {
			return complaint.Case{}, err
		}
		// The case may have moved on since the validator accepted this step.
		if err := admit(ctx, s); err != nil {
			return complaint.Case{}, err
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return complaint.Case{}, err
		}
		now := workflow.Now(ctx)
		kind := apply(s, now)
		// The update id goes with the event (only the activity's input, no
		// new command, so recorded histories replay): the API compares a
		// keyed retry's body with the payload of the event its id applied.
		return w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
	}
	return workflow.SetUpdateHandlerWithOptions(ctx, name, handler, workflow.UpdateHandlerOptions{Validator: validate})
}

// commit records an applied step: the next event in the timeline, the store's
// projection (before the update answers, so the API and the store agree), and
// the search attributes.
func (w *complaintWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Case, error) {
	w.state.Version++
	w.refreshClocks()
	w.state.AllowedSteps = allowedSteps(w.state)
	ev.Seq = w.state.Version
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyEvent,
		activities.CaseEvent{Case: w.state, Event: ev}).Get(ctx, nil); err != nil {
		return complaint.Case{}, fmt.Errorf("apply event %d (%s): %w", ev.Seq, ev.Kind, err)
	}
	if err := w.publish(ctx); err != nil {
		return complaint.Case{}, err
	}
	return w.state, nil
}
