package server

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/feedback"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Enquiries, suggestions and praise: each is a workflow of its own,
// feedback-<id> (workflows/feedback.go), logged here and answered by the
// department it is routed to.

// logFeedback starts feedback's workflow and answers once it is recorded
// with its number. The rules' refusals answer before anything starts; a
// from_customer_id the archive does not hold answers 422. A retry with the
// same Idempotency-Key answers the same feedback.
func (h *handlers) logFeedback(c *gin.Context) {
	var b complaint.FeedbackBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	if _, err := feedback.Log("", actorOf(c), b, 0, h.now()); err != nil {
		refusalAnswer(c, err)
		return
	}
	ctx := c.Request.Context()
	if b.FromCustomerID != "" {
		_, err := h.store.GetCustomer(ctx, b.FromCustomerID)
		if errors.Is(err, store.ErrNotFound) {
			abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable,
				"the feedback names what the store does not hold",
				map[string]string{"from_customer_id": "names no customer in the archive"})
			return
		}
		if err != nil {
			h.temporalError(c, err, "")
			return
		}
		if h.refuseErased(c, b.FromCustomerID) {
			return
		}
	}
	key := c.GetHeader("Idempotency-Key")
	in := workflows.FeedbackInput{ID: feedbackID(principalOf(c).UserID, key), Body: b, LoggedBy: actorOf(c)}
	ctx, cancel := context.WithTimeout(ctx, followupTimeout)
	defer cancel()
	var out complaint.Feedback
	var err error
	if key == "" {
		out, err = h.startFeedback(ctx, in, "")
	} else {
		fingerprint := bodyFingerprint(b)
		out, err = collapse(ctx, h.flights, "feedback-log", in.ID+"\x00"+fingerprint, followupTimeout,
			func(ctx context.Context) (complaint.Feedback, error) { return h.startFeedback(ctx, in, fingerprint) })
	}
	h.startAnswer(c, out, err)
}

// feedbackIDNamespace derives feedback ids from Idempotency-Key headers.
var feedbackIDNamespace = uuid.MustParse("c3a9e5d7-1b2f-4e8a-9d6c-5f0b7a4e2c18")

func feedbackID(userID, key string) string {
	if key != "" {
		return uuid.NewSHA1(feedbackIDNamespace, []byte(userID+"\x00"+key)).String()
	}
	return uuid.Must(uuid.NewV7()).String()
}

func (h *handlers) startFeedback(ctx context.Context, in workflows.FeedbackInput, fingerprint string) (complaint.Feedback, error) {
	wid := complaint.FeedbackWorkflowID(in.ID)
	in, err := in.Signed(h.actorKeys, wid)
	if err != nil {
		return complaint.Feedback{}, err
	}
	opts := client.StartWorkflowOptions{ID: wid, StaticSummary: workflows.FeedbackSummary(in)}
	return startRegistered(ctx, h, opts, workflows.FeedbackWorkflow, in, workflows.UpdateFeedbackRegistration,
		fingerprint, func(ctx context.Context) (complaint.Feedback, error) { return h.store.GetFeedback(ctx, in.ID) })
}

// listFeedback answers a page of feedback, newest first.
func (h *handlers) listFeedback(c *gin.Context) {
	f := store.FeedbackFilter{Kind: c.Query("kind"), Stage: c.Query("stage"), RoutedTo: c.Query("routed_to"),
		CustomerID: c.Query("customer_id"), Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "kind", f.Kind, complaint.FeedbackKinds())
	queryOneOf(problems, "stage", f.Stage, complaint.FeedbackStages())
	queryOneOf(problems, "routed_to", f.RoutedTo, complaint.Departments())
	f.Overdue = queryBool(c, "overdue", problems)
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListFeedback(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) getFeedback(c *gin.Context) {
	id := c.Param("id")
	out, err := h.store.GetFeedback(c.Request.Context(), id)
	if !h.found(c, err, "no feedback with id "+id) {
		return
	}
	c.JSON(http.StatusOK, out)
}

func (h *handlers) getFeedbackTimeline(c *gin.Context) {
	id := c.Param("id")
	if _, err := h.store.GetFeedback(c.Request.Context(), id); !h.found(c, err, "no feedback with id "+id) {
		return
	}
	events, err := h.store.FeedbackEvents(c.Request.Context(), id)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"feedback_id": id, "events": events})
}

// answerFeedback sends the answer, with the caller as its signed actor,
// keyed by the Idempotency-Key; the workflow checks that the caller is of
// the department the feedback is routed to.
func (h *handlers) answerFeedback(c *gin.Context) {
	var body complaint.FeedbackAnswerBody
	problems, ok := bindBody(c, &body)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	id := c.Param("id")
	call := keyedUpdate{workflowID: complaint.FeedbackWorkflowID(id), idPrefix: "feedback-", flight: "feedback-step",
		timeout: followupTimeout}
	done, ok := sendProcessStep(h, c, call, workflows.UpdateFeedbackAnswer,
		workflows.FeedbackAnswerRequest{Actor: actorOf(c), Body: body},
		func(r workflows.FeedbackStepResult) *complaint.Event { return r.Event },
		func(ctx context.Context, updateID string) (json.RawMessage, error) {
			return h.store.FeedbackEventPayloadByUpdate(ctx, id, updateID)
		},
		func(c *gin.Context, err error) {
			h.processStepError(c, err, id, "feedback", func(ctx context.Context) (string, bool, error) {
				fb, err := h.store.GetFeedback(ctx, id)
				return fb.Stage, fb.Stage != complaint.FeedbackOpen, err
			})
		})
	if ok {
		c.JSON(http.StatusOK, done.Feedback)
	}
}
