package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// reopenComplaint reopens a terminated case (its workflow was ended outside
// the API) as a new run of the same workflow id, carrying the case over; the
// new run resumes the stage the case had and records a reopened event with
// the admin as actor. A retry with the same Idempotency-Key answers the same.
func (h *handlers) reopenComplaint(c *gin.Context) {
	var body complaint.ReopenBody
	problems, ok := bindJSON(c, &body)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	id := c.Param("id")
	ctx, cancel := context.WithTimeout(c.Request.Context(), stepTimeout)
	defer cancel()
	current, ok := h.caseToReopen(ctx, c, id)
	if !ok || h.refuseErased(c, current.CustomerID) {
		return
	}
	requestID := uuid.NewString()
	key := c.GetHeader("Idempotency-Key")
	if key != "" {
		requestID = updateID(principalOf(c).UserID, workflows.UpdateReopen.Name, key)
	}
	wid := complaint.WorkflowID(id)
	prev, memo, err := h.startedWith(ctx, wid)
	var notFound *serviceerror.NotFound
	if errors.As(err, &notFound) {
		// The ended run is past the namespace's retention: start from the store.
		prev, memo, err = h.inputFromStore(ctx, current)
	}
	if err != nil {
		h.temporalError(c, err, id)
		return
	}
	if current.Stage != complaint.StageTerminated {
		if key != "" && prev.Carried != nil && prev.Carried.RequestID == requestID {
			c.JSON(http.StatusOK, current) // this very reopen started the current run
			return
		}
		stageConflict(c, complaint.StageConflict{Stage: current.Stage, AllowedSteps: current.AllowedSteps},
			"only a terminated case can be reopened")
		return
	}
	in := prev
	in.Carried = &workflows.Carried{Case: current, By: actorOf(c), Reason: body.Reason, RequestID: requestID}
	reopened, err := h.startReopen(ctx, in, memo)
	if err != nil {
		h.stepError(c, err, id)
		return
	}
	c.JSON(http.StatusOK, reopened)
}

// startReopen starts the new run and waits, in the same call, until it has
// recorded the reopen in the store. A concurrent or repeated reopen joins
// the run; the run answers only the request that started it.
func (h *handlers) startReopen(ctx context.Context, in workflows.ComplaintInput, memo map[string]any) (complaint.Case, error) {
	// Signed like a registration, over the carried case and the admin too:
	// the run refuses a start the API did not sign.
	in, err := in.Signed(h.actorKeys, complaint.WorkflowID(in.ID))
	if err != nil {
		return complaint.Case{}, err
	}
	opts := client.StartWorkflowOptions{
		ID:                       complaint.WorkflowID(in.ID),
		TaskQueue:                h.taskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		// The case's last run ended outside the API: a new run takes over.
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		StaticSummary:         workflows.Summary(in),
		Memo:                  memo,
	}
	if err := h.ensureDataKey(ctx, opts.ID); err != nil {
		return complaint.Case{}, err
	}
	start := h.temporal.NewWithStartWorkflowOperation(opts, workflows.ComplaintWorkflow, in)
	update, err := h.temporal.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
		StartWorkflowOperation: start,
		UpdateOptions: workflows.UpdateReopen.Options(client.UpdateWorkflowOptions{
			UpdateID:     in.Carried.RequestID,
			WaitForStage: client.WorkflowUpdateStageCompleted,
		}),
	})
	if err != nil {
		return complaint.Case{}, err
	}
	return workflows.UpdateReopen.Get(ctx, update)
}

// startedWith reads the input and memo the workflow's current run started
// with: the reopen keeps the policy copied at registration and the
// registration's fingerprint.
func (h *handlers) startedWith(ctx context.Context, workflowID string) (workflows.ComplaintInput, map[string]any, error) {
	var in workflows.ComplaintInput
	iter := h.temporal.GetWorkflowHistory(ctx, workflowID, "", false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	if !iter.HasNext() {
		return in, nil, fmt.Errorf("workflow %s has no history", workflowID)
	}
	first, err := iter.Next()
	if err != nil {
		return in, nil, err
	}
	attrs := first.GetWorkflowExecutionStartedEventAttributes()
	if attrs == nil {
		return in, nil, fmt.Errorf("workflow %s: first event is %s", workflowID, first.GetEventType())
	}
	dc := h.dataConverter()
	if err := dc.FromPayloads(attrs.GetInput(), &in); err != nil {
		return in, nil, fmt.Errorf("decode input of %s: %w", workflowID, err)
	}
	memo := map[string]any{}
	for name, payload := range attrs.GetMemo().GetFields() {
		var v any
		if err := dc.FromPayload(payload, &v); err != nil {
			return in, nil, fmt.Errorf("decode memo %s of %s: %w", name, workflowID, err)
		}
		memo[name] = v
	}
	return in, memo, nil
}

// inputFromStore rebuilds a start input from the store's case, for a case
// whose ended run Temporal no longer keeps. The SLA policy is the one of the
// same name as it stands now: the copy made at registration went with the
// run's history.
func (h *handlers) inputFromStore(ctx context.Context, cs complaint.Case) (workflows.ComplaintInput, map[string]any, error) {
	in := workflows.ComplaintInput{ID: cs.ID, Register: cs.Register, ReceivedAt: cs.ReceivedAt, RegisteredBy: cs.RegisteredBy}
	if cs.SLAPolicy != "" {
		p, err := h.store.GetPolicy(ctx, cs.SLAPolicy)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return in, nil, err
		}
		in.Policy = p
	}
	return in, nil, nil
}

// endedMessage says why a case takes no step: closed, terminated (by whom
// and why), or its workflow ended outside the API and the store has yet to
// learn of it.
func endedMessage(cs complaint.Case) string {
	switch {
	case cs.Stage == complaint.StageClosed:
		return "the case is closed"
	case cs.Stage == complaint.StageTerminated && cs.Termination != nil:
		t := cs.Termination
		return fmt.Sprintf("the case was terminated: its workflow was %s by %s at %s (%s); an admin may reopen it",
			endings[t.Status], t.By.Name, t.At.UTC().Format(time.RFC3339), t.Reason)
	default:
		return "the case was terminated: its workflow ended outside the API; the case shows so within a minute, and an admin may then reopen it"
	}
}

var endings = map[string]string{
	complaint.EndTerminated: "terminated", complaint.EndCanceled: "cancelled", complaint.EndTimedOut: "timed out",
}

// caseToReopen reads the case id before its reopen is sent, answering 404
// when there is none and, for another error, as temporalError does (nothing
// has been sent yet, so a retry is safe); ok is false when it answered.
func (h *handlers) caseToReopen(ctx context.Context, c *gin.Context, id string) (current complaint.Case, ok bool) {
	current, err := h.store.GetCase(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no complaint with id "+id, nil)
		return complaint.Case{}, false
	}
	if err != nil {
		h.temporalError(c, err, id)
		return complaint.Case{}, false
	}
	return current, true
}
