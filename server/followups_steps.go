package server

import (
	"context"
	"encoding/json"
	"errors"
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// followupStep returns the handler of one step of a follow-up, as
// capaStep's: it decodes and checks the body (check adds what the rules
// of the route add, nil for none), lets prepare do what must happen before
// the step (nil for nothing; it answers and returns false when it fails),
// then sends the body with the caller as its signed actor, keyed by the
// Idempotency-Key.
func followupStep[B any](h *handlers, update workflows.Update[workflows.Step[B], workflows.FollowupStepResult],
	check func(B) map[string]string, prepare func(*gin.Context, string, *B) bool,
) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body B
		problems, ok := bindBody(c, &body)
		if !ok {
			return
		}
		if check != nil {
			for field, p := range check(body) {
				if _, ok := problems[field]; !ok { // the field's own rule words it first
					problems[field] = p
				}
			}
		}
		if len(problems) > 0 {
			badRequest(c, problems)
			return
		}
		id := c.Param("id")
		if prepare != nil && !prepare(c, id, &body) {
			return
		}
		call := keyedUpdate{workflowID: complaint.FollowupWorkflowID(id), idPrefix: "followup-", flight: "followup-step",
			timeout: followupTimeout}
		done, ok := sendProcessStep(h, c, call, update, workflows.Step[B]{Actor: actorOf(c), Body: body},
			func(r workflows.FollowupStepResult) *complaint.Event { return r.Event },
			func(ctx context.Context, updateID string) (json.RawMessage, error) {
				return h.store.FollowupEventPayloadByUpdate(ctx, id, updateID)
			},
			func(c *gin.Context, err error) { h.followupStepError(c, err, id) })
		if ok {
			c.JSON(http.StatusOK, done.Followup)
		}
	}
}

// checkDone refuses a raised_complaint_id from the client: the API sets it
// from the complaint it registers for raise_complaint.
func checkDone(b complaint.FollowupDoneBody) map[string]string {
	if b.RaisedComplaintID != "" {
		return map[string]string{"raised_complaint_id": "is set by the server from raise_complaint, never by the client"}
	}
	return nil
}

// sendProcessStep sends a step of a process other than a case (follow-up,
// feedback) to its workflow and checks that a keyed retry brings the body
// its key first applied. It answers every failure itself (failed for the
// refusals and errors of the workflow) and reports whether the caller may
// answer the result.
func sendProcessStep[B, R any](h *handlers, c *gin.Context, call keyedUpdate,
	update workflows.Update[workflows.Step[B], R], req workflows.Step[B], event func(R) *complaint.Event,
	stored func(context.Context, string) (json.RawMessage, error), failed func(*gin.Context, error),
) (R, bool) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), call.timeout)
	defer cancel()
	done, updateID, err := sendUpdate(h, c, ctx, call, update, req)
	var unsigned errSigning
	if errors.As(err, &unsigned) {
		h.internalError(c, err)
		return done, false
	}
	if err != nil {
		failed(c, err)
		return done, false
	}
	if c.GetHeader("Idempotency-Key") == "" {
		return done, true
	}
	reused, err := bodyReused(c.Request.Context(), updateID, event(done), req.Body,
		func(ctx context.Context) (json.RawMessage, error) { return stored(ctx, updateID) })
	if err != nil {
		h.temporalError(c, err, c.Param("id"))
		return done, false
	}
	if reused {
		abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
			"this Idempotency-Key was first used with a different request body", nil)
		return done, false
	}
	return done, true
}

// followupStepError maps a refused or failed step as a corrective action's.
func (h *handlers) followupStepError(c *gin.Context, err error, id string) {
	h.processStepError(c, err, id, "follow-up", func(ctx context.Context) (string, bool, error) {
		f, err := h.store.GetFollowup(ctx, id)
		return f.Stage, complaint.FollowupEnded(f.Stage), err
	})
}

