package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheRMAPageShowsItsFactsAndTimeline: the request, stage, receipt due
// time and overdue mark, receipt, inspection and disposition with their
// stock movements, and the timeline; in both languages.
func TestTheRMAPageShowsItsFactsAndTimeline(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/returns/r-done")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "<h1>"+s.rmaNumber(t, "r-done")+"</h1>", `href="/console/returns">Returns and exchanges</a>`,
		`id="stage" data-stage="completed"><span class="badge rma-completed">Completed</span>`, `data-kind="exchange">Exchange<`,
		`<a href="/console/customers/C-2002">C-2002</a>`, `data-branch-office="Ningbo"`,
		`<a href="/console/stock/items/LZ-SEAL-01">LZ-SEAL-01</a>`, "wrong size",
		`<a href="/console/cases/rmacase" data-case-link>rmacase</a>`, "Li Na", "(Branch office)",
		`<dd data-approval>`, "Sun Hui", "ok to return", `data-receipt data-received="1">1 × LZ-SEAL-01 → W1`,
		`<a href="/console/stock/items/LZ-SEAL-01#movements" data-movement="41">Stock movement 41</a>`, "box dented",
		`data-inspection="defect_confirmed"><strong>Defect confirmed</strong>`, "lip torn", "Zhou Min",
		`data-disposition="replace"><strong>Replace (issue from stock)</strong> · W2`, `data-movement="42"`, "sent new",
		"No step you may take now.",
		`<li data-kind="rma_requested">`, "Return or exchange requested", `<li data-kind="rma_received">`,
		"Returned goods inspected", "Return or exchange completed"), page)
	require.NotContains(t, page, `badge overdue`, "received goods are overdue no more")
	require.NotContains(t, page, `id="form-rma-`)

	status, page = b.get("/console/returns/r-due")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `data-receipt-due>`, `<span class="badge overdue" data-overdue>Goods overdue</span>`,
		`<li data-kind="rma_receipt_overdue">`, "Returned goods overdue"), page)
	status, page = b.get("/console/returns/r-req")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "Nothing decided yet.", `data-serials>S-1, S-2<`, "SO-88"), page)
	status, _ = b.get("/console/returns/nope")
	require.Equal(t, http.StatusNotFound, status)

	zh := s.chinese(t, "sales/agent")
	status, page = zh.get("/console/returns/r-done")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "已完成", "换货", "申请信息", "处理进度", "批准", "收货", "库存变动 41", "确认缺陷",
		"更换（从库存出库）", "已申请退换货", "退回货物已入库", "退换货已完成", "办事处", "零件号", "处理记录"), page)
	_, page = zh.get("/console/returns/r-due")
	require.Contains(t, page, "逾期未到货")
}

