package workflows

import (
	"errors"
	"strconv"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
)

// stockStepsVersion marks the change that moves stock from the case's
// steps: a check-out issues the parts used, backup equipment lends a unit
// (loans.go); generation4 stands for it.
const (
	stockStepsChangeID = "stock-steps"
	stockStepsVersion  = 1
)

// stockAlertDelivery keys the starts of reorder alerts in w.delivering.
const stockAlertDelivery = "stock-alert"

// moveStock runs a stock activity for a step under the lock: the store
// answers at once, and a refusal (a shortage, an unknown part, a unit on
// loan) refuses the step with the field to blame (422) or as a conflict
// (409), leaving the case as it was. Other failures are retried until the
// store is back.
func moveStock(ctx workflow.Context, activity, in, out any) error {
	err := workflow.ExecuteActivity(storeContext(ctx), activity, in).Get(ctx, out)
	var app *temporal.ApplicationError
	if err == nil || !errors.As(err, &app) || app.Type() != activities.StockRefusalType {
		return err
	}
	var ref store.StockRefusal
	if app.HasDetails() {
		if derr := app.Details(&ref); derr != nil {
			return err
		}
	}
	if ref.Field != "" && !ref.Conflict {
		return refusalError(&rules.Refusal{Kind: rules.Invalid, Message: ref.Field + " " + ref.Message,
			Fields: map[string]string{ref.Field: ref.Message}})
	}
	return refusalError(&rules.Refusal{Kind: rules.Invalid, Message: ref.Error()})
}

// issueParts is check-out's effect: the parts used leave the stock, with
// the visit as reference.
func (w *complaintWorkflow) issueParts(ctx workflow.Context, s CheckOutRequest) (func(time.Time), error) {
	if !w.lending || len(s.Body.PartsUsed) == 0 {
		return nil, nil
	}
	var issued store.PartsIssued
	in := store.PartsIssue{ComplaintID: w.state.ID, Visit: s.Body.Visit, Parts: s.Body.PartsUsed, Actor: s.Actor,
		At: workflow.Now(ctx)}
	if err := moveStock(ctx, acts.IssueParts, in, &issued); err != nil {
		return nil, err
	}
	return func(time.Time) { w.startStockAlerts(issued.Alerts) }, nil
}

// startStockAlerts starts the workflow of each reorder alert a movement
// raised, apart from the step; its id is the alert's, so a retry tells
// nobody twice, and it outlives the case.
func (w *complaintWorkflow) startStockAlerts(alerts []store.StockAlert) {
	for _, a := range alerts {
		w.delivering[stockAlertDelivery]++
		workflow.Go(w.root, func(ctx workflow.Context) {
			defer func() { w.delivering[stockAlertDelivery]-- }()
			ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
				WorkflowID:        StockAlertWorkflowID(a.AlertID),
				ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
				StaticSummary:     "reorder " + a.PartNumber + " @ " + a.Warehouse + " (alert " + strconv.FormatInt(a.AlertID, 10) + ")",
			})
			in := StockAlertInput{AlertID: a.AlertID, PartNumber: a.PartNumber, Warehouse: a.Warehouse, Name: a.Name,
				OnHand: a.OnHand, ReorderLevel: a.ReorderLevel, At: a.At}
			// Started is enough: a start refused as a duplicate is the
			// same alert, told already.
			_ = workflow.ExecuteChildWorkflow(ctx, StockAlertWorkflow, in).GetChildWorkflowExecution().Get(ctx, nil)
		})
	}
}

// lendUnit is the interim step's effect for backup equipment: the stock
// lends a unit (by serial, or any of the model) under the case's next loan
// id, and the loan is recorded once the interim is.
func (w *complaintWorkflow) lendUnit(ctx workflow.Context, s InterimRequest) (func(time.Time), error) {
	if !w.lending || s.Body.Backup == nil {
		return nil, nil
	}
	id := rules.NextLoanID(w.state.Case)
	overdue, err := rules.LoanOverdueAt(w.state.Policy, s.Body.Backup.DueBack)
	if err != nil {
		return nil, err // checkInterim refused such a date already
	}
	var unit complaint.LentUnit
	in := store.Lending{LoanID: id, ComplaintID: w.state.ID, Request: *s.Body.Backup, OverdueAt: overdue,
		Actor: s.Actor, At: workflow.Now(ctx)}
	if err := moveStock(ctx, acts.LendUnit, in, &unit); err != nil {
		return nil, err
	}
	return func(now time.Time) { rules.RecordLoan(&w.state, id, unit, *s.Body.Backup, s.Actor, now) }, nil
}
