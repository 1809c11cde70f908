package console_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// fakeAPI answers the follow-up and feedback routes of the API as the
// contract shapes them, from what the test put in it, so the pages are
// tested without the server's routes or a workflow; it keeps what the
// console sent. Complaint reads pass to the real API, with `followups`
// added to the answer.
type fakeAPI struct {
	t         *testing.T
	next      http.Handler
	mu        sync.Mutex
	followups map[string]complaint.Followup
	feedback  map[string]complaint.Feedback
	events    map[string][]complaint.Event
	ofCase    map[string][]complaint.Followup
	// page is the list's answer (its followups, feedback and cursor).
	page map[string]any
	// query is the last list's query; sent and keys each post's body and
	// Idempotency-Key, by path.
	query url.Values
	sent  map[string]map[string]any
	keys  map[string]string
	// code and answer are a post's answer.
	code   int
	answer string
}

func (s *site) fakeAPI(t *testing.T) *fakeAPI {
	a := &fakeAPI{t: t, next: s.tap.next, followups: map[string]complaint.Followup{},
		feedback: map[string]complaint.Feedback{}, events: map[string][]complaint.Event{},
		ofCase: map[string][]complaint.Followup{}, sent: map[string]map[string]any{}, keys: map[string]string{},
		code: http.StatusOK, answer: `{}`}
	s.tap.answer(t, a.serve)
	return a
}

func (a *fakeAPI) serve(w http.ResponseWriter, r *http.Request) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/api/v1/complaints/"); ok && r.Method == http.MethodGet && !strings.Contains(rest, "/") {
		rec := httptest.NewRecorder()
		a.next.ServeHTTP(rec, r)
		var body map[string]any
		require.NoError(a.t, json.Unmarshal(rec.Body.Bytes(), &body))
		if rec.Code == http.StatusOK {
			body["followups"] = a.ofCase[rest]
		}
		writeJSON(w, rec.Code, body)
		return true
	}
	kind, rest, ok := strings.Cut(strings.TrimPrefix(path, "/api/v1/"), "/")
	if kind != "followups" && kind != "feedback" {
		return false
	}
	switch {
	case r.Method == http.MethodPost:
		var body map[string]any
		require.NoError(a.t, json.NewDecoder(r.Body).Decode(&body))
		a.sent[path], a.keys[path] = body, r.Header.Get("Idempotency-Key")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.code)
		_, _ = w.Write([]byte(a.answer))
	case !ok:
		a.query = r.URL.Query()
		if bad := a.query.Get("stage"); bad == "lost" {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": "invalid",
				"message": "stage", "fields": map[string]string{"stage": "must be one of: open, done, cancelled"}}})
			return true
		}
		writeJSON(w, http.StatusOK, a.page)
	default:
		id, tl := strings.CutSuffix(rest, "/timeline")
		var item any
		if f, found := a.followups[id]; found && kind == "followups" {
			item = f
		} else if fb, found := a.feedback[id]; found && kind == "feedback" {
			item = fb
		} else {
			writeJSON(w, http.StatusNotFound, map[string]any{"error": map[string]any{"code": "not_found", "message": "no " + id}})
			return true
		}
		if tl {
			item = map[string]any{"events": a.events[id]}
		}
		writeJSON(w, http.StatusOK, item)
	}
	return true
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	var buf bytes.Buffer
	_ = json.NewEncoder(&buf).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