// TestTheRMAStepFormsShowForWhoMayTakeThem: the steps the RMA's stage
// takes, each for whom the RMA rules' table lets take it.
func TestTheRMAStepFormsShowForWhoMayTakeThem(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	for _, tc := range []struct {
		user, id string
		see, not []string
	}{
		{"after_sales/approver", "r-req", []string{"approve", "reject"}, nil},
		{"sales/approver", "r-req", []string{"approve", "reject"}, nil},
		{"after_sales/agent", "r-req", nil, []string{"approve", "reject"}},
		{"quality/approver", "r-req", nil, []string{"approve", "reject"}},
		{"after_sales/agent", "r-due", []string{"receive"}, nil},
		{"after_sales/approver", "r-due", nil, []string{"receive"}},
		{"branch_office/agent", "r-due", nil, []string{"receive"}},
		{"quality/engineer", "r-recv", []string{"inspect"}, nil},
		{"after_sales/supervisor", "r-recv", nil, []string{"inspect", "complete"}},
	} {
		t.Run(tc.user+" "+tc.id, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/returns/" + tc.id)
			require.Equal(t, http.StatusOK, status)
			for _, step := range tc.see {
				require.Contains(t, page, `action="/console/returns/`+tc.id+`/steps/`+step+`" novalidate class="card stepform" id="form-rma-`+step+`"`)
			}
			for _, step := range tc.not {
				require.NotContains(t, page, `id="form-rma-`+step+`"`)
			}
		})
	}

	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	_, page := b.get("/console/returns/r-due")
	receive := formOf(t, page, "rma-receive")
	require.True(t, contains(receive, "Warehouse the goods go into", `<option value="W1" selected>上海总仓 (W1)</option>`,
		`name="quantity" value="1" type="number"`, "The goods came in", `name="idempotency_key"`, `name="csrf_token"`), receive)
	q := s.browser(t)
	q.signIn(s.users["quality/engineer"])
	q.client.Jar.SetCookies(mustURL(t, q.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	_, page = q.get("/console/returns/r-recv")
	require.True(t, contains(formOf(t, page, "rma-inspect"), "登记检验结果", "检验结果", `<option value="no_fault_found">未发现故障</option>`,
		`<option value="customer_damage">客户损坏</option>`, "质量部门对退回货物的检验结论"))
}

// TestTheRMAStepFormsPostTheAPIsBodies: each step posts the API's body
// under its Idempotency-Key (answered here: the harness has no Temporal);
// the API's refusals (its rules, a warehouse the store does not hold, a
// stage the RMA has left, the goods not matching, a shortage, a forbidden
// actor) show on the step's form with what was typed, not on an error page.
func TestTheRMAStepFormsPostTheAPIsBodies(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	appr := s.browser(t)
	appr.signIn(s.users["after_sales/approver"])
	token := appr.csrf()

	// The API's own rules, before any workflow is asked: the key stays.
	status, page := appr.post("/console/returns/r-req/steps/reject", url.Values{"csrf_token": {token},
		"idempotency_key": {"k-1"}, "reason": {"  "}})
	require.Equal(t, http.StatusBadRequest, status)
	reject := formOf(t, page, "rma-reject")
	require.True(t, contains(reject, `id="rma-reject-reason-error">is required<`, `value="k-1"`,
		"Please correct the fields marked below."), reject)
	require.Contains(t, page, `id="form-rma-approve"`, "the other step's form stays")

	agent := s.browser(t)
	agent.signIn(s.users["after_sales/agent"])
	atoken := agent.csrf()
	status, page = agent.post("/console/returns/r-due/steps/receive", url.Values{"csrf_token": {atoken},
		"warehouse": {"W9"}, "quantity": {"1"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, formOf(t, page, "rma-receive"), `id="rma-receive-warehouse-error">names no warehouse<`)

	sent := map[string]map[string]any{}
	keys := map[string]string{}
	var code int
	var answer string
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/returns/")
		if r.Method != http.MethodPost || !ok {
			return false
		}
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent[rest], keys[rest] = body, r.Header.Get("Idempotency-Key")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(answer))
		return true
	})
	code, answer = http.StatusOK, `{}`
	status, _ = appr.post("/console/returns/r-req/steps/approve", url.Values{"csrf_token": {token},
		"idempotency_key": {"k-2"}, "note": {"ok"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"note": "ok"}, sent["r-req/approve"])
	require.Equal(t, "k-2", keys["r-req/approve"])
	_, page = appr.get("/console/returns/r-req?done=approve")
	require.Contains(t, page, "Done: Approve.")
	status, _ = appr.post("/console/returns/r-req/steps/reject", url.Values{"csrf_token": {token}, "reason": {"no proof"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"reason": "no proof"}, sent["r-req/reject"])
	status, _ = agent.post("/console/returns/r-due/steps/receive", url.Values{"csrf_token": {atoken},
		"warehouse": {"W2"}, "quantity": {"1"}, "serials": {"BK-77\n"}, "note": {"came by courier"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"warehouse": "W2", "quantity": 1.0, "serials": []any{"BK-77"},
		"note": "came by courier"}, sent["r-due/receive"])
	status, _ = agent.post("/console/returns/r-recv/steps/complete", url.Values{"csrf_token": {atoken},
		"disposition": {"replace"}, "warehouse": {"W1"}})
	require.Equal(t, http.StatusSeeOther, status, "the route takes the step whatever the RMA's stage: the API decides")
	require.Equal(t, map[string]any{"disposition": "replace", "warehouse": "W1"}, sent["r-recv/complete"])
	q := s.browser(t)
	q.signIn(s.users["quality/engineer"])
	status, _ = q.post("/console/returns/r-recv/steps/inspect", url.Values{"csrf_token": {q.csrf()},
		"result": {"no_fault_found"}, "note": {"works on the bench"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"result": "no_fault_found", "note": "works on the bench"}, sent["r-recv/inspect"])

	// A stage the RMA has left: said in the user's words, a fresh key.
	code, answer = http.StatusConflict, `{"error":{"code":"conflict","message":"an RMA in stage approved does not take approve","stage":"approved","allowed_steps":["receive"]}}`
	status, page = appr.post("/console/returns/r-req/steps/approve", url.Values{"csrf_token": {token},
		"idempotency_key": {"k-3"}, "note": {"again"}})
	require.Equal(t, http.StatusConflict, status)
	approve := formOf(t, page, "rma-approve")
	require.True(t, contains(approve, "This return or exchange is Approved, awaiting the goods now: the step no longer applies.",
		">again</textarea>"), approve)
	require.NotContains(t, approve, `value="k-3"`)

	// The goods do not match the RMA: on the controls, translated.
	code, answer = http.StatusUnprocessableEntity, `{"error":{"code":"unprocessable","message":"the goods received do not match the RMA","fields":{"quantity":"must be at most 1, the quantity of the RMA","serials[0]":"is not a serial of the RMA"}}}`
	zh := s.chinese(t, "after_sales/agent")
	status, page = zh.post("/console/returns/r-due/steps/receive", url.Values{"csrf_token": {zh.csrf()},
		"warehouse": {"W1"}, "quantity": {"5"}, "serials": {"X-1"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	receive := formOf(t, page, "rma-receive")
	require.True(t, contains(receive, "请修改下方标出的字段。", `id="rma-receive-quantity-error">不能大于退换货数量 1<`,
		`id="rma-receive-serials-error">不是本退换货单的序列号<`, `value="5"`, ">X-1</textarea>", "收货入库"), receive)

	// A shortage of the replacement; a forbidden actor.
	code, answer = http.StatusConflict, `{"error":{"code":"conflict","message":"not enough stock of LZ-SEAL-01 in warehouse W1: only 0 available"}}`
	status, page = agent.post("/console/returns/r-recv/steps/complete", url.Values{"csrf_token": {atoken},
		"disposition": {"replace"}, "warehouse": {"W1"}})
	require.Equal(t, http.StatusConflict, status)
	complete := formOf(t, page, "rma-complete")
	require.True(t, contains(complete, "The request was refused: not enough stock of LZ-SEAL-01 in warehouse W1",
		`<option value="replace" selected>`, `<option value="W1" selected>`), complete)
	code, answer = http.StatusForbidden, `{"error":{"code":"forbidden","message":"receive of an RMA is not open to department \"after_sales\" with roles [agent]"}}`
	status, page = agent.post("/console/returns/r-due/steps/receive", url.Values{"csrf_token": {atoken}, "quantity": {"1"}})
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, formOf(t, page, "rma-receive"), "You may not do this: it needs receive of an RMA is not open")

	code, answer = http.StatusNotFound, `{"error":{"code":"not_found","message":"no return with id gone"}}`
	status, page = agent.post("/console/returns/gone/steps/receive", url.Values{"csrf_token": {atoken}, "quantity": {"1"}})
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, page, "Not found.")
}
