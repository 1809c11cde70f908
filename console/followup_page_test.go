package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheFollowupPageShowsItsFactsOutcomeAndSurvey: what it is about, who
// owns it and when it is due, the outcome, the survey and its answer, the
// case, the raised complaint and the source follow-up, the timeline; in
// both languages.
func TestTheFollowupPageShowsItsFactsOutcomeAndSurvey(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	followupFixtures(s.fakeAPI(t))
	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	status, page := b.get("/console/followups/f-done")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "<h1>Recovery call (low score) · C-2002</h1>", `href="/console/followups">Follow-ups</a>`,
		`id="stage" data-stage="done"><span class="badge followup-done">Done</span>`,
		`<a href="/console/customers/C-2002" data-customer>C-2002</a>`,
		`<a href="/console/cases/fucase" data-case-link>fucase</a>`,
		`<a href="/console/followups/f-call" data-source>the follow-up whose survey scored low</a>`,
		`<div data-outcome><p class="text">still leaking</p>`, `data-satisfaction="2">2 / 5`, `data-issues="true">Yes`,
		"Xu Jing", "(After-sales)", `<a href="/console/cases/raised" data-raised-link>raised</a>`,
		`id="survey" data-survey="answered"`, `data-answer-satisfaction="2">2 / 5`, `data-answer-recommend="3">3 / 10`,
		"slow service", "No step you may take now.", `<li data-kind="followup_opened">`, "Follow-up opened",
		"Follow-up done", "Survey sent", "Survey answered"), page)
	require.NotContains(t, page, "badge overdue", "done: overdue no more")

	_, page = b.get("/console/followups/f-late")
	require.True(t, contains(page, `<span class="badge overdue" data-overdue>Overdue</span>`, "Not done yet.",
		`<dd data-serial>LZ-0815</dd>`, "Follow-up overdue"), page)
	require.NotContains(t, page, `id="form-followup-`, "sales takes no step")
	_, page = b.get("/console/followups/f-call")
	require.True(t, contains(page, "ask about the seal", `data-owner-department="after_sales"`), page)
	status, _ = b.get("/console/followups/nope")
	require.Equal(t, http.StatusNotFound, status)

	zh := s.chinese(t, "after_sales/agent")
	_, page = zh.get("/console/followups/f-done")
	require.True(t, contains(page, "回访信息", "回访结果", "满意度问卷", "由此登记的客诉：", "来源", "满意度低分的回访",
		"已创建回访任务", "已完成回访", "已发送满意度问卷", "客户已答复问卷", "推荐意愿（0–10）", "售后服务部"), page)
}

// TestTheFollowupStepFormsFitItsKindAndWhoMayTakeThem: done and cancel
// for the owner department's desk (cancel for its agents and supervisors),
// a visit's report required, the survey only after a post-close call, and
// the complaint to raise on every done form.
func TestTheFollowupStepFormsFitItsKindAndWhoMayTakeThem(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	followupFixtures(s.fakeAPI(t))
	for _, tc := range []struct {
		user, id string
		see, not []string
	}{
		{"after_sales/agent", "f-late", []string{"done", "cancel"}, nil},
		{"after_sales/engineer", "f-late", []string{"done"}, []string{"cancel"}},
		{"after_sales/supervisor", "f-visit", []string{"done", "cancel"}, nil},
		{"branch_office/engineer", "f-visit", []string{"done"}, []string{"cancel"}},
		{"branch_office/agent", "f-visit", nil, []string{"done", "cancel"}},
		{"branch_office/agent", "f-late", nil, []string{"done", "cancel"}},
		{"quality/supervisor", "f-call", nil, []string{"done", "cancel"}},
		{"after_sales/agent", "f-done", nil, []string{"done", "cancel"}},
	} {
		t.Run(tc.user+" "+tc.id, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/followups/" + tc.id)
			require.Equal(t, http.StatusOK, status)
			for _, step := range tc.see {
				require.Contains(t, page, `action="/console/followups/`+tc.id+`/steps/`+step+`" novalidate class="card stepform" id="form-followup-`+step+`"`)
			}
			for _, step := range tc.not {
				require.NotContains(t, page, `id="form-followup-`+step+`"`)
			}
		})
	}
	b := s.browser(t)
	b.signIn(s.users["after_sales/supervisor"])
	_, page := b.get("/console/followups/f-visit")
	visit := formOf(t, page, "followup-done")
	require.True(t, contains(visit, `<label for="followup-done-report">Visit report <span aria-hidden="true">*</span>`,
		"What the customer said", `name="satisfaction" value="" type="number"`, `name="issues_found" value="true"`,
		`name="raise" value="true"`, "Raise a complaint from the issues found",
		`name="raise_complaint.contact_name"`, "Complaint: Contact person", "Complaint: Description",
		`name="raise_complaint.severity"`, `<option value="severe">Severe</option>`), visit)
	require.NotContains(t, visit, "send_survey")
	require.NotContains(t, visit, "raised_complaint_id")
	_, page = b.get("/console/followups/f-call")
	call := formOf(t, page, "followup-done")
	require.Contains(t, call, `name="send_survey" value="true"`)
	require.NotContains(t, call, `name="report"`)
	_, page = b.get("/console/followups/f-late")
	require.NotContains(t, formOf(t, page, "followup-done"), "send_survey", "a delivery call sends no survey")
	require.Contains(t, formOf(t, page, "followup-cancel"), `name="reason"`)

	zh := s.chinese(t, "after_sales/agent")
	_, page = zh.get("/console/followups/f-call")
	require.True(t, contains(formOf(t, page, "followup-done"), "登记回访结果", "客户反馈", "发现问题", "向客户发送满意度问卷",
		"根据发现的问题登记客诉", "客诉：联系人", "记录回访或拜访的结果"))
	require.Contains(t, formOf(t, page, "followup-cancel"), "取消回访")
}

