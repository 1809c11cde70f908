package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// TestOpeningAFollowupThroughTheFormReachesTheAPI: the desks' form, filled
// in from a case page's link, posts the API's body (its due time typed in
// the browser's zone) under its Idempotency-Key and goes to the new
// follow-up's page; the API's refusals show on the form, in Chinese.
func TestOpeningAFollowupThroughTheFormReachesTheAPI(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	a := s.fakeAPI(t)
	followupFixtures(a)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/followups/new?complaint_id=fucase&customer_id=C-2002&serial=LZ-0815")
	require.Equal(t, http.StatusOK, status)
	form := formOf(t, page, "followup-open")
	require.True(t, contains(page, "<h1>Open a follow-up</h1>", `href="/console/followups">Follow-ups</a>`,
		`action="/console/followups" novalidate class="card stepform" id="form-followup-open"`), page)
	require.True(t, contains(form, "Kind of follow-up", `<option value="key_customer_visit">Key-customer visit</option>`,
		`name="customer_id" value="C-2002"`, `name="serial" value="LZ-0815"`, `name="complaint_id" value="fucase"`,
		`<option value="branch_office">Branch office</option>`, `name="due_at" value="" type="datetime-local"`,
		`name="due_at_offset"`, "Owner (user id)", "open on their own"), form)
	require.Less(t, strings.Index(form, `name="due_at"`), strings.Index(form, `name="note"`))

	a.code, a.answer = http.StatusCreated, `{"id":"f-call","kind":"post_close_call","stage":"open"}`
	status, _ = b.post("/console/followups", url.Values{"csrf_token": {b.csrf()}, "idempotency_key": {"o-1"},
		"kind": {"post_close_call"}, "customer_id": {"C-2002"}, "complaint_id": {"fucase"}, "serial": {""},
		"owner": {""}, "owner_department": {"after_sales"}, "due_at": {"2030-01-31T09:30"}, "due_at_offset": {"480"},
		"note": {"call back\r\nafter lunch"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"kind": "post_close_call", "customer_id": "C-2002", "complaint_id": "fucase",
		"owner_department": "after_sales", "due_at": "2030-01-31T09:30:00+08:00", "note": "call back\nafter lunch"},
		a.sent["/api/v1/followups"])
	require.Equal(t, "o-1", a.keys["/api/v1/followups"])
	_, page = b.get("/console/followups/f-call?done=opened")
	require.Contains(t, page, "The follow-up was opened.")

	zh := s.chinese(t, "branch_office/agent")
	a.code = http.StatusUnprocessableEntity
	a.answer = `{"error":{"code":"invalid","message":"the body has invalid fields","fields":{` +
		`"customer_id":"names no customer in the archive","due_at":"must not be in the past",` +
		`"serial":"is required for a delivery call"}}}`
	status, page = zh.post("/console/followups", url.Values{"csrf_token": {zh.csrf()}, "idempotency_key": {"o-2"},
		"kind": {"delivery_call"}, "customer_id": {"C-9"}, "due_at": {"2020-01-01T09:00"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	form = formOf(t, page, "followup-open")
	require.True(t, contains(form, "新建回访任务", "请修改下方标出的字段。", `id="followup-open-customer_id-error">客户档案中没有此客户<`,
		`id="followup-open-due_at-error">不能早于今天<`, `id="followup-open-serial-error">交付回访必须填写<`,
		`<option value="delivery_call" selected>交付回访</option>`, `value="2020-01-01T09:00"`, "到期时间"), form)
	require.NotContains(t, form, `value="o-2"`, "refused: a fresh key")

	a.code, a.answer = http.StatusBadRequest, `{"error":{"code":"invalid","message":"x","fields":{"kind":"is required"}}}`
	_, page = zh.post("/console/followups", url.Values{"csrf_token": {zh.csrf()}, "idempotency_key": {"o-3"}})
	require.Contains(t, formOf(t, page, "followup-open"), `value="o-3"`, "nothing applied: the same key")

	sales := s.browser(t)
	sales.signIn(s.users["sales/agent"])
	status, _ = sales.get("/console/followups/new")
	require.Equal(t, http.StatusForbidden, status, "only the desks open follow-ups")
}
