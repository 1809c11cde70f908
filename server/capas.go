package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Corrective actions (CAPA): each is a workflow of its own, capa-<id>
// (workflows/capa.go), opened here by quality or by a case's
// corrective-actions step, and stepped like an RMA.

// capaTimeout bounds how long an opening or a step waits for the action's
// workflow; past it the client retries with its Idempotency-Key.
const capaTimeout = 30 * time.Second

// openCapa starts an action's workflow and answers once it is recorded with
// its number (update-with-start). Every complaint it names must be in the
// store (422 naming complaint_ids[i], nothing started). A retry with the
// same Idempotency-Key answers the same action.
func (h *handlers) openCapa(c *gin.Context) {
	var b complaint.CapaOpenBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	ctx := c.Request.Context()
	for i, id := range b.ComplaintIDs {
		if _, err := h.store.GetCase(ctx, id); errors.Is(err, store.ErrNotFound) {
			problems["complaint_ids["+strconv.Itoa(i)+"]"] = "names no complaint"
		} else if err != nil {
			h.temporalError(c, err, "")
			return
		}
	}
	if len(problems) > 0 {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
			"the action names what the store does not hold", problems)
		return
	}
	// The rules' own checks (the opener, the due date in the company's
	// zone) answer here, before a workflow starts.
	if _, err := capa.Open("", actorOf(c), b, false, h.now(), h.timeZone); err != nil {
		refusalAnswer(c, err)
		return
	}
	fingerprint := bodyFingerprint(b)
	key := c.GetHeader("Idempotency-Key")
	in := workflows.CapaInput{ID: capaID(principalOf(c).UserID, key), Body: b, OpenedBy: actorOf(c),
		TimeZone: h.timeZone.String()}
	ctx, cancel := context.WithTimeout(ctx, capaTimeout)
	defer cancel()
	var out complaint.Capa
	var err error
	if key == "" {
		out, err = h.startCapa(ctx, in, "")
	} else {
		out, err = collapse(ctx, h.flights, "capa-open", in.ID+"\x00"+fingerprint, capaTimeout,
			func(ctx context.Context) (complaint.Capa, error) { return h.startCapa(ctx, in, fingerprint) })
	}
	if errors.Is(err, errKeyReused) {
		abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
			"this Idempotency-Key was first used with a different request body", nil)
		return
	}
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		c.JSON(http.StatusCreated, out)
	case errors.As(err, &appErr) && slices.Contains([]string{workflows.ErrTypeWrongStage, workflows.ErrTypeForbidden,
		workflows.ErrTypeInvalid}, appErr.Type()):
		h.stepError(c, err, "") // a refusal of the rules: 409, 403, 422
	default:
		h.temporalError(c, err, "") // the outcome is unknown: 503, safe to retry with the key
	}
}

// capaIDNamespace derives action ids from Idempotency-Key headers, apart
// from case and RMA ids.
var capaIDNamespace = uuid.MustParse("5c1f7e0a-8d3b-4f6e-9a2c-1b7d4e6f8a90")

