package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The step updates, one per step, named as in the API's paths
// (POST /api/v1/complaints/{id}/<step>). Each takes a Step of its body and
// answers with the updated case; rules.<Step> holds what it checks and does.
var (
	UpdateContact           = Update[ContactRequest, StepResult]{Name: complaint.StepContact}
	UpdateConfirm           = Update[ConfirmRequest, StepResult]{Name: complaint.StepConfirm}
	UpdateAnalysis          = Update[AnalysisRequest, StepResult]{Name: complaint.StepAnalysis}
	UpdateProposals         = Update[ProposalRequest, StepResult]{Name: complaint.StepProposals}
	UpdateAgreement         = Update[AgreementRequest, StepResult]{Name: complaint.StepAgreement}
	UpdateApprovals         = Update[ApprovalRequest, StepResult]{Name: complaint.StepApprovals}
	UpdateProgress          = Update[ProgressRequest, StepResult]{Name: complaint.StepProgress}
	UpdateCorrectiveActions = Update[CorrectiveActionRequest, StepResult]{Name: complaint.StepCorrectiveActions}
	UpdateResolve           = Update[ResolveRequest, StepResult]{Name: complaint.StepResolve}
	UpdateClose             = Update[CloseRequest, StepResult]{Name: complaint.StepClose}
	UpdateWithdraw          = Update[WithdrawRequest, StepResult]{Name: complaint.StepWithdraw}
)

// StepResult is what a step update answers: the case after the step and
// the event that recorded it. The answer may come before the workflow's own
// store write of the event (see commit); the API writes the same event at
// once, keyed by its sequence number, so the caller reads its own step.
// The case's fields are inline, so an answer recorded before the event was
// added decodes as a StepResult without one.
type StepResult struct {
	complaint.Case
	Event *complaint.Event `json:"event,omitempty"`
}

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
func setStep[B any](ctx workflow.Context, w *complaintWorkflow, update Update[Step[B], StepResult], rule rules.Step[B]) error {
	return setStockStep(ctx, w, update, rule, nil)
}

// stockEffect is what a step does to the stock before its rule applies
// (stock.go): a refusal leaves the case as it was; otherwise record notes
// in the state what the stock did, once the rule has applied.
type stockEffect[B any] func(ctx workflow.Context, s Step[B]) (record func(now time.Time), err error)

// setStockStep is setStep for a step that moves stock first (effect, nil
// for none).
func setStockStep[B any](ctx workflow.Context, w *complaintWorkflow, update Update[Step[B], StepResult], rule rules.Step[B],
	effect stockEffect[B]) error {
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
	handler := func(ctx workflow.Context, s Step[B]) (StepResult, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return StepResult{}, err
		}
		// One step at a time: a step (before answer-before-projection) and a
		// clock's event block on their store activities, and another must
		// neither interleave with them nor act on the state they left behind.
		if err := w.lock.Lock(ctx); err != nil {
			return StepResult{}, err
		}
		defer w.lock.Unlock()
		// What the clocks owed before this step is recorded first.
		if err := w.fireDue(ctx); err != nil {
			return StepResult{}, err
		}
		// The case may have moved on since the validator accepted this step.
		if err := admit(ctx, s); err != nil {
			return StepResult{}, err
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return StepResult{}, err
		}
		var record func(time.Time)
		if effect != nil {
			if record, err = effect(ctx, s); err != nil {
				return StepResult{}, err
			}
		}
		now := workflow.Now(ctx)
		w.state.At(now)
		kind := rule.Apply(&w.state, s.Actor, s.Body, now)
		if record != nil {
			record(now)
		}
		dispatch := w.planDispatch()
		// The update id goes with the event (only the activity's input, no
		// new command, so recorded histories replay): the API compares a
		// keyed retry's body with the payload of the event its id applied.
		result, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID}, answerFirst)
		if err == nil {
			w.sendDispatch(dispatch)
			w.watchRecords()
			w.watchLoans()
			w.afterStep(update.Name)
		}
		return result, err
	}
	return update.Handle(ctx, handler, validate)
}
