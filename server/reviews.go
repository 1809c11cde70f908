package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// The monthly review [3.(4)]: a workflow per month, review-<yyyy-mm>
// (workflows/review.go), run by its schedule or on demand here; read as
// JSON, CSV or printable HTML; each department's supervisor records the
// accountability decision on its row.

// reviewTimeout bounds how long a run or a decision waits for the review's
// workflow (computing 100,000 cases takes about a second).
const reviewTimeout = 60 * time.Second

// reviewFormats are the renderings GET /reviews/{month} answers, by the
// suffix of the month.
var reviewFormats = []string{"", ".csv", ".html"}

// monthParam reads {month} (yyyy-mm, with a format suffix where allowed),
// answering 400 naming month when it is not one.
func monthParam(c *gin.Context, formats []string) (month, format string, ok bool) {
	raw := c.Param("month")
	for _, f := range formats {
		if f != "" && strings.HasSuffix(raw, f) {
			raw, format = strings.TrimSuffix(raw, f), f
			break
		}
	}
	if _, err := review.ParseMonth(raw); err != nil {
		badRequest(c, map[string]string{"month": "must be a month (YYYY-MM)" + formatHint(formats)})
		return "", "", false
	}
	return raw, format, true
}

func formatHint(formats []string) string {
	if len(formats) > 1 {
		return ", optionally followed by .csv or .html"
	}
	return ""
}

func (h *handlers) listReviews(c *gin.Context) {
	reviews, err := h.store.ListReviews(c.Request.Context())
	if err != nil {
		h.temporalError(c, err, "")
		return
	}
	if reviews == nil {
		reviews = []review.Review{}
	}
	c.JSON(http.StatusOK, gin.H{"reviews": reviews})
}

// getReview answers a stored review as JSON, CSV (UTF-8 with a BOM, for a
// spreadsheet) or a printable HTML page, in the reader's language.
func (h *handlers) getReview(c *gin.Context) {
	month, format, ok := monthParam(c, reviewFormats)
	if !ok {
		return
	}
	r, err := h.store.GetReview(c.Request.Context(), month)
	if !h.found(c, err, "no review of "+month+" yet: run it with POST /api/v1/reviews/"+month+"/run") {
		return
	}
	lang := review.Lang(readerLanguage(c))
	var buf bytes.Buffer
	switch format {
	case ".csv":
		if err := review.WriteCSV(&buf, r, lang); err != nil {
			h.internalError(c, err)
			return
		}
		c.Header("Content-Disposition", `attachment; filename="review-`+month+`.csv"`)
		c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	case ".html":
		if err := review.WriteHTML(&buf, r, lang); err != nil {
			h.internalError(c, err)
			return
		}
		// The page is self-contained: its own inline style sheet and SVG,
		// nothing else (no script, no request).
		c.Header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
		c.Data(http.StatusOK, "text/html; charset=utf-8", buf.Bytes())
	default:
		c.JSON(http.StatusOK, r)
	}
}

// runReview runs the month's review, or joins it: the review's workflow
// is started once per month (a month already reviewed answers as stored),
// and the answer comes once the figures are in the store. Only a month
// that has ended is reviewed.
func (h *handlers) runReview(c *gin.Context) {
	month, _, ok := monthParam(c, []string{""})
	if !ok {
		return
	}
	if month >= h.now().In(h.timeZone).Format(review.MonthLayout) {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, "only a month that has ended is reviewed",
			map[string]string{"month": "must be a month before the current one"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), reviewTimeout)
	defer cancel()
	in := workflows.ReviewInput{Month: month, TimeZone: h.timeZone.String()}
	opts := client.StartWorkflowOptions{ID: complaint.ReviewWorkflowID(month), StaticSummary: workflows.ReviewSummary(in)}
	r, err := collapse(ctx, h.flights, "review-run", month, reviewTimeout, func(ctx context.Context) (review.Review, error) {
		return startRegistered(ctx, h, opts, workflows.MonthlyReviewWorkflow, in, workflows.UpdateReviewReady, "",
			func(ctx context.Context) (review.Review, error) { return h.store.GetReview(ctx, month) })
	})
	if err != nil {
		h.temporalError(c, err, "")
		return
	}
	c.JSON(http.StatusOK, r)
}

// decideAccountability records a department's decision: sent to the
// review's workflow as a signed update (the Idempotency-Key is its id),
// which checks that the caller supervises that department and that the
// review is still open.
func (h *handlers) decideAccountability(c *gin.Context) {
	month, _, ok := monthParam(c, []string{""})
	if !ok {
		return
	}
	dept := c.Param("department")
	if !slices.Contains(complaint.Departments(), dept) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no department "+dept, nil)
		return
	}
	var body complaint.AccountabilityBody
	problems, ok := bindJSON(c, &body)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	req := workflows.ReviewDecisionRequest{Actor: actorOf(c),
		Body: complaint.AccountabilityDecision{Department: dept, AccountabilityBody: body}}
	ctx, cancel := context.WithTimeout(c.Request.Context(), reviewTimeout)
	defer cancel()
	call := keyedUpdate{workflowID: complaint.ReviewWorkflowID(month), idPrefix: "review-", flight: "review-decide",
		timeout: reviewTimeout}
	r, _, err := sendUpdate(h, c, ctx, call, workflows.UpdateReviewDecision, req)
	var unsigned errSigning
	var appErr *temporal.ApplicationError
	var notFound *serviceerror.NotFound
	var precondition *serviceerror.FailedPrecondition
	switch {
	case errors.As(err, &unsigned):
		h.internalError(c, err)
	case errors.As(err, &notFound), errors.As(err, &precondition),
		errors.As(err, &appErr) && appErr.Type() == acceptedUpdateCompletedWorkflow:
		h.reviewGone(c, month, err)
	case err != nil:
		h.stepError(c, err, "")
	default:
		c.JSON(http.StatusOK, r)
	}
}

// reviewGone answers a decision whose review has no running workflow: 404
// before the month was reviewed, 409 once it closed, 503 when the store
// shows it open (the outcome is unknown).
func (h *handlers) reviewGone(c *gin.Context, month string, cause error) {
	r, err := h.store.GetReview(c.Request.Context(), month)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no review of "+month+" yet", nil)
		return
	}
	if err == nil && r.State != complaint.ReviewClosed {
		err = cause
	}
	if err != nil {
		h.temporalError(c, err, "")
		return
	}
	stageConflict(c, complaint.StageConflict{Stage: complaint.Stage(r.State), AllowedSteps: []string{}},
		"the review of "+month+" is closed")
}
