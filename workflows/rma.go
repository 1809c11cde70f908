package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/rma"
)

// A return or exchange (RMA) is a workflow of its own, rma-<id>: the
// source of truth for its stage, with the store as a projection written by
// activities before each step answers. Package rma holds its rules; this is
// the durable shell: the updates, the stock movements of its steps, the
// receipt clock and its reminder, the search attributes.

// The RMA workflow's updates and query, named as in the API's paths
// (POST /api/v1/returns/{id}/<step>).
var (
	// UpdateRMARegistration answers with the RMA once it is recorded in the
	// store with its number; the API sends it with the workflow's start
	// (update-with-start), so a request answers 201 with the number.
	UpdateRMARegistration = UpdateNoArg[complaint.RMA]{Name: "rma-registration"}
	// QueryRMA answers with the current RMA.
	QueryRMA = Query[complaint.RMA]{Name: "rma"}

	UpdateRMAApprove  = Update[RMAApproveRequest, RMAStepResult]{Name: complaint.RMAStepApprove}
	UpdateRMAReject   = Update[RMARejectRequest, RMAStepResult]{Name: complaint.RMAStepReject}
	UpdateRMAReceive  = Update[RMAReceiveRequest, RMAStepResult]{Name: complaint.RMAStepReceive}
	UpdateRMAInspect  = Update[RMAInspectRequest, RMAStepResult]{Name: complaint.RMAStepInspect}
	UpdateRMAComplete = Update[RMACompleteRequest, RMAStepResult]{Name: complaint.RMAStepComplete}
)

// The argument of each RMA step: who acts, the body, the API's signature.
type (
	RMAApproveRequest  = Step[complaint.RMANoteBody]
	RMARejectRequest   = Step[complaint.RMARejectBody]
	RMAReceiveRequest  = Step[complaint.RMAReceiveBody]
	RMAInspectRequest  = Step[complaint.RMAInspectBody]
	RMACompleteRequest = Step[complaint.RMACompleteBody]
)

// RMAStepResult is what an RMA step answers: the RMA after the step (in the
// store by then) and the event that recorded it, which carries the update
// id so the API can tell a retried Idempotency-Key from a reused one.
type RMAStepResult struct {
	complaint.RMA
	Event *complaint.Event `json:"event,omitempty"`
}

// RMAInput starts an RMA's workflow: the request as the API checked it
// (the branch office filled in from the archive) and who asked, signed by
// the API for the workflow id.
type RMAInput struct {
	ID          string                   `json:"id"`
	Body        complaint.RMARequestBody `json:"body"`
	RequestedBy complaint.Actor          `json:"requested_by"`
	Signature   *actorsig.Signature      `json:"signature,omitempty"`
}

// Signed returns the input with RequestedBy signed for the workflow id
// (complaint.RMAWorkflowID of the RMA), over the rest of the input.
func (in RMAInput) Signed(keys *actorsig.Keyring, workflowID string) (RMAInput, error) {
	in.Signature = nil
	sig, err := keys.Sign(workflowID, UpdateRMARegistration.Name, in.RequestedBy, in)
	if err != nil {
		return in, err
	}
	in.Signature = sig
	return in, nil
}

// RMASummary is the one-line static summary of the Web UI's workflow list.
func RMASummary(in RMAInput) string {
	return fmt.Sprintf("RMA %s of %d × %s for %s (%s)", in.Body.Kind, in.Body.Quantity, in.Body.PartNumber,
		in.Body.CustomerID, in.Body.BranchOffice)
}

// Search attributes of RMAs, for the Web UI
// (`RmaStage = "approved" AND BranchOffice = "Ningbo"`). BranchOffice is a
// KeywordList: SQL visibility has one Keyword slot left (NOTES.md).
var (
	RmaStageKey     = temporal.NewSearchAttributeKeyKeyword("RmaStage")
	BranchOfficeKey = temporal.NewSearchAttributeKeyKeywordList("BranchOffice")
)

// rmaSystemActor is the actor of the receipt clock's event.
var rmaSystemActor = complaint.Actor{UserID: "caseflow", Name: "RMA receipt clock"}