var (
	desk = complaint.Actor{UserID: "after_sales-agent", Name: "Xu Jing", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
	planner = complaint.Actor{UserID: "system", Name: "caseflow"}
)

// followupFixtures are four follow-ups: f-late an overdue delivery call,
// f-visit an open key-customer visit, f-call an open post-close call of
// case "fucase", and f-done a done recovery call whose survey was answered,
// which raised case "raised" and came from f-call's low score.
func followupFixtures(a *fakeAPI) {
	now := time.Now().UTC().Truncate(time.Second)
	open := []string{complaint.FollowupStepDone, complaint.FollowupStepCancel}
	sat, rec := 2, 3
	answered := now.Add(-2 * time.Hour)
	list := []complaint.Followup{
		{ID: "f-late", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupOpen, CustomerID: "C-2002",
			Serial: "LZ-0815", OwnerDepartment: complaint.DepartmentAfterSales, DueAt: now.Add(-time.Hour),
			Overdue: true, OpenedBy: planner, OpenedAt: now.Add(-72 * time.Hour), AllowedSteps: open},
		{ID: "f-visit", Kind: complaint.FollowupKeyCustomerVisit, Stage: complaint.FollowupOpen, CustomerID: "C-3003",
			OwnerDepartment: complaint.DepartmentBranchOffice, BranchOffice: "Ningbo", Owner: "branch_office-engineer",
			DueAt: now.Add(30 * 24 * time.Hour), OpenedBy: planner, OpenedAt: now, AllowedSteps: open},
		{ID: "f-call", Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupOpen, CustomerID: "C-2002",
			ComplaintID: "fucase", OwnerDepartment: complaint.DepartmentAfterSales, DueAt: now.Add(24 * time.Hour),
			Note: "ask about the seal", OpenedBy: planner, OpenedAt: now, AllowedSteps: open},
		{ID: "f-done", Kind: complaint.FollowupRecoveryCall, Stage: complaint.FollowupDone, CustomerID: "C-2002",
			ComplaintID: "fucase", SourceID: "f-call", RaisedComplaintID: "raised",
			OwnerDepartment: complaint.DepartmentAfterSales, DueAt: now.Add(-24 * time.Hour), OpenedBy: planner,
			OpenedAt: now.Add(-48 * time.Hour), AllowedSteps: []string{},
			Outcome: &complaint.FollowupOutcome{Note: "still leaking", Satisfaction: &sat, IssuesFound: true, By: desk,
				At: now.Add(-3 * time.Hour)},
			Survey: &complaint.Survey{State: complaint.SurveyAnswered, AnsweredAt: &answered,
				Answer: &complaint.SurveyAnswerBody{Satisfaction: 2, WouldRecommend: &rec, Comment: "slow service"}}},
	}
	for _, f := range list {
		a.followups[f.ID] = f
		a.events[f.ID] = []complaint.Event{{Seq: 1, Kind: complaint.EventFollowupOpened, Actor: planner,
			OccurredAt: f.OpenedAt}}
	}
	a.events["f-late"] = append(a.events["f-late"], complaint.Event{Seq: 2, Kind: complaint.EventFollowupOverdue,
		Actor: planner, OccurredAt: now.Add(-time.Hour)})
	a.events["f-done"] = append(a.events["f-done"],
		complaint.Event{Seq: 2, Kind: complaint.EventFollowupDone, Actor: desk, OccurredAt: now.Add(-3 * time.Hour)},
		complaint.Event{Seq: 3, Kind: complaint.EventSurveySent, Actor: planner, OccurredAt: now.Add(-3 * time.Hour)},
		complaint.Event{Seq: 4, Kind: complaint.EventSurveyAnswered, Actor: planner, OccurredAt: answered})
	a.page = map[string]any{"followups": list, "next_cursor": "c-2"}
	a.ofCase["fucase"] = []complaint.Followup{list[2], list[3]}
	a.ofCase["raised"] = []complaint.Followup{list[3]}
}

// TestTheFollowupListFiltersAndMarksTheOverdue: every follow-up with its
// kind, customer, due time and overdue mark, stage, owner, case and survey;
// the filters go to the API as its query (the due range as RFC 3339 times,
// the "until" day included); the next page by cursor; in both languages.
func TestTheFollowupListFiltersAndMarksTheOverdue(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	a := s.fakeAPI(t)
	followupFixtures(a)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/followups")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `href="/console/followups" aria-current="page"`, `href="/console/feedback"`,
		"<h1>Follow-ups</h1>", `id="followup-f-late" data-followup="f-late" data-stage="open" data-overdue>`,
		`<a href="/console/followups/f-late">Call after delivery</a>`, `<a href="/console/customers/C-2002">C-2002</a> <span class="muted">LZ-0815</span>`,
		"Key-customer visit", "Branch office Ningbo <span class=\"muted\">branch_office-engineer</span>",
		`<a href="/console/cases/fucase" data-case-link>fucase</a>`, `<span data-survey="answered">Answered</span>`,
		"Recovery call (low score)", `<span class="badge followup-done">Done</span>`,
		`href="/console/followups/new" data-open-followup>Open a follow-up</a>`,
		`<a href="/console/followups?cursor=c-2" rel="next">`), page)
	require.Equal(t, 1, strings.Count(page, `<span class="badge overdue">`), "a done one is overdue no more")
	require.Equal(t, url.Values{"limit": {"50"}}, a.query)

	_, page = b.get("/console/followups?kind=delivery_call&stage=open&owner=u-1&owner_department=branch_office" +
		"&overdue=true&customer_id=C-2002&complaint_id=fucase&due_from=2026-03-01&due_to=2026-03-31&cursor=c-2")
	// The days are the company's (the console's zone, Shanghai by default).
	from := time.Date(2026, 3, 1, 0, 0, 0, 0, complaint.DefaultLocation()).Format(time.RFC3339)
	to := time.Date(2026, 4, 1, 0, 0, 0, 0, complaint.DefaultLocation()).Format(time.RFC3339)
	require.Equal(t, url.Values{"limit": {"50"}, "kind": {"delivery_call"}, "stage": {"open"}, "owner": {"u-1"},
		"owner_department": {"branch_office"}, "overdue": {"true"}, "customer_id": {"C-2002"},
		"complaint_id": {"fucase"}, "due_from": {from}, "due_to": {to}, "cursor": {"c-2"}}, a.query)
	require.True(t, contains(page, `<option value="delivery_call" selected>`, `<option value="branch_office" selected>`,
		`<option value="true" selected>Overdue only</option>`, `value="2026-03-01"`, `value="2026-03-31"`,
		`href="/console/followups/new?complaint_id=fucase&amp;customer_id=C-2002"`), page)
	status, _ = b.get("/console/followups?stage=lost")
	require.Equal(t, http.StatusBadRequest, status, "the API's refusal of a filter")

	sales := s.browser(t)
	sales.signIn(s.users["sales/agent"])
	status, page = sales.get("/console/followups")
	require.Equal(t, http.StatusOK, status)
	require.NotContains(t, page, "data-open-followup", "sales reads follow-ups but opens none")

	zh := s.chinese(t, "branch_office/supervisor")
	_, page = zh.get("/console/followups")
	require.True(t, contains(page, ">回访<", "回访任务", "交付回访", "重点客户拜访", "结案回访", "低分挽回回访", "待回访",
		"已完成", "已逾期", "已答复", "到期日起", "到期日止", "回访类型", "新建回访任务"), page)
}

