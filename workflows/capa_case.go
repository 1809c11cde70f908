package workflows

import (
	"encoding/json"
	"errors"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// capaVersion marks the change that makes a case's corrective action a
// CAPA workflow of its own (a child that outlives the case) and makes a
// case look, when registered, confirmed and analyzed, for the earlier
// cases it repeats. Runs from before keep the action as a line of the case.
const (
	capaChangeID = "capa"
	capaVersion  = 1
)

// RecurrenceKey is how many earlier cases a complaint repeats, set on
// recurrences only, so supervisors filter them (`Recurrence > 0`). An Int:
// SQL visibility has no Keyword or Bool slot left (NOTES.md).
var RecurrenceKey = temporal.NewSearchAttributeKeyInt64("Recurrence")

// applyCapaRules asks the change at the run's start.
func (w *complaintWorkflow) applyCapaRules(ctx workflow.Context) {
	w.capas = w.version(ctx, capaChangeID) == capaVersion
	w.state.CapaProcess = w.capas
}

// afterStep starts what a committed step calls for: on runs from the CAPA
// change on, a corrective action's workflow, or the search for earlier
// cases once confirm or the analysis may have named the part or the cause;
// on runs from the follow-ups change on, the post-close call.
func (w *complaintWorkflow) afterStep(step string) {
	if step == complaint.StepClose && w.followups {
		w.startPostCloseCall()
	}
	if !w.capas {
		return
	}
	switch step {
	case complaint.StepCorrectiveActions:
		w.openCapa()
	case complaint.StepConfirm, complaint.StepAnalysis:
		w.findRecurrence()
	}
}

// openCapa starts the workflow of the corrective action the step just
// recorded, as a child the case abandons when it closes; the action is in
// the case's state already, so a start that fails is only logged (a
// retried task starts the same id, which the server refuses as a
// duplicate).
func (w *complaintWorkflow) openCapa() {
	s := w.state
	ca := s.CorrectiveActions[len(s.CorrectiveActions)-1]
	body := complaint.CapaOpenBody{ComplaintIDs: []string{s.ID}, PartNumber: s.PartNumber, Action: ca.Action,
		OwnerDepartment: ca.OwnerDepartment, DueDate: ca.DueDate}
	if s.Analysis != nil {
		body.RootCause = s.Analysis.RootCause
	}
	in := CapaInput{ID: ca.CapaID, Body: body, OpenedBy: ca.Actor, ByCase: s.ID}
	w.capaPending++
	workflow.Go(w.root, func(ctx workflow.Context) {
		defer func() { w.capaPending-- }()
		ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            complaint.CapaWorkflowID(in.ID),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
			StaticSummary:         CapaSummary(in),
		})
		child := workflow.ExecuteChildWorkflow(ctx, CapaWorkflow, in)
		err := child.GetChildWorkflowExecution().Get(ctx, nil)
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err != nil && !errors.As(err, &started) && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			workflow.GetLogger(ctx).Warn("corrective action not started", "capa", in.ID, "error", err)
		}
	})
}

// findRecurrence looks in the store for the earlier cases this one
// repeats, off the lock; records the new ones under it; then tells the
// owners of their corrective actions and asks those judged effective to
// reopen (each checks the store itself).
func (w *complaintWorkflow) findRecurrence() {
	w.capaPending++
	inTask := w.inFirstTask
	workflow.Go(w.root, func(ctx workflow.Context) {
		defer func() { w.capaPending-- }()
		if err := w.recurrence(ctx, inTask); err != nil && !temporal.IsCanceledError(err) {
			workflow.GetLogger(ctx).Warn("recurrence not recorded", "error", err)
		}
	})
}

func (w *complaintWorkflow) recurrence(ctx workflow.Context, inTask bool) error {
	probe := activities.RecurrenceProbe(w.state.Case)
	var found activities.Recurrence
	if err := storeCall(ctx, inTask, acts.FindRecurrence, probe, &found); err != nil {
		return err
	}
	numbers := make([]string, 0, len(found.Cases))
	for _, c := range found.Cases {
		numbers = append(numbers, c.CaseNumber)
	}
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	fresh, ok := rules.MarkRecurrence(&w.state, numbers)
	if !ok {
		w.lock.Unlock()
		return nil
	}
	now := workflow.Now(ctx)
	payload, err := json.Marshal(map[string][]string{"recurrence_of": fresh})
	if err == nil {
		_, err = w.commit(ctx, complaint.Event{Kind: complaint.EventRecurrenceFound, Actor: recurrenceActor,
			Payload: payload, OccurredAt: now}, answerFirst)
	}
	version := w.state.Version
	w.lock.Unlock()
	if err != nil {
		return err
	}
	var owners []string
	for _, c := range found.Capas {
		owners = append(owners, c.OwnerDepartment)
		if c.Stage != complaint.CapaEffective {
			continue
		}
		signal := activities.CapaRecurrence{ComplaintID: w.state.ID, Version: version}
		if err := workflow.SignalExternalWorkflow(ctx, complaint.CapaWorkflowID(c.ID), "", SignalCapaRecurrence,
			signal).Get(ctx, nil); err != nil {
			// Its workflow has ended: past the recurrence window.
			workflow.GetLogger(ctx).Info("effective corrective action not told of a recurrence", "capa", c.ID)
		}
	}
	notice := activities.NotifyInput{ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber,
		Kind: complaint.NotificationRecurrence, Level: len(w.state.RecurrenceOf), At: now,
		Recipients: rules.RecurrenceRecipients(owners),
		Facts:      map[string]string{"recurrence_of": strings.Join(w.state.RecurrenceOf, ", ")}}
	var pending bool
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.RecordNotifications, notice).Get(ctx, &pending); err != nil {
		return err
	}
	if pending {
		deliver(ctx, notice)
	}
	return nil
}

// recurrenceActor is the actor of a recurrence's event.
var recurrenceActor = complaint.Actor{UserID: "caseflow", Name: "recurrence check"}
