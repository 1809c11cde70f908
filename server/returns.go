package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Returns and exchanges (RMA): each is a workflow of its own, rma-<id>
// (workflows/rma.go), requested here and stepped like a complaint.

// rmaTimeout bounds how long a request or a step waits for the RMA's
// workflow; past it the client retries with its Idempotency-Key.
const rmaTimeout = 30 * time.Second

// requestReturn starts an RMA's workflow and answers, in the same call,
// once the workflow has recorded it with its number (update-with-start).
// What the body names must be in the store: the customer, the complaint
// (of that customer), the warehouse and the part kept in it (422 naming the
// field, nothing started). A retry with the same Idempotency-Key answers
// the same RMA; the key with another body answers 422.
func (h *handlers) requestReturn(c *gin.Context) {
	var b complaint.RMARequestBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) == 0 {
		maps.Copy(problems, b.Problems())
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	if h.refuseErased(c, b.CustomerID) {
		return
	}
	fingerprint := bodyFingerprint(b)
	ctx := c.Request.Context()
	problems, err := h.returnProblems(ctx, &b)
	if err != nil {
		h.temporalError(c, err, "")
		return
	}
	if len(problems) > 0 {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
			"the RMA names what the store does not hold", problems)
		return
	}
	key := c.GetHeader("Idempotency-Key")
	in := workflows.RMAInput{ID: rmaID(principalOf(c).UserID, key), Body: b, RequestedBy: actorOf(c)}
	ctx, cancel := context.WithTimeout(ctx, rmaTimeout)
	defer cancel()
	var r complaint.RMA
	if key == "" {
		r, err = h.startRMA(ctx, in, "")
	} else {
		r, err = collapse(ctx, h.flights, "rma-request", in.ID+"\x00"+fingerprint, rmaTimeout,
			func(ctx context.Context) (complaint.RMA, error) { return h.startRMA(ctx, in, fingerprint) })
	}
	if errors.Is(err, errKeyReused) {
		abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
			"this Idempotency-Key was first used with a different request body", nil)
		return
	}
	if err != nil {
		h.temporalError(c, err, in.ID)
		return
	}
	c.JSON(http.StatusCreated, r)
}

// rmaIDNamespace derives RMA ids from Idempotency-Key headers, apart from
// case ids, so a retried request lands on the same workflow id.
var rmaIDNamespace = uuid.MustParse("0d5f0c38-2a51-4c64-8d0f-6f3f5a3c9e21")

func rmaID(userID, key string) string {
	if key != "" {
		return uuid.NewSHA1(rmaIDNamespace, []byte(userID+"\x00"+key)).String()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func bodyFingerprint(body any) string {
	raw, _ := json.Marshal(body)
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// returnProblems checks what a request names against the store, filling in
// the defaults: the customer's branch office, the main warehouse.
func (h *handlers) returnProblems(ctx context.Context, b *complaint.RMARequestBody) (map[string]string, error) {
	problems := map[string]string{}
	cu, err := h.store.GetCustomer(ctx, b.CustomerID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		problems["customer_id"] = "names no customer in the archive"
	case err != nil:
		return nil, err
	case b.BranchOffice == "":
		b.BranchOffice = cu.BranchOffice
		if b.BranchOffice == "" {
			problems["branch_office"] = "is required when the customer has none in the archive"
		}
	}
	if b.ComplaintID != "" {
		cs, err := h.store.GetCase(ctx, b.ComplaintID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems["complaint_id"] = "names no complaint"
		case err != nil:
			return nil, err
		case cs.CustomerID != b.CustomerID:
			problems["complaint_id"] = "is a complaint of another customer"
		}
	}
	if b.Warehouse == "" {
		b.Warehouse = complaint.DefaultWarehouse
	}
	if more, err := h.stockProblems(ctx, b.PartNumber, b.Warehouse); err != nil {
		return nil, err
	} else {
		maps.Copy(problems, more)
	}
	return problems, nil
}

// stockProblems names an unknown warehouse, or a part the warehouse does
// not keep.
func (h *handlers) stockProblems(ctx context.Context, part, warehouse string) (map[string]string, error) {
	_, err := h.store.GetStockItem(ctx, part, warehouse)
	if !errors.Is(err, store.ErrNotFound) {
		return nil, err
	}
	if _, err := h.store.GetWarehouse(ctx, warehouse); errors.Is(err, store.ErrNotFound) {
		return map[string]string{"warehouse": "names no warehouse"}, nil
	} else if err != nil {
		return nil, err
	}
	return map[string]string{"part_number": "is not kept in warehouse " + warehouse}, nil
}

// startRMA starts the RMA's workflow and waits until it has recorded the
// RMA with its number; a retry with the same id joins it. With a
// fingerprint (the request had an Idempotency-Key) the workflow keeps it in
// its memo, and a request that finds the workflow there must bring the same.
func (h *handlers) startRMA(ctx context.Context, in workflows.RMAInput, fingerprint string) (complaint.RMA, error) {
	wid := complaint.RMAWorkflowID(in.ID)
	in, err := in.Signed(h.actorKeys, wid)
	if err != nil {
		return complaint.RMA{}, err
	}
	opts := client.StartWorkflowOptions{ID: wid, StaticSummary: workflows.RMASummary(in)}
	return startRegistered(ctx, h, opts, workflows.RmaWorkflow, in, workflows.UpdateRMARegistration, fingerprint,
		func(ctx context.Context) (complaint.RMA, error) { return h.store.GetRMA(ctx, in.ID) })
}

// listReturns answers a page of RMAs, newest first, filtered by stage,
// branch_office, complaint_id and customer_id.
func (h *handlers) listReturns(c *gin.Context) {
	f := store.RMAFilter{Stage: c.Query("stage"), BranchOffice: c.Query("branch_office"),
		ComplaintID: c.Query("complaint_id"), CustomerID: c.Query("customer_id"), Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "stage", f.Stage, complaint.RMAStages())
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListRMAs(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) getReturn(c *gin.Context) {
	id := c.Param("id")
	r, err := h.store.GetRMA(c.Request.Context(), id)
	if !h.found(c, err, "no return with id "+id) {
		return
	}
	c.JSON(http.StatusOK, r)
}

func (h *handlers) getReturnTimeline(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.store.GetRMA(c.Request.Context(), id); !h.found(c, err, "no return with id "+id) {
		return
	}
	events, err := h.store.RMATimeline(c.Request.Context(), id)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"rma_id": id, "events": events})
}

// rmaStep returns the handler of one step of an RMA: it decodes the body of
// type B, checks it (its field rules, the checks between its fields, then
// check, which reads the store) and sends it, with the caller as actor, as
// an Update to the RMA's workflow, which answers the RMA once the step is in
// the store.
func rmaStep[B any](h *handlers, update workflows.Update[workflows.Step[B], workflows.RMAStepResult],
	check ...func(*gin.Context, B) (map[string]string, error),
) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body B
		problems, ok := bindBody(c, &body)
		if !ok {
			return
		}
		if p, ok := any(body).(interface{ Problems() map[string]string }); ok && len(problems) == 0 {
			maps.Copy(problems, p.Problems())
		}
		for _, fn := range check {
			if len(problems) > 0 {
				break
			}
			more, err := fn(c, body)
			if err != nil {
				h.temporalError(c, err, c.Param("id"))
				return
			}
			if len(more) > 0 {
				abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
					"the step names what the store does not hold", more)
				return
			}
		}
		if len(problems) > 0 {
			badRequest(c, problems)
			return
		}
		sendRMAStep(h, c, update, workflows.Step[B]{Actor: actorOf(c), Body: body})
	}
}

