package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store/storetest"
)

// TestTheCapaPageShowsItsFactsAndTimeline: what the action is, who owns it,
// its due date, the owner's report, every verdict, the complaints that came
// back and the timeline; in both languages.
func TestTheCapaPageShowsItsFactsAndTimeline(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["sales/agent"])
	status, page := b.get("/console/capas/k-good")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "<h1>"+s.capaNumber(t, "k-good")+"</h1>", `href="/console/capas">Corrective actions</a>`,
		`id="stage" data-stage="effective"><span class="badge capa-effective">Effective</span>`,
		`<a href="/console/cases/other" data-case-link>other</a>`, "replace the seal supplier",
		`data-owner-department="quality">Quality<`, `data-round="2"`, "Qian Li",
		`<div data-done><p class="text">supplier audited</p>`, "Hu Bo", "(Technical)",
		`<li data-verdict="effective"><strong>Effective</strong>`, "no repeat",
		`<li data-verdict="ineffective"><strong>Ineffective: reopen it</strong> · reopened by <a href="/console/cases/CF-2025-000042" data-recurrence>`,
		"quiet for a month", "Complaints that came back", "No step you may take now.",
		`<li data-kind="capa_opened">`, "Corrective action opened", "The complaint came back",
		"Corrective action reopened", "Effectiveness checked"), page)
	require.NotContains(t, page, "data-check-at", "judged effective: no check due")
	require.NotContains(t, page, `id="form-capa-`)

	_, page = b.get("/console/capas/k-late")
	require.True(t, contains(page, `<span class="badge overdue" data-overdue>Overdue</span>`, "Not reported done yet.",
		`<li data-kind="capa_overdue">`, "Corrective action overdue", "Corrective action due soon"), page)
	_, page = b.get("/console/capas/k-check")
	require.True(t, contains(page, "data-check-at>Effectiveness check due", `<ul class="evidence"><li class="text">ECN-118</li>`,
		"new drawing issued"), page)
	_, page = b.get("/console/capas/k-open")
	require.True(t, contains(page, `data-part="LZ-SEAL-01"`, "seal lip too thin", "production-engineer"), page)
	require.NotContains(t, page, "badge overdue")
	status, _ = b.get("/console/capas/nope")
	require.Equal(t, http.StatusNotFound, status)

	zh := s.chinese(t, "quality/agent")
	_, page = zh.get("/console/capas/k-good")
	require.True(t, contains(page, "措施信息", "执行与验证", "完成报告", "有效性验证", "无效，重新开启", "因再次发生重新开启",
		"再次发生的客诉", "已开启纠正措施", "客诉再次发生", "纠正措施已重新开启", "质量部", "轮次"), page)
}

// TestTheCapaStepFormsShowForWhoMayTakeThem: the steps the action's stage
// takes, done only for its owner department, verify for after-sales or
// quality.
func TestTheCapaStepFormsShowForWhoMayTakeThem(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	for _, tc := range []struct {
		user, id string
		see, not []string
	}{
		{"production/engineer", "k-open", []string{"done"}, []string{"verify"}},
		{"production/supervisor", "k-late", []string{"done"}, nil},
		{"quality/agent", "k-open", nil, []string{"done"}},
		{"production/approver", "k-open", nil, []string{"done"}},
		{"after_sales/agent", "k-check", []string{"verify"}, []string{"done"}},
		{"quality/supervisor", "k-check", []string{"verify"}, nil},
		{"technical/engineer", "k-check", nil, []string{"verify"}},
		{"after_sales/agent", "k-good", nil, []string{"verify", "done"}},
	} {
		t.Run(tc.user+" "+tc.id, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/capas/" + tc.id)
			require.Equal(t, http.StatusOK, status)
			for _, step := range tc.see {
				require.Contains(t, page, `action="/console/capas/`+tc.id+`/steps/`+step+`" novalidate class="card stepform" id="form-capa-`+step+`"`)
			}
			for _, step := range tc.not {
				require.NotContains(t, page, `id="form-capa-`+step+`"`)
			}
		})
	}
	zh := s.chinese(t, "after_sales/agent")
	_, page := zh.get("/console/capas/k-check")
	require.True(t, contains(formOf(t, page, "capa-verify"), "登记有效性验证", "验证结论", `<option value="ineffective">无效，重新开启</option>`,
		"新的完成期限", `type="date"`, "售后服务部或品控中心判断措施是否有效"))
}

