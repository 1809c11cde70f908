package console_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store/storetest"
)

// reviewsSite is a site with two months reviewed through the store as the
// review's workflow saves them: 2026-01 closed, every department decided,
// and 2026-02 open, production's warning recorded, the others owed.
func reviewsSite(t *testing.T, dbURL string) *site {
	s := newSite(t, dbURL, true)
	ctx := t.Context()
	loc, err := time.LoadLocation(complaint.DefaultTimeZone)
	require.NoError(t, err)
	decided := time.Date(2026, 3, 4, 10, 0, 0, 0, time.UTC)
	for _, month := range []string{"2026-01", "2026-02"} {
		from, err := review.ParseMonth(month)
		require.NoError(t, err)
		from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
		f := review.Figures{Month: month, From: from, To: from.AddDate(0, 1, 0), TimeZone: complaint.DefaultTimeZone,
			ComputedAt: from.AddDate(0, 1, 1), Cases: 12, Breaches: 3, Recurrences: 2,
			ByCategory: []review.Count{{Key: string(complaint.CategoryQuality), Count: 7}, {Key: string(complaint.CategoryNonQuality), Count: 5}},
			ServiceLevels: []review.ServiceLevel{{Clock: complaint.ClockResponse, Measured: 12, Met: 11, Breached: 1,
				MetPercent: 91.66}, {Clock: complaint.ClockOnsite}},
			Capa:         review.CapaFigures{Open: 4, Overdue: 1, Effective: 2},
			Satisfaction: review.SatisfactionFigures{Answers: 6, Average: 4.5}}
		for _, d := range complaint.Departments() {
			a := review.Accountability{Department: d, Liability: map[string]int{}}
			if d == complaint.DepartmentProduction {
				a.Cases, a.Liability[string(complaint.LiabilityCompany)], a.Liability[string(complaint.LiabilityCustomer)] = 5, 4, 1
				a.Decision, a.Note, a.DecidedBy, a.DecidedAt = complaint.AccountabilityWarning, "two seals in a row",
					"production-supervisor", &decided
			} else if month == "2026-01" {
				a.Decision, a.DecidedBy, a.DecidedAt = complaint.AccountabilityNoAction, d+"-supervisor", &decided
			}
			f.Accountability = append(f.Accountability, a)
		}
		_, err = s.store.SaveReview(ctx, f)
		require.NoError(t, err)
	}
	require.NoError(t, s.store.CloseReview(ctx, "2026-01", decided))
	return s
}

// TestTheReviewsListAndPage: the months newest first with where each
// stands and how many departments decided; a month's key figures, its
// accountability table and its renderings' links; in both languages.
func TestTheReviewsListAndPage(t *testing.T) {
	s := reviewsSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	status, page := b.get("/console/reviews")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `href="/console/reviews" aria-current="page"`, "<h1>Monthly reviews</h1>",
		`<tr id="review-2026-02" data-review="2026-02" data-state="open">`, `<a href="/console/reviews/2026-02">2026-02</a>`,
		`<span class="badge review-open">Open</span>`, `data-decided="1">1 of 6<`,
		`data-review="2026-01" data-state="closed">`, `data-decided="6">6 of 6<`), page)
	require.Less(t, strings.Index(page, `data-review="2026-02"`), strings.Index(page, `data-review="2026-01"`), "newest first")
	require.NotContains(t, page, `id="form-review-run"`, "sales runs no review")

	status, page = b.get("/console/reviews/2026-02")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "<h1>Review of 2026-02</h1>", `data-figure="cases">12<`, `data-figure="breaches">3<`,
		`data-figure="recurrences">2<`, `data-figure="capa_open">4<`, `data-figure="capa_overdue">1<`,
		`data-figure="capa_effective">2<`, `data-figure="satisfaction">4.50 (6 answers)<`,
		`<tr data-category="quality"><th scope="row">Quality</th><td class="num">7</td>`,
		`<tr data-clock="response"><th scope="row">Response (2 h)</th><td class="num">12</td><td class="num">11</td><td class="num">1</td><td class="num" data-met-percent>91.7%</td>`,
		`<tr data-clock="onsite">`, `data-met-percent>—<`,
		`<tr data-department="production" data-decision="warning">`, "<th scope=\"row\">Production</th><td class=\"num\">5</td><td class=\"num\">4</td><td class=\"num\">1</td>",
		"<strong>Warning</strong>", "two seals in a row", "production-supervisor", "Not decided yet",
		`<a href="/console/reviews/2026-02/print?lang=en" data-print>`, `<a href="/console/reviews/2026-02/csv?lang=en" data-csv download>`), page)
	require.NotContains(t, page, `id="form-review-decide"`, "an agent decides nothing")
	status, _ = b.get("/console/reviews/2025-12")
	require.Equal(t, http.StatusNotFound, status, "a month not reviewed")

	zh := s.chinese(t, "quality/agent")
	_, page = zh.get("/console/reviews")
	require.True(t, contains(page, "月度评审", "月份", "进行中", "已结束", "1 / 6"), page)
	_, page = zh.get("/console/reviews/2026-01")
	require.True(t, contains(page, "2026-01 月度评审", "主要数据", "案件数", "超时案件", "重复客诉", "满意度（1–5）", "质量问题",
		"服务时限达成", "响应（2 小时）", "责任考核", "公司责任", "警告", "不追责", "生产部", "打印版（含图表）",
		`/console/reviews/2026-01/csv?lang=zh`), page)
}