// RmaWorkflow runs one RMA from its request until it is completed or
// rejected.
func RmaWorkflow(ctx workflow.Context, in RMAInput) (complaint.RMA, error) {
	w := &rmaWorkflow{lock: workflow.NewMutex(ctx), root: ctx}
	return w.run(ctx, in)
}

// rmaWorkflow is the durable shell around an RMA's rules.
type rmaWorkflow struct {
	rma        complaint.RMA
	serial     int64 // the number's serial, which keys the reminder
	registered bool
	// lock serialises the steps and the receipt clock's event.
	lock workflow.Mutex
	// root is the workflow's own context, for coroutines that outlive an
	// update handler.
	root workflow.Context
	// pending counts the coroutines (deliveries, stock alerts) the
	// workflow waits for before it completes.
	pending int
	// published is what the search attributes were last set to.
	published string
}

func (w *rmaWorkflow) run(ctx workflow.Context, in RMAInput) (complaint.RMA, error) {
	if err := verifyRMARequest(ctx, in); err != nil {
		return w.rma, err
	}
	r, err := rma.Request(in.ID, in.RequestedBy, in.Body, workflow.Now(ctx))
	if err != nil {
		// The API checked all this: only a request sent around it gets here.
		return w.rma, temporal.NewNonRetryableApplicationError("the RMA request is refused: "+err.Error(),
			ErrTypeInvalid, err)
	}
	w.rma = r
	if err := w.setHandlers(ctx); err != nil {
		return w.rma, err
	}
	if err := w.register(ctx); err != nil {
		return w.rma, err
	}
	if err := w.watchReceipt(ctx); err != nil {
		return w.rma, err
	}
	// Steps drive the rest; the workflow lives until the RMA ends, the step
	// that ended it has answered and what it started has finished.
	if err := workflow.Await(ctx, func() bool {
		return complaint.RMAEnded(w.rma.Stage) && workflow.AllHandlersFinished(ctx) && w.pending == 0
	}); err != nil {
		return w.rma, err
	}
	return w.rma, nil
}

// verifyRMARequest fails a workflow started with an input the API did not
// sign, before anything reaches the store; the outcome is a side effect, so
// a replay after the key was rotated away reads it from the history.
func verifyRMARequest(ctx workflow.Context, in RMAInput) error {
	sig := in.Signature
	in.Signature = nil
	return verifyOpener(ctx, "the RMA request's actor", UpdateRMARegistration.Name, in.RequestedBy, sig, in)
}

func (w *rmaWorkflow) setHandlers(ctx workflow.Context) error {
	return errors.Join(
		QueryRMA.Handle(ctx, func() (complaint.RMA, error) { return w.rma, nil }),
		UpdateRMARegistration.Handle(ctx, func(ctx workflow.Context) (complaint.RMA, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return complaint.RMA{}, err
			}
			return w.rma, nil
		}, nil),
		setRMAStep(ctx, w, UpdateRMAApprove, rma.Approve, nil),
		setRMAStep(ctx, w, UpdateRMAReject, rma.Reject, nil),
		setRMAStep(ctx, w, UpdateRMAReceive, rma.Receive,
			func(r complaint.RMA, b complaint.RMAReceiveBody) (complaint.MovementBody, bool) {
				return rma.ReceiptMovement(r, b), true
			}),
		setRMAStep(ctx, w, UpdateRMAInspect, rma.Inspect, nil),
		setRMAStep(ctx, w, UpdateRMAComplete, rma.Complete, rma.ReplacementMovement),
	)
}

// register records the RMA in the store with its number: at once in the
// first task (a local activity: the request is the RMA's first event, so
// nothing else can take its place if the task is retried), or by an activity
// that retries until the store takes it.
func (w *rmaWorkflow) register(ctx workflow.Context) error {
	payload, err := json.Marshal(w.rma.RequestBody())
	if err != nil {
		return err
	}
	ev := complaint.Event{Seq: 1, Kind: complaint.EventRMARequested, Actor: w.rma.RequestedBy, Payload: payload,
		OccurredAt: w.rma.RequestedAt}
	in := activities.RMAEvent{RMA: w.rma, Event: ev}
	var n activities.RMANumber
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.RegisterRMA, in).Get(ctx, &n); err != nil {
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.RegisterRMA, in).Get(ctx, &n); err != nil {
			return fmt.Errorf("register RMA: %w", err)
		}
	}
	w.rma.Number, w.serial = n.Number, n.Serial
	w.rma.Version = ev.Seq
	w.registered = true
	return w.publish(ctx)
}

