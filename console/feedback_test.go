package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// feedbackFixtures are three: fb-late an overdue enquiry of customer
// C-2002 routed to technical, fb-idea a staff suggestion to quality, and
// fb-done praise answered by after-sales.
func feedbackFixtures(a *fakeAPI) {
	now := time.Now().UTC().Truncate(time.Second)
	answered := now.Add(-time.Hour)
	list := []complaint.Feedback{
		{ID: "fb-late", Number: "FB-2026-000003", Kind: complaint.FeedbackEnquiry, Stage: complaint.FeedbackOpen,
			FromCustomerID: "C-2002", Text: "which oil for the pump?", RoutedTo: complaint.DepartmentTechnical,
			LoggedBy: desk, LoggedAt: now.Add(-3 * time.Hour), RespondBy: now.Add(-time.Hour), Overdue: true,
			AllowedSteps: []string{complaint.FeedbackStepAnswer}},
		{ID: "fb-idea", Number: "FB-2026-000002", Kind: complaint.FeedbackSuggestion, Stage: complaint.FeedbackOpen,
			FromUserID: "sales-agent", Text: "a bigger manual", RoutedTo: complaint.DepartmentQuality, LoggedBy: desk,
			LoggedAt: now.Add(-time.Hour), RespondBy: now.Add(time.Hour), AllowedSteps: []string{complaint.FeedbackStepAnswer}},
		{ID: "fb-done", Number: "FB-2026-000001", Kind: complaint.FeedbackPraise, Stage: complaint.FeedbackAnswered,
			FromCustomerID: "C-3003", Text: "great engineer", RoutedTo: complaint.DepartmentAfterSales, LoggedBy: desk,
			LoggedAt: now.Add(-5 * time.Hour), RespondBy: now.Add(-3 * time.Hour), Answer: "thank you",
			AnsweredBy: &desk, AnsweredAt: &answered, AllowedSteps: []string{}},
	}
	for _, fb := range list {
		a.feedback[fb.ID] = fb
		a.events[fb.ID] = []complaint.Event{{Seq: 1, Kind: complaint.EventFeedbackLogged, Actor: desk, OccurredAt: fb.LoggedAt}}
	}
	a.events["fb-late"] = append(a.events["fb-late"], complaint.Event{Seq: 2, Kind: complaint.EventFeedbackOverdue,
		Actor: planner, OccurredAt: now.Add(-time.Hour)})
	a.events["fb-done"] = append(a.events["fb-done"], complaint.Event{Seq: 2, Kind: complaint.EventFeedbackAnswered,
		Actor: desk, OccurredAt: answered})
	a.page = map[string]any{"feedback": list}
}

// TestTheFeedbackListFiltersAndLogs: every enquiry, suggestion and praise
// with its number, kind, stage, department, sender and due time, the
// overdue marked; the filters go to the API; staff log one through the
// form, which posts the API's body; in both languages.
func TestTheFeedbackListFiltersAndLogs(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	a := s.fakeAPI(t)
	feedbackFixtures(a)
	b := s.browser(t)
	b.signIn(s.users["production/engineer"])
	status, page := b.get("/console/feedback")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `href="/console/feedback" aria-current="page"`, "<h1>Enquiries and suggestions</h1>",
		`id="feedback-fb-late" data-feedback="fb-late" data-stage="open" data-overdue>`,
		`<a href="/console/feedback/fb-late">FB-2026-000003</a>`, "Enquiry", "Suggestion", "Praise", "Technical",
		`<a href="/console/customers/C-2002">C-2002</a>`, `<span class="muted">Staff</span> sales-agent`,
		"Awaiting an answer", `<details class="card request" id="log">`), page)
	require.Equal(t, 1, strings.Count(page, `<span class="badge overdue">`))
	require.NotContains(t, page, `rel="next"`)
	log := formOf(t, page, "feedback-log")
	require.True(t, contains(log, `<option value="suggestion">Suggestion</option>`, "From customer", `name="text"`,
		`<option value="quality">Quality</option>`, "Routed to"), log)

	_, page = b.get("/console/feedback?kind=enquiry&stage=open&routed_to=technical&overdue=true&customer_id=C-2002&log=1")
	require.Equal(t, url.Values{"limit": {"50"}, "kind": {"enquiry"}, "stage": {"open"}, "routed_to": {"technical"},
		"overdue": {"true"}, "customer_id": {"C-2002"}}, a.query)
	require.True(t, contains(page, `<details class="card request" id="log" open>`, `name="from_customer_id" value="C-2002"`,
		`<option value="technical" selected>`), page)

	a.code, a.answer = http.StatusCreated, `{"id":"fb-idea","number":"FB-2026-000002"}`
	status, _ = b.post("/console/feedback", url.Values{"csrf_token": {b.csrf()}, "idempotency_key": {"l-1"},
		"kind": {"suggestion"}, "from_customer_id": {""}, "text": {"a bigger\r\nmanual"}, "routed_to": {"quality"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"kind": "suggestion", "text": "a bigger\nmanual", "routed_to": "quality"},
		a.sent["/api/v1/feedback"])
	require.Equal(t, "l-1", a.keys["/api/v1/feedback"])
	_, page = b.get("/console/feedback/fb-idea?done=logged")
	require.Contains(t, page, "Logged as FB-2026-000002.")

	zh := s.chinese(t, "sales/agent")
	a.code, a.answer = http.StatusBadRequest, `{"error":{"code":"invalid","message":"x","fields":{"text":"is required","routed_to":"must be one of: after_sales, sales, technical, production, quality, branch_office"}}}`
	status, page = zh.post("/console/feedback", url.Values{"csrf_token": {zh.csrf()}, "idempotency_key": {"l-2"},
		"kind": {"praise"}})
	require.Equal(t, http.StatusBadRequest, status)
	log = formOf(t, page, "feedback-log")
	require.True(t, contains(log, "登记咨询、建议或表扬", `id="feedback-log-text-error">必填<`,
		`id="feedback-log-routed_to-error">必须是以下之一`, `<option value="praise" selected>表扬</option>`, `value="l-2"`), log)
	require.True(t, contains(page, `<details class="card request" id="log" open>`, "咨询与建议", "咨询", "建议", "待答复",
		"转交部门", "答复期限", "已逾期"), page)

	admin := s.browser(t)
	admin.signIn(s.users["after_sales/admin"])
	status, _ = admin.get("/console/feedback/fb-late")
	require.Equal(t, http.StatusForbidden, status)
}