// TestWhoMayNotReadFollowupsGetsNoLinkNorPage: an admin works no cases.
func TestWhoMayNotReadFollowupsGetsNoLinkNorPage(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	followupFixtures(s.fakeAPI(t))
	b := s.browser(t)
	b.signIn(s.users["after_sales/admin"])
	_, page := b.get("/console/users")
	require.NotContains(t, page, `href="/console/followups"`)
	require.NotContains(t, page, `href="/console/feedback"`)
	for _, path := range []string{"/console/followups", "/console/followups/f-late", "/console/followups/new",
		"/console/feedback"} {
		status, page := b.get(path)
		require.Equal(t, http.StatusForbidden, status, path)
		require.Contains(t, page, "You may not do this")
	}
}

// TestTheFollowupPagesReadTheAPIsOwnAnswers: over the store and the API's
// own routes (no fake), the lists, the pages and the case's section show
// what was registered, and the due range filters.
func TestTheFollowupPagesReadTheAPIsOwnAnswers(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := newSite(t, backend.URL, true)
			ctx := t.Context()
			now := time.Now().UTC().Truncate(time.Second)
			s.putCase(t, "realcase", func(c *complaint.Case) {})
			f := complaint.Followup{ID: "f-real", Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupOpen,
				CustomerID: "C-2002", ComplaintID: "realcase", OwnerDepartment: complaint.DepartmentAfterSales,
				DueAt: now.Add(-time.Hour), OpenedBy: planner, OpenedAt: now.Add(-2 * time.Hour), UpdatedAt: now,
				AllowedSteps: complaint.FollowupSteps()}
			require.NoError(t, s.store.RegisterFollowup(ctx, f, complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened,
				Actor: planner, OccurredAt: f.OpenedAt}))
			fb := complaint.Feedback{ID: "fb-real", Kind: complaint.FeedbackEnquiry, Stage: complaint.FeedbackOpen,
				FromCustomerID: "C-2002", Text: "which oil?", RoutedTo: complaint.DepartmentTechnical, LoggedBy: desk,
				LoggedAt: now, RespondBy: now.Add(2 * time.Hour), UpdatedAt: now,
				AllowedSteps: []string{complaint.FeedbackStepAnswer}}
			n, err := s.store.RegisterFeedback(ctx, fb, complaint.Event{Seq: 1, Kind: complaint.EventFeedbackLogged,
				Actor: desk, OccurredAt: now})
			require.NoError(t, err)

			b := s.browser(t)
			b.signIn(s.users["after_sales/agent"])
			status, page := b.get("/console/followups")
			require.Equal(t, http.StatusOK, status, page)
			require.Contains(t, page, `data-followup="f-real" data-stage="open" data-overdue>`)
			today := f.DueAt.In(complaint.DefaultLocation()).Format(time.DateOnly)
			later := f.DueAt.In(complaint.DefaultLocation()).AddDate(0, 0, 2).Format(time.DateOnly)
			_, page = b.get("/console/followups?due_from=" + today + "&due_to=" + today)
			require.Contains(t, page, `data-followup="f-real"`, "the until day is included")
			_, page = b.get("/console/followups?due_from=" + later)
			require.Contains(t, page, "No follow-ups match.")
			status, page = b.get("/console/followups/f-real")
			require.Equal(t, http.StatusOK, status, page)
			require.True(t, contains(page, "Call after the case closed", `<li data-kind="followup_opened">`,
				`id="form-followup-done"`, `id="form-followup-cancel"`, `<a href="/console/cases/realcase" data-case-link>`), page)
			_, page = b.get("/console/cases/realcase")
			require.Contains(t, section(t, page, `<section class="card" id="followups">`, "</section>"),
				`<li data-followup="f-real" data-stage="open"><a href="/console/followups/f-real">`)

			_, page = b.get("/console/feedback")
			require.Contains(t, page, `<a href="/console/feedback/fb-real">`+n.Number+`</a>`)
			tech := s.browser(t)
			tech.signIn(s.users["technical/agent"])
			status, page = tech.get("/console/feedback/fb-real")
			require.Equal(t, http.StatusOK, status, page)
			require.True(t, contains(page, "<h1>"+n.Number+"</h1>", "which oil?", `id="form-feedback-answer"`,
				`<li data-kind="feedback_logged">`), page)
		})
	}
}