// setRMAStep registers the update of one step: the validator verifies the
// API's signature and asks the rules; the handler, under the lock, asks
// them again, makes the step's stock movement (a refused one refuses the
// step and changes nothing), applies the step, writes it to the store and
// answers.
func setRMAStep[B any](ctx workflow.Context, w *rmaWorkflow, update Update[Step[B], RMAStepResult], rule rma.Step[B],
	move func(complaint.RMA, B) (complaint.MovementBody, bool),
) error {
	if update.Name != rule.Name {
		return fmt.Errorf("update %s registered with the rules of %s", update.Name, rule.Name)
	}
	admit := func(s Step[B]) error { return refusalError(rule.Admit(&w.rma, s.Actor, s.Body)) }
	validate := func(ctx workflow.Context, s Step[B]) error {
		if err := verifyStep(ctx, update.Name, s); err != nil {
			return err
		}
		return admit(s)
	}
	handler := func(ctx workflow.Context, s Step[B]) (RMAStepResult, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return RMAStepResult{}, err
		}
		if err := w.lock.Lock(ctx); err != nil {
			return RMAStepResult{}, err
		}
		defer w.lock.Unlock()
		// The RMA may have moved on since the validator accepted this step.
		if err := admit(s); err != nil {
			return RMAStepResult{}, err
		}
		now := workflow.Now(ctx)
		var moved activities.RMAMoved
		var made complaint.MovementBody
		if move != nil {
			if m, ok := move(w.rma, s.Body); ok {
				var err error
				if moved, err = w.moveStock(ctx, update.Name, s.Actor, m, now); err != nil {
					return RMAStepResult{}, err
				}
				made = m
			}
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return RMAStepResult{}, err
		}
		kind := rule.Take(&w.rma, s.Actor, s.Body, now)
		switch {
		case moved.MovementID == 0:
		case w.rma.Stage == complaint.RMAReceived:
			w.rma.Receipt.MovementID = moved.MovementID
		case w.rma.Stage == complaint.RMACompleted:
			w.rma.Completion.MovementID = moved.MovementID
		}
		ev, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
		if err != nil {
			return RMAStepResult{}, err
		}
		if moved.AlertID != 0 {
			w.startStockAlert(moved, made, now)
		}
		return RMAStepResult{RMA: w.rma, Event: &ev}, nil
	}
	return update.Handle(ctx, handler, validate)
}

// commit numbers the event, writes it with the RMA after it to the store
// (retried until the store takes it: the store is what the API reads) and
// publishes the search attributes.
func (w *rmaWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Event, error) {
	ev.Seq = w.rma.Version + 1
	w.rma.Version = ev.Seq
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyRMAEvent,
		activities.RMAEvent{RMA: w.rma, Event: ev}).Get(ctx, nil); err != nil {
		return ev, err
	}
	return ev, w.publish(ctx)
}

// moveStock makes a step's movement, once (keyed by the RMA and the step);
// a movement the store refuses refuses the step.
func (w *rmaWorkflow) moveStock(ctx workflow.Context, step string, a complaint.Actor, m complaint.MovementBody,
	now time.Time,
) (activities.RMAMoved, error) {
	var moved activities.RMAMoved
	err := moveStock(ctx, acts.MoveRMAStock, activities.RMAMovement{RMAID: w.rma.ID, Step: step, Actor: a, Body: m,
		At: now}, &moved)
	return moved, err
}