// TestTheReviewRendersInTheUsersLanguage: the printable page and the CSV
// are the API's, in the user's language, the page under a policy that
// lets its own style sheet in and nothing else.
func TestTheReviewRendersInTheUsersLanguage(t *testing.T) {
	s := reviewsSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["technical/engineer"])
	for _, tc := range []struct{ path, want string }{
		{"/console/reviews/2026-02/print", "Monthly complaint review"},
		{"/console/reviews/2026-02/print?lang=zh", "售后投诉月度评审"},
	} {
		resp, err := b.client.Get(b.base + tc.path)
		require.NoError(t, err)
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, http.StatusOK, resp.StatusCode, tc.path)
		require.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))
		require.Contains(t, resp.Header.Get("Content-Security-Policy"), "style-src 'unsafe-inline'")
		require.NotContains(t, resp.Header.Get("Content-Security-Policy"), "script-src")
		require.Contains(t, string(raw), tc.want, tc.path)
	}
	zh := s.chinese(t, "technical/engineer")
	resp, err := zh.client.Get(zh.base + "/console/reviews/2026-02/csv")
	require.NoError(t, err)
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Equal(t, "text/csv; charset=utf-8", resp.Header.Get("Content-Type"))
	require.Equal(t, `attachment; filename="review-2026-02.csv"`, resp.Header.Get("Content-Disposition"))
	require.Contains(t, string(raw), "生产部", "the user's language")
	status, _ := zh.get("/console/reviews/2025-12/print")
	require.Equal(t, http.StatusNotFound, status)
}

// TestTheDecisionFormIsTheSupervisorsOwn: a supervisor decides their own
// department's row while the review is open; nobody else gets the form.
func TestTheDecisionFormIsTheSupervisorsOwn(t *testing.T) {
	s := reviewsSite(t, storetest.SQLite(t).URL)
	for _, tc := range []struct {
		user, month string
		title       string // "" when no form
	}{
		{"production/supervisor", "2026-02", "Decision for Production"}, // its warning recorded
		{"after_sales/supervisor", "2026-02", "Decision for After-sales"},
		{"production/agent", "2026-02", ""},
		{"production/approver", "2026-02", ""},
		{"production/supervisor", "2026-01", ""},
	} {
		t.Run(tc.user+" "+tc.month, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/reviews/" + tc.month)
			require.Equal(t, http.StatusOK, status)
			if tc.title == "" {
				require.NotContains(t, page, `id="form-review-decide"`)
				return
			}
			require.Contains(t, page, `action="/console/reviews/`+tc.month+`/decision" novalidate class="card stepform" id="form-review-decide"`)
			form := formOf(t, page, "review-decide")
			require.True(t, contains(form, "<h3>"+tc.title+"</h3>",
				`<option value="no_action">No action</option>`, `<option value="penalty">Penalty</option>`,
				`name="note"`, "a warning or a penalty needs a note"), form)
			if tc.user == "production/supervisor" {
				require.True(t, contains(form, `<option value="warning" selected>`, ">two seals in a row</textarea>"), form)
			} else {
				require.NotContains(t, form, "selected", "nothing decided yet")
			}
		})
	}
}

