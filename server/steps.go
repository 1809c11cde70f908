package server

import (
	"context"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// stepTimeout bounds how long a step waits for the workflow to apply it.
const stepTimeout = 30 * time.Second

// projectTimeout bounds the API's store write of an answered step; past it
// the workflow's own write, 5 s after the step, takes over.
const projectTimeout = 5 * time.Second

// step returns the handler of one lifecycle step: it decodes the body of
// type B and sends it, with the caller as actor, as an Update to the case's
// workflow, which validates it against the case and answers the new case.
// check, if given, adds what only the API can check (it reads the store).
func step[B any](h *handlers, update workflows.Update[workflows.Step[B], workflows.StepResult],
	check ...func(*gin.Context, B) (map[string]string, error),
) gin.HandlerFunc {
	return func(c *gin.Context) {
		var body B
		// Steps whose fields are all optional may be posted without a body:
		// it is checked as an empty one, by the same rules and words.
		problems, ok := bindBody(c, &body)
		if !ok {
			return
		}
		// The store checks read what the body names: only a body that is
		// otherwise valid gets that far (a NUL byte would fail the query).
		for _, fn := range check {
			if len(problems) > 0 {
				break
			}
			more, err := fn(c, body)
			if err != nil {
				h.temporalError(c, err, c.Param("id")) // nothing sent yet
				return
			}
			maps.Copy(problems, more)
		}
		if len(problems) > 0 {
			badRequest(c, problems)
			return
		}
		sendStep(h, c, update, workflows.Step[B]{Actor: actorOf(c), Body: body})
	}
}

// checkAssignedEngineer makes sure a confirm assigns a user who is an engineer.
func (h *handlers) checkAssignedEngineer(c *gin.Context, b complaint.ConfirmBody) (map[string]string, error) {
	if b.AssignedEngineer == nil || *b.AssignedEngineer == "" {
		return nil, nil
	}
	return h.engineerProblems(c, map[string]string{"assigned_engineer": *b.AssignedEngineer})
}

// sendStep sends a step's update; a keyed step compares the request's body
// with the body its key first applied.
func sendStep[B any](h *handlers, c *gin.Context, update workflows.Update[workflows.Step[B], workflows.StepResult],
	req workflows.Step[B],
) {
	sendStepTo(h, c, c.Param("id"), update, req)
}

// sendStepTo is sendStep to the case id, for a route that names the case
// by something of its own (a loan).
func sendStepTo[B any](h *handlers, c *gin.Context, id string, update workflows.Update[workflows.Step[B], workflows.StepResult],
	req workflows.Step[B],
) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), stepTimeout)
	defer cancel()
	key := c.GetHeader("Idempotency-Key")
	// The step goes to the workflow without a store read first: an unknown
	// or ended case is told apart only when Temporal refuses (stepError).
	// A keyed step on an ended case may be the retry of the very step that
	// ended it (a close whose answer was lost): Temporal answers an update id
	// it completed with its recorded outcome, also on a completed workflow,
	// and refuses any other id with NotFound.
	call := keyedUpdate{workflowID: complaint.WorkflowID(id), flight: "step", timeout: stepTimeout}
	updated, updateID, err := sendUpdate(h, c, ctx, call, update, req)
	var unsigned errSigning
	if errors.As(err, &unsigned) {
		h.internalError(c, err)
		return
	}
	if err != nil {
		h.stepError(c, err, id)
		return
	}
	h.project(c.Request.Context(), updated)
	if key != "" {
		// Temporal answers a repeated update id with its first outcome, even
		// for another body: the event that id applied tells them apart.
		reused, err := h.keyReused(c.Request.Context(), id, updateID, updated.Event, req.Body)
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
	c.JSON(http.StatusOK, updated.Case)
}

// project writes the event a step answered with to the store, so that the
// caller's next read shows its step: the workflow's own write of it may
// still be on its way. Both writes are keyed by the event's sequence number
// and never move the case back, so whichever lands second changes nothing.
// A failed write here is left to the workflow's, which retries until the
// store takes it; the step itself has happened, so it answers 200. The
// write outlives a caller that hangs up once the step has answered.
func (h *handlers) project(ctx context.Context, r workflows.StepResult) {
	if r.Event == nil {
		return // an answer recorded before steps carried their event
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), projectTimeout)
	defer cancel()
	if err := h.store.ApplyEvent(ctx, r.Case, *r.Event); err != nil {
		slog.WarnContext(ctx, "store write of a step's event left to the workflow",
			"case_id", r.ID, "seq", r.Event.Seq, "error", err)
	}
}