// processStepError maps a refused or failed step of a process: the
// rules' refusals as a case's; no such workflow, or one that has ended, by
// what the store holds (stage answers the process's stage and whether it
// has ended): 404, 409, or 503 when the store shows it still going.
func (h *handlers) processStepError(c *gin.Context, err error, id, what string,
	stage func(context.Context) (string, bool, error),
) {
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	if !errors.As(err, &notFound) && !errors.As(err, &precondition) &&
		!(errors.As(err, &appErr) && appErr.Type() == acceptedUpdateCompletedWorkflow) {
		h.stepError(c, err, id)
		return
	}
	current, ended, gerr := stage(c.Request.Context())
	if errors.Is(gerr, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no "+what+" with id "+id, nil)
		return
	}
	if gerr != nil {
		h.temporalError(c, gerr, id)
		return
	}
	if errors.As(err, &precondition) && !ended {
		h.temporalError(c, err, id)
		return
	}
	stageConflict(c, complaint.StageConflict{Stage: complaint.Stage(current), AllowedSteps: []string{}},
		"the "+what+" takes no more steps: it is "+current)
}

// raiseComplaint registers the complaint a done step's raise_complaint
// asks for, before the step is sent, and puts its id in the body: the
// rules' checks of the step on the stored follow-up answer first (nothing
// registered), then the complaint goes the one way of POST
// /api/v1/complaints, for the follow-up's customer and equipment, by phone
// (a visit's by visit), keyed by the step's Idempotency-Key (or, without
// one, by the follow-up: it raises one complaint).
func (h *handlers) raiseComplaint(c *gin.Context, id string, b *complaint.FollowupDoneBody) bool {
	if b.RaiseComplaint == nil {
		return true
	}
	ctx := c.Request.Context()
	key := "followup-raise\x00" + id
	if k := c.GetHeader("Idempotency-Key"); k != "" {
		key += "\x00" + k
	}
	// A retry of a step that registered its complaint: the step's update
	// id answers as it first did (a body that differs is refused then).
	if cs, err := h.store.GetCase(ctx, caseID(principalOf(c).UserID, key)); err == nil {
		b.RaisedComplaintID = cs.ID
		return true
	}
	f, err := h.store.GetFollowup(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no follow-up with id "+id, nil)
		return false
	}
	if err != nil {
		h.temporalError(c, err, id)
		return false
	}
	if err := followup.Done.Admit(&f, actorOf(c), *b); err != nil {
		refusalAnswer(c, err)
		return false
	}
	cu, err := h.store.GetCustomer(ctx, f.CustomerID)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
			"the complaint names what the customer archive does not hold",
			map[string]string{"customer_id": "names no customer in the archive"})
		return false
	}
	if err != nil {
		h.temporalError(c, err, id)
		return false
	}
	rc := b.RaiseComplaint
	channel := complaint.ChannelPhone
	if f.Kind == complaint.FollowupKeyCustomerVisit {
		channel = complaint.ChannelVisit
	}
	req := registerRequest{Register: complaint.Register{CustomerID: f.CustomerID, CustomerName: cu.Name,
		ContactName: rc.ContactName, ContactPhone: rc.ContactPhone, Channel: channel, Description: rc.Description,
		CustomerDemand: rc.CustomerDemand, Category: complaint.Category(rc.Category),
		Severity: complaint.Severity(rc.Severity), EquipmentSerial: f.Serial}}
	problems := map[string]string{}
	maps.Copy(problems, complaint.BodyProblems(req.Register))
	registered, ok := h.register(c, req, problems, key, raisedField)
	if ok {
		b.RaisedComplaintID = registered.ID
	}
	return ok
}

// raisedField names a problem of the raised complaint: raise_complaint's
// own fields under it, the rest (the follow-up's customer and equipment)
// as the registration names them.
func raisedField(field string) string {
	switch field {
	case "contact_name", "contact_phone", "description", "customer_demand", "category", "severity":
		return "raise_complaint." + field
	}
	return field
}
