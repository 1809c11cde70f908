package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Follow-ups: each is a workflow of its own, followup-<id>
// (workflows/followup.go), opened by the system's plans, by a case's
// close, or here by hand, and stepped like a corrective action.

// followupTimeout bounds how long an opening or a step waits for the
// follow-up's workflow; past it the client retries with its Idempotency-Key.
const followupTimeout = 30 * time.Second

// openFollowup starts a follow-up's workflow and answers once it is
// recorded (update-with-start). The rules' refusals answer before anything
// starts, then what the body names must be in the store (422 naming
// customer_id, complaint_id or serial). A retry with the same
// Idempotency-Key answers the same follow-up.
func (h *handlers) openFollowup(c *gin.Context) {
	var b complaint.FollowupOpenBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	if _, err := followup.Open("", actorOf(c), b, false, h.now()); err != nil {
		refusalAnswer(c, err)
		return
	}
	if h.refuseErased(c, b.CustomerID) {
		return
	}
	ctx := c.Request.Context()
	problems, err := h.followupRefs(ctx, b)
	if err != nil {
		h.temporalError(c, err, "")
		return
	}
	if len(problems) > 0 {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
			"the follow-up names what the store does not hold", problems)
		return
	}
	key := c.GetHeader("Idempotency-Key")
	id := followupID(principalOf(c).UserID, key)
	// Opened by hand it is on the owner's list at once (no AppearAt).
	in := workflows.FollowupInput{Plan: followup.Plan{ID: id, Body: b}, OpenedBy: actorOf(c)}
	ctx, cancel := context.WithTimeout(ctx, followupTimeout)
	defer cancel()
	var out complaint.Followup
	if key == "" {
		out, err = h.startFollowup(ctx, in, "")
	} else {
		fingerprint := bodyFingerprint(b)
		out, err = collapse(ctx, h.flights, "followup-open", id+"\x00"+fingerprint, followupTimeout,
			func(ctx context.Context) (complaint.Followup, error) { return h.startFollowup(ctx, in, fingerprint) })
	}
	h.startAnswer(c, out, err)
}

// startAnswer answers an update-with-start: 201, a reused key (422), a
// refusal of the rules (409, 403, 422), or an unknown outcome (503).
func (h *handlers) startAnswer(c *gin.Context, out any, err error) {
	var appErr *temporal.ApplicationError
	switch {
	case err == nil:
		c.JSON(http.StatusCreated, out)
	case errors.Is(err, errKeyReused):
		abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
			"this Idempotency-Key was first used with a different request body", nil)
	case errors.As(err, &appErr) && slices.Contains([]string{workflows.ErrTypeWrongStage, workflows.ErrTypeForbidden,
		workflows.ErrTypeInvalid}, appErr.Type()):
		h.stepError(c, err, "")
	default:
		h.temporalError(c, err, "")
	}
}

// followupRefs names what a follow-up's body refers to that the store does
// not hold, or holds for another customer.
func (h *handlers) followupRefs(ctx context.Context, b complaint.FollowupOpenBody) (map[string]string, error) {
	problems := map[string]string{}
	if _, err := h.store.GetCustomer(ctx, b.CustomerID); errors.Is(err, store.ErrNotFound) {
		problems["customer_id"] = "names no customer in the archive"
	} else if err != nil {
		return nil, err
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
	if b.Serial != "" {
		eq, err := h.store.GetEquipment(ctx, b.Serial)
		switch {
		case errors.Is(err, store.ErrNotFound):
			problems["serial"] = "names no equipment"
		case err != nil:
			return nil, err
		case eq.CustomerID != b.CustomerID:
			problems["serial"] = "names no equipment of customer " + b.CustomerID
		}
	}
	return problems, nil
}

// followupIDNamespace derives follow-up ids from Idempotency-Key headers,
// apart from every other process's ids.
var followupIDNamespace = uuid.MustParse("8e2d4b61-3f7a-4c59-b1e8-6a0d9c2f5e37")

func followupID(userID, key string) string {
	if key != "" {
		return uuid.NewSHA1(followupIDNamespace, []byte(userID+"\x00"+key)).String()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func (h *handlers) startFollowup(ctx context.Context, in workflows.FollowupInput, fingerprint string) (complaint.Followup, error) {
	wid := complaint.FollowupWorkflowID(in.Plan.ID)
	in, err := in.Signed(h.actorKeys, wid)
	if err != nil {
		return complaint.Followup{}, err
	}
	opts := client.StartWorkflowOptions{ID: wid, StaticSummary: workflows.FollowupSummary(in)}
	return startRegistered(ctx, h, opts, workflows.FollowupWorkflow, in, workflows.UpdateFollowupRegistration,
		fingerprint, func(ctx context.Context) (complaint.Followup, error) { return h.store.GetFollowup(ctx, in.Plan.ID) })
}

// listFollowups answers a page of follow-ups, soonest due first.
func (h *handlers) listFollowups(c *gin.Context) {
	f := store.FollowupFilter{Kind: c.Query("kind"), Owner: c.Query("owner"),
		OwnerDepartment: c.Query("owner_department"), Stage: c.Query("stage"), CustomerID: c.Query("customer_id"),
		ComplaintID: c.Query("complaint_id"), Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "kind", f.Kind, complaint.FollowupKinds())
	queryOneOf(problems, "owner_department", f.OwnerDepartment, complaint.FollowupDepartments())
	queryOneOf(problems, "stage", f.Stage, complaint.FollowupStages())
	f.Overdue = queryBool(c, "overdue", problems)
	f.DueFrom = queryRFC3339(c, "due_from", problems)
	f.DueTo = queryRFC3339(c, "due_to", problems)
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListFollowups(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

// queryRFC3339 reads an RFC 3339 time, nil when absent.
func queryRFC3339(c *gin.Context, name string, problems map[string]string) *time.Time {
	raw := c.Query(name)
	if raw == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339Nano, raw)
	if err != nil {
		problems[name] = "must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00"
		return nil
	}
	return &t
}

func (h *handlers) getFollowup(c *gin.Context) {
	id := c.Param("id")
	out, err := h.store.GetFollowup(c.Request.Context(), id)
	if !h.found(c, err, "no follow-up with id "+id) {
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *handlers) getFollowupTimeline(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.store.GetFollowup(c.Request.Context(), id); !h.found(c, err, "no follow-up with id "+id) {
		return
	}
	events, err := h.store.FollowupEvents(c.Request.Context(), id)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"followup_id": id, "events": events})
}
