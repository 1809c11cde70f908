package workflows

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The step updates, one per step, named as in the API's paths
// (POST /api/v1/complaints/{id}/<step>). Each takes a Step of its body and
// answers with the updated case; rules.<Step> holds what it checks and does.
var (
	UpdateContact           = Update[ContactRequest, complaint.Case]{Name: complaint.StepContact}
	UpdateConfirm           = Update[ConfirmRequest, complaint.Case]{Name: complaint.StepConfirm}
	UpdateAnalysis          = Update[AnalysisRequest, complaint.Case]{Name: complaint.StepAnalysis}
	UpdateProposals         = Update[ProposalRequest, complaint.Case]{Name: complaint.StepProposals}
	UpdateAgreement         = Update[AgreementRequest, complaint.Case]{Name: complaint.StepAgreement}
	UpdateApprovals         = Update[ApprovalRequest, complaint.Case]{Name: complaint.StepApprovals}
	UpdateProgress          = Update[ProgressRequest, complaint.Case]{Name: complaint.StepProgress}
	UpdateCorrectiveActions = Update[CorrectiveActionRequest, complaint.Case]{Name: complaint.StepCorrectiveActions}
	UpdateResolve           = Update[ResolveRequest, complaint.Case]{Name: complaint.StepResolve}
	UpdateClose             = Update[CloseRequest, complaint.Case]{Name: complaint.StepClose}
	UpdateWithdraw          = Update[WithdrawRequest, complaint.Case]{Name: complaint.StepWithdraw}
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
		setStep(ctx, w, UpdateContact, rules.Contact),
		setStep(ctx, w, UpdateConfirm, rules.Confirm),
		setStep(ctx, w, UpdateAnalysis, rules.Analysis),
		setStep(ctx, w, UpdateProposals, rules.Proposal),
		setStep(ctx, w, UpdateAgreement, rules.Agreement),
		setStep(ctx, w, UpdateApprovals, rules.Approval),
		setStep(ctx, w, UpdateProgress, rules.Progress),
		setStep(ctx, w, UpdateCorrectiveActions, rules.CorrectiveAction),
		setStep(ctx, w, UpdateResolve, rules.Resolve),
		setStep(ctx, w, UpdateClose, rules.Close),
		setStep(ctx, w, UpdateWithdraw, rules.Withdraw),
	)
}

// setStep registers the update of one step, which rule checks and applies
// to the state under the lock.
func setStep[B any](ctx workflow.Context, w *complaintWorkflow, update Update[Step[B], complaint.Case], rule rules.Step[B]) error {
	if update.Name != rule.Name {
		return fmt.Errorf("update %s registered with the rules of %s", update.Name, rule.Name)
	}
	admit := func(ctx workflow.Context, s Step[B]) error {
		return refusalError(rule.Admit(&w.state, s.Actor, s.Body, workflow.Now(ctx)))
	}
	// Only the validator verifies the signature: it does not run on replay,
	// and the key that signed may have been rotated away since.
	validate := func(ctx workflow.Context, s Step[B]) error {
		if err := verifyStep(ctx, update.Name, s); err != nil {
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
		kind := rule.Apply(&w.state, s.Actor, s.Body, now)
		// The update id goes with the event (only the activity's input, no
		// new command, so recorded histories replay): the API compares a
		// keyed retry's body with the payload of the event its id applied.
		return w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
	}
	return update.Handle(ctx, handler, validate)
}

// commit records an applied step: the next event in the timeline, the store's
// projection (before the update answers, so the API and the store agree), and
// the search attributes.
func (w *complaintWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Case, error) {
	w.state.Version++
	w.state.RefreshClocks()
	w.state.AllowedSteps = rules.AllowedSteps(w.state.Case)
	ev.Seq = w.state.Version
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyEvent,
		activities.CaseEvent{Case: w.state.Case, Event: ev}).Get(ctx, nil); err != nil {
		return complaint.Case{}, fmt.Errorf("apply event %d (%s): %w", ev.Seq, ev.Kind, err)
	}
	if err := w.publish(ctx); err != nil {
		return complaint.Case{}, err
	}
	return w.state.Case, nil
}