// TestOpeningACapaThroughTheFormReachesTheAPI: quality's form, the case's
// id filled in when the case page links it, posts the API's body under its
// Idempotency-Key (answered here: the harness has no Temporal) and goes to
// the new action's page; the API's refusals show on the form, in Chinese.
func TestOpeningACapaThroughTheFormReachesTheAPI(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["quality/agent"])
	status, page := b.get("/console/capas?complaint_id=capacase&open=1")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `<details class="card request" id="open" open>`)
	form := formOf(t, page, "capa-open")
	require.True(t, contains(form, "Open a corrective action", ">capacase</textarea>",
		`<option value="production">Production</option>`, `<label for="capa-open-root_cause">Root cause</label>`,
		`name="due_date" value="" type="date"`, `name="effectiveness_days" value="" type="number"`,
		"Days until the effectiveness check", "Owner (user id)"), form)
	require.Equal(t, 2, strings.Count(page, `<tr id="capa-`), "the case's actions")
	_, page = b.get("/console/capas")
	require.Contains(t, page, `<details class="card request" id="open">`, "folded unless asked for")

	zh := s.chinese(t, "quality/engineer")
	token := zh.csrf()
	status, page = zh.post("/console/capas", url.Values{"csrf_token": {token}, "idempotency_key": {"o-1"},
		"complaint_ids": {"capacase\ncapacase"}, "due_date": {"next week"}, "effectiveness_days": {"0"}})
	require.Equal(t, http.StatusBadRequest, status)
	form = formOf(t, page, "capa-open")
	require.True(t, contains(form, "开启纠正措施", "请修改下方标出的字段。", `id="capa-open-complaint_ids-error">不能有重复值<`,
		`id="capa-open-action-error">必填<`, `id="capa-open-owner_department-error">必填<`,
		`id="capa-open-due_date-error">必须是日期（YYYY-MM-DD）<`, `id="capa-open-effectiveness_days-error">不能小于 1<`,
		`value="next week"`, `value="o-1"`), form)
	status, page = zh.post("/console/capas", url.Values{"csrf_token": {token}, "idempotency_key": {"o-2"},
		"complaint_ids": {"capacase\nnope"}, "action": {"换供应商"}, "owner_department": {"production"},
		"due_date": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	form = formOf(t, page, "capa-open")
	require.True(t, contains(form, `id="capa-open-complaint_ids-error">没有此客诉<`, `<option value="production" selected>生产部</option>`), form)
	require.NotContains(t, form, `value="o-2"`, "refused: a fresh key")

	var sent map[string]any
	var sentKey string
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/capas" {
			return false
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		sentKey = r.Header.Get("Idempotency-Key")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"k-open","number":"CAPA-2026-000001","stage":"open"}`))
		return true
	})
	status, _ = b.post("/console/capas", url.Values{"csrf_token": {b.csrf()}, "idempotency_key": {"o-3"},
		"complaint_ids": {"capacase\r\n\r\n"}, "part_number": {"LZ-SEAL-01"}, "root_cause": {"thin lip"},
		"action": {"thicker lip\r\nnew mould"}, "owner_department": {"production"}, "owner": {""},
		"due_date": {"2030-01-31"}, "effectiveness_days": {"45"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"complaint_ids": []any{"capacase"}, "part_number": "LZ-SEAL-01",
		"root_cause": "thin lip", "action": "thicker lip\nnew mould", "owner_department": "production",
		"due_date": "2030-01-31", "effectiveness_days": 45.0}, sent)
	require.Equal(t, "o-3", sentKey)
	_, page = b.get("/console/capas/k-open?done=opened")
	require.Contains(t, page, s.capaNumber(t, "k-open")+" was opened.")
}

// TestTheCapaStepFormsPostTheAPIsBodies: each step posts the API's body
// (answered here); its rules show on the form in the user's language, and
// a stage the action has left is said in the user's words.
func TestTheCapaStepFormsPostTheAPIsBodies(t *testing.T) {
	s := capasSite(t, storetest.SQLite(t).URL)
	zh := s.chinese(t, "after_sales/agent")
	status, page := zh.post("/console/capas/k-check/steps/verify", url.Values{"csrf_token": {zh.csrf()},
		"idempotency_key": {"v-1"}, "result": {"ineffective"}, "note": {"又坏了"}})
	require.Equal(t, http.StatusBadRequest, status)
	verify := formOf(t, page, "capa-verify")
	require.True(t, contains(verify, "请修改下方标出的字段。", `id="capa-verify-new_due_date-error">结论为“无效”时必填<`,
		`<option value="ineffective" selected>`, ">又坏了</textarea>", `value="v-1"`), verify)

	sent := map[string]map[string]any{}
	var code int
	var answer string
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/capas/")
		if r.Method != http.MethodPost || !ok {
			return false
		}
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent[rest] = body
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(answer))
		return true
	})
	prod := s.browser(t)
	prod.signIn(s.users["production/engineer"])
	token := prod.csrf()
	code, answer = http.StatusOK, `{}`
	status, _ = prod.post("/console/capas/k-open/steps/done", url.Values{"csrf_token": {token},
		"note": {"mould changed"}, "evidence": {"ECN-120\r\nphoto 7\r\n"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"note": "mould changed", "evidence": []any{"ECN-120", "photo 7"}}, sent["k-open/done"])
	_, page = prod.get("/console/capas/k-open?done=done")
	require.Contains(t, page, "Done: Report it done.")

	code, answer = http.StatusConflict, `{"error":{"code":"conflict","message":"a corrective action in stage effective does not take done","stage":"effective","allowed_steps":[]}}`
	status, page = prod.post("/console/capas/k-open/steps/done", url.Values{"csrf_token": {token}, "note": {"again"}})
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(formOf(t, page, "capa-done"), "This corrective action is Effective now: the step no longer applies.",
		">again</textarea>", "What was done"))
	code, answer = http.StatusForbidden, `{"error":{"code":"forbidden","message":"only department production, which owns the action, reports it done"}}`
	status, page = prod.post("/console/capas/k-open/steps/done", url.Values{"csrf_token": {token}, "note": {"x"}})
	require.Equal(t, http.StatusForbidden, status)
	require.Contains(t, formOf(t, page, "capa-done"), "You may not do this: it needs only department production")
}