// TestTheFeedbackPageAnswers: what was said, by whom, where it is routed,
// when it is due and the answer; the answer form only for the department
// it is routed to, posting the API's body; refusals on the form.
func TestTheFeedbackPageAnswers(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	a := s.fakeAPI(t)
	feedbackFixtures(a)
	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	status, page := b.get("/console/feedback/fb-done")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "<h1>FB-2026-000001</h1>", `href="/console/feedback">Enquiries and suggestions</a>`,
		`data-kind="praise">Praise`, `<a href="/console/customers/C-3003" data-customer>C-3003</a>`,
		`data-routed-to="after_sales">After-sales`, `<p class="text" data-text>great engineer</p>`,
		`<div data-answer><p class="text">thank you</p>`, "Xu Jing", `<li data-kind="feedback_answered">`, "Answered"), page)
	require.NotContains(t, page, "form-feedback-answer")
	require.NotContains(t, page, "badge overdue")
	_, page = b.get("/console/feedback/fb-idea")
	require.True(t, contains(page, `<span data-from-user>Staff sales-agent</span>`, "Not answered yet."), page)
	status, _ = b.get("/console/feedback/nope")
	require.Equal(t, http.StatusNotFound, status)

	for user, see := range map[string]bool{"technical/agent": true, "technical/supervisor": true,
		"technical/engineer": false, "quality/agent": false} {
		u := s.browser(t)
		u.signIn(s.users[user])
		_, page = u.get("/console/feedback/fb-late")
		require.Equal(t, see, strings.Contains(page, `action="/console/feedback/fb-late/answer" novalidate class="card stepform" id="form-feedback-answer"`), user)
	}

	tech := s.chinese(t, "technical/agent")
	token := tech.csrf()
	_, page = tech.get("/console/feedback/fb-late")
	require.True(t, contains(page, "内容", "来自", "转交部门", "技术部", "答复期限", `<span class="badge overdue" data-overdue>已逾期</span>`,
		"尚未答复。", "已登记", "答复已超时", "由本部门答复"), page)
	status, _ = tech.post("/console/feedback/fb-late/answer", url.Values{"csrf_token": {token},
		"idempotency_key": {"a-1"}, "answer": {"ISO VG 68"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"answer": "ISO VG 68"}, a.sent["/api/v1/feedback/fb-late/answer"])
	_, page = tech.get("/console/feedback/fb-late?done=answer")
	require.Contains(t, page, "已完成：答复。")

	a.code, a.answer = http.StatusConflict, `{"error":{"code":"conflict","message":"this feedback is answered already","stage":"answered"}}`
	status, page = tech.post("/console/feedback/fb-late/answer", url.Values{"csrf_token": {token}, "answer": {"again"}})
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(formOf(t, page, "feedback-answer"), "当前为“已答复”，不能再答复。", ">again</textarea>"))
}