func capaID(userID, key string) string {
	if key != "" {
		return uuid.NewSHA1(capaIDNamespace, []byte(userID+"\x00"+key)).String()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func (h *handlers) startCapa(ctx context.Context, in workflows.CapaInput, fingerprint string) (complaint.Capa, error) {
	wid := complaint.CapaWorkflowID(in.ID)
	in, err := in.Signed(h.actorKeys, wid)
	if err != nil {
		return complaint.Capa{}, err
	}
	opts := client.StartWorkflowOptions{ID: wid, StaticSummary: workflows.CapaSummary(in)}
	return startRegistered(ctx, h, opts, workflows.CapaWorkflow, in, workflows.UpdateCapaRegistration, fingerprint,
		func(ctx context.Context) (complaint.Capa, error) { return h.store.GetCapa(ctx, in.ID) })
}

// listCapas answers a page of actions, newest first, filtered by stage,
// owner_department, complaint_id, part_number, overdue and due_before.
func (h *handlers) listCapas(c *gin.Context) {
	f := store.CapaFilter{Stage: c.Query("stage"), OwnerDepartment: c.Query("owner_department"),
		ComplaintID: c.Query("complaint_id"), PartNumber: c.Query("part_number"), DueBefore: c.Query("due_before"),
		Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "stage", f.Stage, complaint.CapaStages())
	queryOneOf(problems, "owner_department", f.OwnerDepartment, complaint.Departments())
	if v := c.Query("overdue"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			problems["overdue"] = "must be true or false"
		}
		f.Overdue = &b
	}
	if f.DueBefore != "" {
		if _, err := time.Parse(time.DateOnly, f.DueBefore); err != nil {
			problems["due_before"] = "must be a date (YYYY-MM-DD)"
		}
	}
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListCapas(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) getCapa(c *gin.Context) {
	id := c.Param("id")
	out, err := h.store.GetCapa(c.Request.Context(), id)
	if !h.found(c, err, "no corrective action with id "+id) {
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *handlers) getCapaTimeline(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.store.GetCapa(c.Request.Context(), id); !h.found(c, err, "no corrective action with id "+id) {
		return
	}
	events, err := h.store.CapaTimeline(c.Request.Context(), id)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"capa_id": id, "events": events})
}

// capaStep returns the handler of one step of an action: it decodes and
// checks the body, then sends it with the caller as actor as an update to
// the action's workflow, keyed by the Idempotency-Key.
func capaStep[B any](h *handlers, update workflows.Update[workflows.Step[B], workflows.CapaStepResult]) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body B
		problems, ok := bindBody(c, &body)
		if !ok {
			return
		}
		if len(problems) > 0 {
			badRequest(c, problems)
			return
		}
		id := c.Param("id")
		req := workflows.Step[B]{Actor: actorOf(c), Body: body}
		ctx, cancel := context.WithTimeout(c.Request.Context(), capaTimeout)
		defer cancel()
		call := keyedUpdate{workflowID: complaint.CapaWorkflowID(id), idPrefix: "capa-", flight: "capa-step",
			timeout: capaTimeout}
		done, updateID, err := sendUpdate(h, c, ctx, call, update, req)
		var unsigned errSigning
		if errors.As(err, &unsigned) {
			h.internalError(c, err)
			return
		}
		if err != nil {
			h.capaStepError(c, err, id)
			return
		}
		if c.GetHeader("Idempotency-Key") != "" {
			reused, err := bodyReused(c.Request.Context(), updateID, done.Event, req.Body,
				func(ctx context.Context) (json.RawMessage, error) {
					return h.store.CapaEventPayloadByUpdate(ctx, id, updateID)
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
		c.JSON(http.StatusOK, done.Capa)
	}
}

// capaStepError maps a refused or failed step as an RMA's: no such
// workflow, or one that has ended, by what the store holds.
func (h *handlers) capaStepError(c *gin.Context, err error, id string) {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	if !errors.As(err, &notFound) && !errors.As(err, &precondition) &&
		!(errors.As(err, &appErr) && appErr.Type() == acceptedUpdateCompletedWorkflow) {
		h.stepError(c, err, id)
		return
	}
	current, gerr := h.store.GetCapa(c.Request.Context(), id)
	if errors.Is(gerr, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no corrective action with id "+id, nil)
		return
	}
	if gerr != nil {
		h.temporalError(c, gerr, id)
		return
	}
	if errors.As(err, &precondition) && !complaint.CapaEnded(current.Stage) {
		h.temporalError(c, err, id)
		return
	}
	stageConflict(c, complaint.StageConflict{Stage: complaint.Stage(current.Stage), AllowedSteps: []string{}},
		"the corrective action takes no more steps: it is "+current.Stage)
}

// refusalAnswer answers a refusal of the rules checked in the API as the
// workflow's would be: 403, 422 naming the fields, 409.
func refusalAnswer(c *gin.Context, err error) {
	var r *rules.Refusal
	if !errors.As(err, &r) {
		abortWithError(c, http.StatusInternalServerError, CodeInternal, "internal error", nil)
		return
	}
	switch {
	case r.Kind == rules.Forbidden:
		abortWithError(c, http.StatusForbidden, CodeForbidden, r.Message, nil)
	case r.Kind == rules.Invalid && len(r.Fields) > 0:
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, r.Message, r.Fields)
	case r.Conflict != nil:
		stageConflict(c, *r.Conflict, r.Message)
	default:
		abortWithError(c, http.StatusConflict, CodeConflict, r.Message, nil)
	}
}