// startStockAlert starts the reorder alert of a replacement that took the
// item below its reorder level, as the stock API does for a movement: a
// workflow per crossing, which outlives the RMA.
func (w *rmaWorkflow) startStockAlert(moved activities.RMAMoved, m complaint.MovementBody, at time.Time) {
	w.pending++
	workflow.Go(w.root, func(ctx workflow.Context) {
		defer func() { w.pending-- }()
		ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:            StockAlertWorkflowID(moved.AlertID),
			ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
			WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		})
		child := workflow.ExecuteChildWorkflow(ctx, StockAlertWorkflow, StockAlertInput{AlertID: moved.AlertID,
			PartNumber: m.PartNumber, Warehouse: m.Warehouse, Name: moved.Name, OnHand: moved.OnHand,
			ReorderLevel: moved.ReorderLevel, At: at})
		err := child.GetChildWorkflowExecution().Get(ctx, nil)
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if err != nil && !errors.As(err, &started) && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			workflow.GetLogger(ctx).Warn("reorder alert of an RMA's replacement not started", "alert", moved.AlertID,
				"error", err)
		}
	})
}

// watchReceipt sleeps on a durable timer from approval until the goods are
// due, waking early when they come (or the RMA ends), and records the
// reminder when they have not come by then.
func (w *rmaWorkflow) watchReceipt(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return w.rma.Stage != complaint.RMARequested }); err != nil {
		return err
	}
	due, owed := rma.ReminderDue(w.rma)
	if !owed {
		return nil
	}
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimerWithOptions(timerCtx, max(due.Sub(workflow.Now(ctx)), 0),
		workflow.TimerOptions{Summary: fmt.Sprintf("goods of %s due in %dd", w.rma.Number, rma.ReceiptPeriod/(24*time.Hour))})
	fired := false
	workflow.Go(ctx, func(ctx workflow.Context) { fired = timer.Get(ctx, nil) == nil })
	if err := workflow.Await(ctx, func() bool { return fired || w.rma.Stage != complaint.RMAApproved }); err != nil {
		return err
	}
	if !fired {
		return nil
	}
	return w.remind(ctx)
}

// remind records that the goods are overdue, on the RMA's timeline, and
// tells after-sales and the requesting branch office: recorded in the
// outbox (keyed by the RMA's serial), then delivered apart.
func (w *rmaWorkflow) remind(ctx workflow.Context) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind, ok := rma.MarkOverdue(&w.rma, now)
	if !ok {
		return nil // received meanwhile
	}
	due := *w.rma.ReceiptDueAt
	payload, err := json.Marshal(map[string]string{"due_at": due.UTC().Format(time.RFC3339)})
	if err != nil {
		return err
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: rmaSystemActor, Payload: payload,
		OccurredAt: now}); err != nil {
		return err
	}
	notice := activities.NotifyInput{CaseNumber: w.rma.Number, Kind: complaint.NotificationRMAReceipt,
		Level: int(w.serial), DueAt: due, At: now, Recipients: rma.ReminderRecipients(w.rma),
		Facts: rma.ReminderFacts(w.rma)}
	notifyApart(w.root, &w.pending, notice)
	return nil
}

// publish keeps the search attributes and the Web UI's details in step with
// the RMA, upserting only when an attribute changed.
func (w *rmaWorkflow) publish(ctx workflow.Context) error {
	updates := []temporal.SearchAttributeUpdate{
		RmaStageKey.ValueSet(w.rma.Stage),
		BranchOfficeKey.ValueSet([]string{w.rma.BranchOffice}),
	}
	if key := searchAttributesKey(updates); key != w.published {
		if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
			return err
		}
		w.published = key
	}
	r := w.rma
	details := fmt.Sprintf("**%s** · %s of %d × %s · %s (%s)\n\nstage: **%s**", orPendingRMA(r.Number), r.Kind,
		r.Quantity, r.PartNumber, r.CustomerID, r.BranchOffice, r.Stage)
	if r.ComplaintID != "" {
		details += " · complaint " + r.ComplaintID
	}
	if r.ReceiptDueAt != nil && r.Stage == complaint.RMAApproved {
		details += " · goods due " + r.ReceiptDueAt.UTC().Format(time.RFC3339)
		if r.ReceiptOverdue {
			details += " (overdue)"
		}
	}
	workflow.SetCurrentDetails(ctx, details)
	return nil
}

func orPendingRMA(number string) string {
	if number == "" {
		return "RMA number pending"
	}
	return number
}

// rmaSearchAttributeKeys are the RMA's search attributes, for
// SearchAttributes.
var rmaSearchAttributeKeys = []searchAttributeKey{RmaStageKey, BranchOfficeKey}
