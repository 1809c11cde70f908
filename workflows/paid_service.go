package workflows

import (
	"errors"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The updates of the paid-service steps [2.(4).d].
var (
	UpdateQuote         = Update[QuoteRequest, StepResult]{Name: complaint.StepQuote}
	UpdateQuoteDecision = Update[QuoteDecisionRequest, StepResult]{Name: complaint.StepQuoteDecision}
	UpdateWaiver        = Update[WaiverRequest, StepResult]{Name: complaint.StepWaiver}
	UpdateCloseDeclined = Update[CloseDeclinedRequest, StepResult]{Name: complaint.StepCloseDeclined}
)

// The argument of each paid-service step update.
type (
	QuoteRequest         = Step[complaint.QuoteBody]
	QuoteDecisionRequest = Step[complaint.QuoteDecisionBody]
	WaiverRequest        = Step[complaint.NoteBody]
	CloseDeclinedRequest = Step[complaint.NoteBody]
)

// archiveVersion marks the change that registers cases against the customer
// archive: the case carries the archive's customer facts and warranty (in
// its input, so a run from before has none), a case out of warranty tells
// sales at once, and confirm wants a quality complaint's order and part.
// generation2 stands for it.
const (
	archiveChangeID = "customer-archive"
	archiveVersion  = 1
)

// paidServiceDelivery keys the paid-service notice's delivery in
// w.delivering, beside the clocks'.
const paidServiceDelivery = "paid_service"

func (w *complaintWorkflow) setPaidServiceHandlers(ctx workflow.Context) error {
	return errors.Join(
		setStep(ctx, w, UpdateQuote, rules.Quote),
		setStep(ctx, w, UpdateQuoteDecision, rules.QuoteDecision),
		setStep(ctx, w, UpdateWaiver, rules.Waiver),
		setStep(ctx, w, UpdateCloseDeclined, rules.CloseDeclined),
	)
}

// applyArchiveRules turns the archive's rules on for a run from
// archiveVersion on; it asks the gate in every run, before the first task
// ends, so a reopened or replayed run answers as its history did.
func (w *complaintWorkflow) applyArchiveRules(ctx workflow.Context) {
	w.archive = w.version(ctx, archiveChangeID) == archiveVersion
	w.state.OrderFactsAtConfirm = w.archive
}

// tellSales notifies the sales department, once the new case has its
// number, that the case needs paid service: recorded in the outbox (retried
// until the store takes it) and delivered apart, outside the lock, as the
// clocks' notices are.
func (w *complaintWorkflow) tellSales() {
	if !w.archive || w.state.PaidService != complaint.PaidServiceRequired {
		return
	}
	in := activities.NotifyInput{
		ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber, Kind: complaint.NotificationPaidService, Level: 1,
		DueAt: w.state.RegisteredAt, At: w.state.RegisteredAt,
		Recipients: rules.PaidServiceRecipients(),
	}
	w.notifyApart(paidServiceDelivery, in)
}
