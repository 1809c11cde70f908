package console

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// Feedback's page: what was asked, suggested or praised, by whom, the
// department it is routed to and when it is due, the answer, the
// timeline, and for the department's agents and supervisors the form
// answering it.

type feedbackData struct {
	Feedback complaint.Feedback
	Events   []complaint.Event
	Overdue  bool
	CustHref string
	Answer   *form
}

func (c *Console) feedbackItem(r *request) { c.showFeedback(r, http.StatusOK, nil) }

// showFeedback draws the page; failed, when set, is a refused answer shown
// again with its problems.
func (c *Console) showFeedback(r *request, status int, failed *retry) {
	id := r.Param("id")
	var fb complaint.Feedback
	if err := r.call(http.MethodGet, feedbackAPIPath(id), nil, "", &fb); err != nil {
		r.failCall(err)
		return
	}
	var tl timeline
	if err := r.call(http.MethodGet, feedbackAPIPath(id)+"/timeline", nil, "", &tl); err != nil {
		r.failCall(err)
		return
	}
	d := feedbackData{Feedback: fb, Events: tl.Events, Overdue: feedbackOverdue(fb, c.now())}
	if fb.FromCustomerID != "" {
		d.CustHref = "/console/customers/" + url.PathEscape(fb.FromCustomerID)
	}
	if failed != nil || (slices.Contains(fb.AllowedSteps, complaint.FeedbackStepAnswer) && mayAnswer(r, fb)) {
		f := feedbackAnswerForm(r, fb)
		failed.apply(r.lang, &f)
		d.Answer = &f
	}
	p := r.page("feedback.title")
	p.Title = cmp.Or(fb.Number, fb.ID)
	p.Flash = feedbackFlash(r, fb)
	p.Data = d
	r.renderPage(status, "feedback", p)
}

// mayAnswer: the route's action, and the department feedback is routed to,
// as its rules check it (feedback.AdmitAnswer).
func mayAnswer(r *request, fb complaint.Feedback) bool {
	p := r.session.principal
	return authorized(p, auth.FeedbackAction(complaint.FeedbackStepAnswer)) && string(p.Department) == fb.RoutedTo
}

func feedbackAnswerForm(r *request, fb complaint.Feedback) form {
	step := complaint.FeedbackStepAnswer
	return form{Step: "feedback-" + step, Title: r.lang.T("feedback_step." + step),
		Action: feedbackItemPath(fb.ID) + "/" + step, Fields: fieldsOf(r.lang, feedbackAnswerBody),
		Help: r.lang.T("feedback.answer.help"), Submit: r.lang.T("feedback_step." + step), Key: uuid.NewString(),
		CSRF: r.session.csrf, Lang: r.lang}
}

// answerFeedback posts the answer to the API and shows the page again; a
// refusal shows on the form with what was typed.
func (c *Console) answerFeedback(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	id := r.Param("id")
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	err := r.call(http.MethodPost, feedbackAPIPath(id)+"/"+complaint.FeedbackStepAnswer,
		jsonBody(fieldsOf(r.lang, feedbackAnswerBody), values), key, nil)
	if err == nil {
		r.seeOther(feedbackItemPath(id) + "?done=" + complaint.FeedbackStepAnswer)
		return
	}
	status, msg, problems := r.stockRefusal(err)
	if status == http.StatusNotFound {
		r.failCall(err)
		return
	}
	if e, ok := err.(*apiError); ok && status == http.StatusConflict && e.Stage != "" && len(problems) == 0 {
		msg = fmt.Sprintf(r.lang.T("feedback.wrong_stage"), r.lang.Enum("feedback_stage", e.Stage))
	}
	c.showFeedback(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}
