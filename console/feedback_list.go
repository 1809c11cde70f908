package console

import (
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"time"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// Enquiries, suggestions and praise [1.(1).A, 1.(1).E, 2.(5).3]: the list,
// newest first, filtered as the API's GET /feedback allows (kind, stage,
// department, overdue, customer), and for staff the form logging one.

// feedbackPath is the feedback list; feedbackItemPath one's page.
const feedbackPath = "/console/feedback"

func feedbackItemPath(id string) string { return feedbackPath + "/" + url.PathEscape(id) }

// feedbackAPIPath is feedback in the API.
func feedbackAPIPath(id string) string { return "/api/v1/feedback/" + url.PathEscape(id) }

var (
	feedbackBody       = reflect.TypeFor[complaint.FeedbackBody]()
	feedbackAnswerBody = reflect.TypeFor[complaint.FeedbackAnswerBody]()
)

// feedbackRow is feedback as the list shows it.
type feedbackRow struct {
	complaint.Feedback
	Href    string
	Overdue bool
}

func feedbackRowOf(fb complaint.Feedback, now time.Time) feedbackRow {
	return feedbackRow{Feedback: fb, Href: feedbackItemPath(fb.ID), Overdue: feedbackOverdue(fb, now)}
}

// feedbackOverdue reports whether open feedback is past its response time:
// its workflow escalated it, or the time has passed since.
func feedbackOverdue(fb complaint.Feedback, now time.Time) bool {
	return fb.Stage == complaint.FeedbackOpen && (fb.Overdue || !now.Before(fb.RespondBy))
}

type feedbackListData struct {
	Kind, Stage, RoutedTo, Overdue, CustomerID string
	Kinds, Stages, Departments, OverdueChoices []option
	Feedback                                   []feedbackRow
	NextHref                                   string
	// Log is the form logging feedback, for staff; LogShown unfolds it.
	Log      *form
	LogShown bool
}

func (c *Console) feedbackList(r *request) { c.showFeedbackList(r, http.StatusOK, nil) }

// showFeedbackList draws the list; failed, when set, is a refused log
// whose form shows again with its problems.
func (c *Console) showFeedbackList(r *request, status int, failed *retry) {
	d := feedbackListData{Kind: r.Query("kind"), Stage: r.Query("stage"), RoutedTo: r.Query("routed_to"),
		Overdue: r.Query("overdue"), CustomerID: r.Query("customer_id")}
	d.Kinds = enumOptions(r.lang, "feedback_kind", complaint.FeedbackKinds(), d.Kind)
	d.Stages = enumOptions(r.lang, "feedback_stage", complaint.FeedbackStages(), d.Stage)
	d.Departments = enumOptions(r.lang, "department", complaint.Departments(), d.RoutedTo)
	for _, v := range []string{"true", "false"} {
		d.OverdueChoices = append(d.OverdueChoices, option{Value: v, Label: r.lang.T("capas.overdue." + v),
			Selected: v == d.Overdue})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"kind": d.Kind, "stage": d.Stage, "routed_to": d.RoutedTo,
		"overdue": d.Overdue, "customer_id": d.CustomerID, "cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	var page store.FeedbackPage
	if err := r.call(http.MethodGet, "/api/v1/feedback?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	now := c.now()
	for _, fb := range page.Feedback {
		d.Feedback = append(d.Feedback, feedbackRowOf(fb, now))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = feedbackPath + "?" + next.Encode()
	}
	if authorized(r.session.principal, auth.LogFeedback) {
		f := feedbackLogForm(r, d.CustomerID)
		failed.apply(r.lang, &f)
		d.Log = &f
		d.LogShown = failed != nil || r.Query("log") == "1"
	}
	r.render(status, "feedback_list", "feedback.title", d)
}

// feedbackLogFields are the body's controls, its kind labelled as
// feedback's.
func feedbackLogFields(l Lang) []field {
	fields := fieldsOf(l, feedbackBody)
	for i := range fields {
		if fields[i].Name == "kind" {
			fields[i].Label = l.T("feedback.kind")
		}
	}
	return fields
}

func feedbackLogForm(r *request, customerID string) form {
	f := form{Step: "feedback-log", Title: r.lang.T("feedback.log"), Action: feedbackPath,
		Fields: feedbackLogFields(r.lang), Help: r.lang.T("feedback.log.help"),
		Submit: r.lang.T("feedback.log.submit"), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
	f.Fields = fill(r.lang, f.Fields, formValues{"from_customer_id": {customerID}}, nil)
	return f
}

// logFeedbackPost posts the form to the API and goes to the new
// feedback's page; a refusal shows the form again on the list.
func (c *Console) logFeedbackPost(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var fb complaint.Feedback
	err := r.call(http.MethodPost, "/api/v1/feedback", jsonBody(feedbackLogFields(r.lang), values), key, &fb)
	if err == nil {
		r.seeOther(feedbackItemPath(fb.ID) + "?done=logged")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showFeedbackList(r, status, &retry{values: values, problems: problems, msg: msg, key: keyToRetry(status, key)})
}

// feedbackFlash is the message a redirect after a feedback form left.
func feedbackFlash(r *request, fb complaint.Feedback) string {
	switch r.Query("done") {
	case "logged":
		return fmt.Sprintf(r.lang.T("feedback.logged"), fb.Number)
	case complaint.FeedbackStepAnswer:
		return fmt.Sprintf(r.lang.T("case.step.done"), r.lang.T("feedback_step."+complaint.FeedbackStepAnswer))
	}
	return ""
}