// TestTheFollowupStepFormsPostTheAPIsBodies: done posts the outcome, with
// the complaint to raise only when its box is ticked; cancel its reason;
// the API's problems show on the fields in the user's language, and a
// stage the follow-up has left is said in the user's words.
func TestTheFollowupStepFormsPostTheAPIsBodies(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	a := s.fakeAPI(t)
	followupFixtures(a)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	token := b.csrf()
	status, _ := b.post("/console/followups/f-call/steps/done", url.Values{"csrf_token": {token},
		"idempotency_key": {"d-1"}, "note": {"happy\r\nnow"}, "satisfaction": {"4"}, "send_survey": {"true"},
		"raise_complaint.contact_name": {"ignored: not ticked"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"note": "happy\nnow", "satisfaction": 4.0, "issues_found": false, "send_survey": true},
		a.sent["/api/v1/followups/f-call/done"])
	require.Equal(t, "d-1", a.keys["/api/v1/followups/f-call/done"])
	_, page := b.get("/console/followups/f-call?done=done")
	require.Contains(t, page, "Done: Record the outcome.")

	status, _ = b.post("/console/followups/f-call/steps/done", url.Values{"csrf_token": {token},
		"note": {"leaks again"}, "issues_found": {"true"}, "raise": {"true"},
		"raise_complaint.contact_name": {"赵磊"}, "raise_complaint.description": {"seal leaks"},
		"raise_complaint.severity": {"severe"}, "raise_complaint.contact_phone": {""}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"note": "leaks again", "issues_found": true, "send_survey": false,
		"raise_complaint": map[string]any{"contact_name": "赵磊", "description": "seal leaks", "severity": "severe"}},
		a.sent["/api/v1/followups/f-call/done"])

	status, _ = b.post("/console/followups/f-late/steps/cancel", url.Values{"csrf_token": {token}, "reason": {"sold"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"reason": "sold"}, a.sent["/api/v1/followups/f-late/cancel"])

	zh := s.chinese(t, "branch_office/engineer")
	a.code = http.StatusUnprocessableEntity
	a.answer = `{"error":{"code":"invalid","message":"the outcome is incomplete","fields":{` +
		`"report":"is required for a key-customer visit","raise_complaint":"needs issues_found to be true",` +
		`"raise_complaint.contact_name":"is required","send_survey":"only a post-close call or an annual survey sends a survey"}}}`
	status, page = zh.post("/console/followups/f-visit/steps/done", url.Values{"csrf_token": {zh.csrf()},
		"idempotency_key": {"d-2"}, "note": {"看过了"}, "raise": {"true"}, "raise_complaint.description": {"漏油"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	done := formOf(t, page, "followup-done")
	require.True(t, contains(done, "请修改下方标出的字段。", `id="followup-done-report-error">重点客户拜访必须填写<`,
		`id="followup-done-raise-error">须先勾选“发现问题”<`,
		`id="followup-done-raise_complaint.contact_name-error">必填<`, ">看过了</textarea>", ">漏油</textarea>",
		"只有结案回访和年度满意度调查可以发送问卷"), done)
	require.NotContains(t, done, `value="d-2"`, "refused: a fresh key")

	a.code = http.StatusConflict
	a.answer = `{"error":{"code":"conflict","message":"a follow-up in stage done does not take done","stage":"done"}}`
	status, page = zh.post("/console/followups/f-visit/steps/done", url.Values{"csrf_token": {zh.csrf()}, "note": {"x"}})
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, formOf(t, page, "followup-done"), "此回访任务当前为“已完成”，该步骤已不适用。")

	a.code = http.StatusForbidden
	a.answer = `{"error":{"code":"forbidden","message":"done of this follow-up is open to its owner"}}`
	status, page = b.post("/console/followups/f-late/steps/done", url.Values{"csrf_token": {token}, "note": {"x"}})
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, formOf(t, page, "followup-done"), "You may not do this: it needs done of this follow-up is open to its owner")
	require.Equal(t, 1, strings.Count(page, `id="form-followup-done"`), "the refused form in place of the blank one")
}