// TestADecisionPostedFromTheReviewPage: the form puts the API's body for
// the supervisor's own department under its Idempotency-Key (answered
// here: the harness has no Temporal); the API's rules show on the form in
// Chinese, and a review closed meanwhile is said so.
func TestADecisionPostedFromTheReviewPage(t *testing.T) {
	s := reviewsSite(t, storetest.SQLite(t).URL)
	zh := s.chinese(t, "production/supervisor")
	token := zh.csrf()
	status, page := zh.post("/console/reviews/2026-02/decision", url.Values{"csrf_token": {token},
		"idempotency_key": {"d-1"}, "decision": {"penalty"}, "note": {" "}})
	require.Equal(t, http.StatusBadRequest, status)
	form := formOf(t, page, "review-decide")
	require.True(t, contains(form, "生产部的考核决定", "请修改下方标出的字段。",
		`id="review-decide-note-error">除非决定为“不追责”，否则必填<`, `<option value="penalty" selected>处罚</option>`,
		`value="d-1"`), form)

	var sentPath, sentKey, method string
	var sent map[string]any
	code, answer := http.StatusOK, `{}`
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasPrefix(r.URL.Path, "/api/v1/reviews/2026-02/departments/") {
			return false
		}
		method, sentPath, sentKey = r.Method, r.URL.Path, r.Header.Get("Idempotency-Key")
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(answer))
		return true
	})
	status, _ = zh.post("/console/reviews/2026-02/decision", url.Values{"csrf_token": {token},
		"idempotency_key": {"d-2"}, "decision": {"penalty"}, "note": {"第三次密封件问题"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, http.MethodPut, method)
	require.Equal(t, "/api/v1/reviews/2026-02/departments/production", sentPath, "the supervisor's own department")
	require.Equal(t, map[string]any{"decision": "penalty", "note": "第三次密封件问题"}, sent)
	require.Equal(t, "d-2", sentKey)
	_, page = zh.get("/console/reviews/2026-02?done=decided")
	require.Contains(t, page, "已记录本部门的决定。")

	code, answer = http.StatusConflict, `{"error":{"code":"conflict","message":"the review of 2026-02 is closed","stage":"closed","allowed_steps":[]}}`
	status, page = zh.post("/console/reviews/2026-02/decision", url.Values{"csrf_token": {token},
		"decision": {"no_action"}})
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, formOf(t, page, "review-decide"), "此评审已结束，不能再修改决定。")
}

// TestRunningAReviewFromTheForm: after-sales and quality supervisors run a
// month (answered here once the API's own checks pass); a month not yet
// ended or no month at all is refused on the form, in Chinese.
func TestRunningAReviewFromTheForm(t *testing.T) {
	s := reviewsSite(t, storetest.SQLite(t).URL)
	prod := s.browser(t)
	prod.signIn(s.users["production/supervisor"])
	_, page := prod.get("/console/reviews")
	require.NotContains(t, page, `id="form-review-run"`)

	zh := s.chinese(t, "quality/supervisor")
	_, page = zh.get("/console/reviews")
	// The console's months are the company's (its zone's), as the API's.
	shanghai, err := time.LoadLocation(complaint.DefaultTimeZone)
	require.NoError(t, err)
	now := time.Now().In(shanghai)
	last := now.AddDate(0, 0, -now.Day()).Format(review.MonthLayout)
	require.True(t, contains(formOf(t, page, "review-run"), "运行月度评审", `name="month" value="`+last+`" type="month"`), page)
	token := zh.csrf()
	for _, tc := range []struct{ month, want string }{
		{time.Now().In(shanghai).Format(review.MonthLayout), "必须是本月之前的月份"},
		{"三月", "必须是月份（YYYY-MM）"},
		{"", "必填"},
	} {
		status, page := zh.post("/console/reviews", url.Values{"csrf_token": {token}, "month": {tc.month}})
		require.Contains(t, []int{http.StatusBadRequest, http.StatusUnprocessableEntity}, status, tc.month)
		form := formOf(t, page, "review-run")
		require.Contains(t, form, `id="review-run-month-error">`+tc.want+`<`, tc.month)
		require.Contains(t, page, `<details class="card request" id="run" open>`)
	}

	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/reviews/2025-11/run" {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"month":"2025-11","state":"open"}`))
		return true
	})
	resp, err := zh.client.PostForm(zh.base+"/console/reviews", url.Values{"csrf_token": {token}, "month": {"2025-11"}})
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/console/reviews/2025-11?done=run", resp.Header.Get("Location"))
}
