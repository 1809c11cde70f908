package workflows

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
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
	inTask := w.inFirstTask
	w.goPrevention("recurrence not recorded", func(ctx workflow.Context) error { return w.recurrence(ctx, inTask) })
}

// goPrevention runs fn in a coroutine the workflow waits for before it
// completes (capaPending); a failure other than a cancellation is logged
// as what.
func (w *complaintWorkflow) goPrevention(what string, fn func(workflow.Context) error) {
	w.capaPending++
	workflow.Go(w.root, func(ctx workflow.Context) {
		defer func() { w.capaPending-- }()
		if err := fn(ctx); err != nil && !temporal.IsCanceledError(err) {
			workflow.GetLogger(ctx).Warn(what, "error", err)
		}
	})
}

func (w *complaintWorkflow) recurrence(ctx workflow.Context, inTask bool) error {
	mark, err := w.markRecurrence(ctx, activities.RecurrenceProbe(w.state.Case), inTask, answerFirst)
	if err != nil || mark.version == 0 {
		return err
	}
	return w.tellRecurrence(ctx, mark, false)
}

// recurrenceInTaskVersion marks the change that finishes a new case's
// recurrence within its first workflow task: the search, the event's store
// write and the notice are local activities there, and the case publishes
// once, its recurrence included. Before it a recurring registration cost
// Temporal an activity task and a workflow task for the notice, a timer,
// an activity and two workflow tasks for the coalesced write, and a second
// upsert (issue 10). The search counts only cases registered by the
// workflow's start, so a retried first task finds the same cases and
// writes the same event.
const (
	recurrenceInTaskChangeID = "recurrence-in-task"
	recurrenceInTaskVersion  = 1
)

// recurrenceInTask is the registration's search from
// recurrenceInTaskVersion on; what the recurrence tells goes on in a
// coroutine, its notice still in this task.
func (w *complaintWorkflow) recurrenceInTask(ctx workflow.Context) {
	probe := activities.RecurrenceProbe(w.state.Case)
	probe.RegisteredBy = workflow.GetInfo(ctx).WorkflowStartTime
	mark, err := w.markRecurrence(ctx, probe, true, writeInTask)
	if err != nil {
		workflow.GetLogger(ctx).Warn("recurrence not recorded", "error", err)
		return
	}
	if mark.version == 0 {
		return
	}
	w.goPrevention("recurrence not told", func(ctx workflow.Context) error { return w.tellRecurrence(ctx, mark, true) })
}

// recurrenceMark is a recurrence recorded: what the search found, and the
// version and time of its event.
type recurrenceMark struct {
	found   activities.Recurrence
	version int64 // 0: nothing new was found
	at      time.Time
}

// markRecurrence looks in the store for the earlier cases the probe
// finds, off the lock, and records the new ones under it.
func (w *complaintWorkflow) markRecurrence(ctx workflow.Context, probe store.RecurrenceProbe, inTask bool,
	p projection,
) (mark recurrenceMark, _ error) {
	if err := storeCall(ctx, inTask, acts.FindRecurrence, probe, &mark.found); err != nil {
		return mark, err
	}
	numbers := make([]string, 0, len(mark.found.Cases))
	for _, c := range mark.found.Cases {
		numbers = append(numbers, c.CaseNumber)
	}
	if err := w.lock.Lock(ctx); err != nil {
		return mark, err
	}
	defer w.lock.Unlock()
	fresh, ok := rules.MarkRecurrence(&w.state, numbers)
	if !ok {
		return mark, nil
	}
	mark.at = workflow.Now(ctx)
	payload, err := json.Marshal(map[string][]string{"recurrence_of": fresh})
	if err == nil {
		_, err = w.commit(ctx, complaint.Event{Kind: complaint.EventRecurrenceFound, Actor: recurrenceActor,
			Payload: payload, OccurredAt: mark.at}, p)
	}
	mark.version = w.state.Version
	return mark, err
}

// tellRecurrence tells the owners of the earlier cases' corrective actions
// and quality of a recurrence, and asks the actions judged effective to
// reopen; inTask records the notice in the current workflow task.
func (w *complaintWorkflow) tellRecurrence(ctx workflow.Context, mark recurrenceMark, inTask bool) error {
	var owners []string
	for _, c := range mark.found.Capas {
		owners = append(owners, c.OwnerDepartment)
		if c.Stage != complaint.CapaEffective {
			continue
		}
		signal := activities.CapaRecurrence{ComplaintID: w.state.ID, Version: mark.version}
		if err := workflow.SignalExternalWorkflow(ctx, complaint.CapaWorkflowID(c.ID), "", SignalCapaRecurrence,
			signal).Get(ctx, nil); err != nil {
			// Its workflow has ended: past the recurrence window.
			workflow.GetLogger(ctx).Info("effective corrective action not told of a recurrence", "capa", c.ID)
		}
	}
	notice := activities.NotifyInput{ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber,
		Kind: complaint.NotificationRecurrence, Level: len(w.state.RecurrenceOf), At: mark.at,
		Recipients: rules.RecurrenceRecipients(owners),
		Facts:      map[string]string{"recurrence_of": strings.Join(w.state.RecurrenceOf, ", ")}}
	var pending bool
	if err := storeCall(ctx, inTask, acts.RecordNotifications, notice, &pending); err != nil {
		return err
	}
	if pending {
		deliver(ctx, notice)
	}
	return nil
}

// recurrenceActor is the actor of a recurrence's event.
var recurrenceActor = complaint.Actor{UserID: "caseflow", Name: "recurrence check"}