// checkWarehouse makes sure a warehouse a step names exists.
func (h *handlers) checkWarehouse(c *gin.Context, warehouse string) (map[string]string, error) {
	if warehouse == "" {
		return nil, nil
	}
	_, err := h.store.GetWarehouse(c.Request.Context(), warehouse)
	if errors.Is(err, store.ErrNotFound) {
		return map[string]string{"warehouse": "names no warehouse"}, nil
	}
	return nil, err
}

func (h *handlers) checkReceiptWarehouse(c *gin.Context, b complaint.RMAReceiveBody) (map[string]string, error) {
	return h.checkWarehouse(c, b.Warehouse)
}

func (h *handlers) checkReplacementWarehouse(c *gin.Context, b complaint.RMACompleteBody) (map[string]string, error) {
	return h.checkWarehouse(c, b.Warehouse)
}

// sendRMAStep sends a step's update, keyed like a complaint's step: the
// Idempotency-Key becomes the update id, and a key reused with another body
// is told from a retry by the event its id applied.
func sendRMAStep[B any](h *handlers, c *gin.Context, update workflows.Update[workflows.Step[B], workflows.RMAStepResult],
	req workflows.Step[B],
) {
	id := c.Param("id")
	ctx, cancel := context.WithTimeout(c.Request.Context(), rmaTimeout)
	defer cancel()
	call := keyedUpdate{workflowID: complaint.RMAWorkflowID(id), idPrefix: "rma-", flight: "rma-step", timeout: rmaTimeout}
	done, updateID, err := sendUpdate(h, c, ctx, call, update, req)
	var unsigned errSigning
	if errors.As(err, &unsigned) {
		h.internalError(c, err)
		return
	}
	if err != nil {
		h.rmaStepError(c, err, id)
		return
	}
	if c.GetHeader("Idempotency-Key") != "" {
		reused, err := bodyReused(c.Request.Context(), updateID, done.Event, req.Body,
			func(ctx context.Context) (json.RawMessage, error) {
				return h.store.RMAEventPayloadByUpdate(ctx, id, updateID)
			})
		if err != nil {
			h.temporalError(c, err, id)
			return
		}
		if reused {
			abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
				"this Idempotency-Key was first used with a different request body", nil)
			return
		}
	}
	c.JSON(http.StatusOK, done.RMA)
}

// rmaStepError maps a refused or failed RMA step to its answer: refusals as
// a complaint's step's (409 with the stage and the steps it takes, 403, 422
// naming the field, 409 for a shortage); no such workflow, or one that has
// ended, by what the store holds (404, or 409 with no step left).
func (h *handlers) rmaStepError(c *gin.Context, err error, id string) {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	if !errors.As(err, &notFound) && !errors.As(err, &precondition) &&
		!(errors.As(err, &appErr) && appErr.Type() == acceptedUpdateCompletedWorkflow) {
		h.stepError(c, err, id) // a refusal, or an unknown outcome (503)
		return
	}
	current, gerr := h.store.GetRMA(c.Request.Context(), id)
	if errors.Is(gerr, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no return with id "+id, nil)
		return
	}
	if gerr != nil {
		h.temporalError(c, gerr, id)
		return
	}
	if errors.As(err, &precondition) && !complaint.RMAEnded(current.Stage) {
		h.temporalError(c, err, id)
		return
	}
	stageConflict(c, complaint.StageConflict{Stage: complaint.Stage(current.Stage), AllowedSteps: []string{}},
		"the RMA has ended: it is "+current.Stage)
}
