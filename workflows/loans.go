package workflows

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The updates of a loan's steps [4.(6)]; the interim step lends the unit.
var (
	UpdateLoanReturn  = Update[LoanReturnRequest, StepResult]{Name: complaint.StepLoanReturn}
	UpdateLoanConvert = Update[LoanConvertRequest, StepResult]{Name: complaint.StepLoanConvert}
)

// The argument of each loan step update.
type (
	LoanReturnRequest  = Step[complaint.LoanReturnBody]
	LoanConvertRequest = Step[complaint.LoanConvertBody]
)

func (w *complaintWorkflow) setLoanHandlers(ctx workflow.Context) error {
	return errors.Join(
		setStockStep(ctx, w, UpdateLoanReturn, rules.LoanReturn, w.returnUnit),
		setStockStep(ctx, w, UpdateLoanConvert, rules.LoanConvert, w.convertLoan),
	)
}

// returnUnit is loan-return's effect: the unit goes back to stock or into
// repair, and the store's loan ends.
func (w *complaintWorkflow) returnUnit(ctx workflow.Context, s LoanReturnRequest) (func(time.Time), error) {
	in := activities.ReturnLoanInput{LoanID: s.Body.Loan, To: s.Body.To, Note: s.Body.Note, Actor: s.Actor,
		At: workflow.Now(ctx)}
	return nil, moveStock(ctx, acts.ReturnLoan, in, nil)
}

// convertLoan is loan-convert's effect: the customer keeps the unit.
func (w *complaintWorkflow) convertLoan(ctx workflow.Context, s LoanConvertRequest) (func(time.Time), error) {
	in := activities.ConvertLoanInput{LoanID: s.Body.Loan, Conversion: s.Body.Conversion, Note: s.Body.Note,
		Actor: s.Actor, At: workflow.Now(ctx)}
	return nil, moveStock(ctx, acts.ConvertLoan, in, nil)
}

// watchLoans starts the due-back clock of every loan on loan and not yet
// watched.
func (w *complaintWorkflow) watchLoans() {
	if !w.lending {
		return
	}
	for _, l := range w.state.Loans {
		if l.State == complaint.LoanOnLoan && !w.watched[l.ID] {
			w.watched[l.ID] = true
			workflow.Go(w.root, func(ctx workflow.Context) { w.watchLoan(ctx, l.ID) })
		}
	}
}

// watchLoan sleeps on a durable timer until the loan falls overdue, then a
// week more, waking early when the unit comes back or the loan converts;
// each instant is recorded once. A reopened run starts it before the
// reopen is recorded: it waits for that, as the clocks do.
func (w *complaintWorkflow) watchLoan(ctx workflow.Context, id string) {
	if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
		return
	}
	for {
		l, ok := w.loan(id)
		if !ok {
			return
		}
		at, ok := rules.LoanClockNext(l)
		if !ok {
			return
		}
		settled := func() bool {
			l, _ := w.loan(id)
			return l.State != complaint.LoanOnLoan
		}
		done, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
			Timeout:      max(at.Sub(workflow.Now(ctx)), time.Millisecond),
			TimerOptions: workflow.TimerOptions{Summary: "loan " + id + " of " + l.Serial + " due back " + l.DueBack},
		}, settled)
		if err != nil || done {
			return
		}
		if err := w.fireLoan(ctx, id); err != nil {
			return
		}
	}
}

// fireLoan records one instant of a loan's clock under the lock, then tells
// after-sales outside it.
func (w *complaintWorkflow) fireLoan(ctx workflow.Context, id string) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	kind, event, ok := rules.PassLoanClock(&w.state, id)
	if !ok {
		w.lock.Unlock()
		return nil
	}
	l, _ := w.loan(id)
	now := workflow.Now(ctx)
	w.state.At(now)
	payload, _ := json.Marshal(map[string]any{"loan": id, "serial": l.Serial, "due_back": l.DueBack})
	_, err := w.commit(ctx, complaint.Event{Kind: event, Actor: systemActor, Payload: payload, OccurredAt: now}, answerFirst)
	w.lock.Unlock()
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(id[strings.LastIndex(id, "-L")+2:])
	w.notifyApart(complaint.ClockLoan+id, activities.NotifyInput{ComplaintID: w.state.ID,
		CaseNumber: w.state.CaseNumber, Clock: complaint.ClockLoan, Kind: kind, Level: level,
		DueAt: l.OverdueAt, At: now, Recipients: rules.LoanNotice(kind),
		Facts: map[string]string{"loan": id, "serial": l.Serial, "due_back": l.DueBack}})
	return nil
}

func (w *complaintWorkflow) loan(id string) (complaint.Loan, bool) {
	for _, l := range w.state.Loans {
		if l.ID == id {
			return l, true
		}
	}
	return complaint.Loan{}, false
}
