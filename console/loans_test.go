package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var lender = complaint.Actor{UserID: "after_sales-agent", Name: "Chen Jing", Department: complaint.DepartmentAfterSales}

// loanSite is the stock site with four backup units of LZ-300-BK in W1,
// made through the store as the workflow's activities make them: BK-1
// available, BK-2 on loan to case "lent" and overdue, BK-3 back from an
// earlier loan of "lent" into repair, BK-4 on loan to case "other", due in
// a week.
func loanSite(t *testing.T, dbURL string) *site {
	s := stockSite(t, dbURL)
	ctx := t.Context()
	for _, serial := range []string{"BK-1", "BK-2", "BK-3", "BK-4"} {
		_, err := s.store.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: serial, Model: "LZ-300-BK", Warehouse: "W1"},
			lender, "")
		require.NoError(t, err)
	}
	now := time.Now()
	lend := func(loan, cs, serial string, overdueAt time.Time, at time.Time) {
		_, err := s.store.LendUnit(ctx, store.Lending{LoanID: loan, ComplaintID: cs, Request: complaint.BackupRequest{
			Serial: serial, DueBack: overdueAt.AddDate(0, 0, -1).Format(time.DateOnly)}, OverdueAt: overdueAt,
			Actor: lender, At: at})
		require.NoError(t, err)
	}
	lend("lent-L1", "lent", "BK-3", now.Add(-20*24*time.Hour), now.Add(-30*24*time.Hour))
	_, err := s.store.ReturnLoan(ctx, "lent-L1", complaint.UnitToRepair, "fan noise", lender, now.Add(-25*24*time.Hour))
	require.NoError(t, err)
	lend("lent-L2", "lent", "BK-2", now.Add(-24*time.Hour), now.Add(-5*24*time.Hour))
	lend("other-L1", "other", "BK-4", now.Add(7*24*time.Hour), now.Add(-time.Hour))
	return s
}

// lentCase is remediated with three loans: L1 returned into repair, L2 on
// loan and overdue, L3 converted into a sale.
func lentCase(c *complaint.Case) {
	c.Stage = complaint.StageRemediate
	at := c.ReceivedAt.Add(-10 * 24 * time.Hour)
	approver := complaint.Actor{UserID: "quality-approver", Name: "Zhou Min", Department: complaint.DepartmentQuality}
	unit := func(serial string) complaint.LentUnit {
		return complaint.LentUnit{Serial: serial, Model: "LZ-300-BK", Warehouse: "W1"}
	}
	c.Loans = []complaint.Loan{
		{ID: "lent-L1", LentUnit: unit("BK-3"), State: complaint.LoanReturned, DueBack: "2026-01-10",
			OverdueAt: at, LentBy: lender, LentAt: at,
			Return: &complaint.LoanReturn{To: complaint.UnitToRepair, Note: "fan noise", By: lender, At: at}},
		{ID: "lent-L2", LentUnit: unit("BK-2"), State: complaint.LoanOnLoan, DueBack: "2026-02-01",
			OverdueAt: c.ReceivedAt.Add(-time.Hour), LentBy: lender, LentAt: at, Reminded: true},
		{ID: "lent-L3", LentUnit: unit("BK-5"), State: complaint.LoanConverted, DueBack: "2026-02-01",
			OverdueAt: c.ReceivedAt.Add(time.Hour), LentBy: lender, LentAt: at, ConvertTo: complaint.ConversionSale,
			Conversion: &complaint.Waiver{Note: "the customer buys it", Actor: approver, At: at}},
	}
	c.Visits = []complaint.Visit{{ID: "V1", State: complaint.VisitRecorded, Engineers: []string{"technical-engineer"},
		PlannedAt: at, PlannedBy: lender, WorkDone: "seal", PartsUsed: []complaint.PartUsed{
			{PartNumber: "LZ-SEAL-01", Warehouse: "W2", Quantity: 1}, {PartNumber: "P-7", Quantity: 1}}}}
	c.AllowedSteps = []string{complaint.StepProgress, complaint.StepInterim, complaint.StepCheckOut,
		complaint.StepLoanReturn, complaint.StepLoanConvert}
}

var loanEvents = []string{complaint.EventUnitLent, complaint.EventUnitReturned, complaint.EventLoanConverted,
	complaint.EventLoanOverdue, complaint.EventLoanEscalated}

// TestTheCasePageShowsTheLoansAndTheirForms: the case's loans with their
// units, states, due dates, the overdue mark and how each ended; the loan
// forms for who may take them, the loan a choice of the open ones; the
// interim's backup unit a choice of what the stock holds; in both
// languages.
func TestTheCasePageShowsTheLoansAndTheirForms(t *testing.T) {
	s := loanSite(t, storetest.SQLite(t).URL)
	s.putCase(t, "lent", lentCase, loanEvents...)

	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/cases/lent")
	require.Equal(t, http.StatusOK, status)
	loans := section(t, page, `<section class="card" id="loans">`, "</section>")
	require.True(t, contains(loans, "Backup units on loan",
		`id="loan-lent-L1" data-loan="lent-L1" data-state="returned">`, "BK-3", `data-returned-to="repair"`,
		"Returned: Into repair", "fan noise", "Chen Jing",
		`id="loan-lent-L2" data-loan="lent-L2" data-state="on_loan" data-overdue>`, "On loan", "2026-02-01",
		`<span class="badge overdue">Overdue</span>`,
		`id="loan-lent-L3" data-loan="lent-L3" data-state="converted">`, `data-converted-to="sale"`, "Converted: Sale",
		"the customer buys it", "Zhou Min"), loans)
	require.Equal(t, 1, strings.Count(loans, "badge overdue"), "only the open loan past its day is overdue")
	require.True(t, contains(page, `<tr data-part="LZ-SEAL-01"><td>LZ-SEAL-01 <span class="muted" data-part-warehouse>W2</span></td>`,
		`<tr data-part="P-7"><td>P-7</td>`), "a part shows the warehouse it came from, when it names one")
	require.True(t, contains(page, "Backup unit lent", "Backup unit returned", "Loan converted", "Loan overdue",
		"Overdue loan escalated"))

	ret := formOf(t, page, "loan-return")
	require.True(t, contains(ret, `<select id="loan-return-loan" name="loan"`,
		`<option value="lent-L2" selected>lent-L2 · BK-2 · LZ-300-BK · Due back 2026-02-01</option>`,
		`<option value="stock">Back to stock</option>`, `<option value="repair">Into repair</option>`, `name="note"`), ret)
	require.False(t, contains(ret, `value="lent-L1"`) || contains(ret, `value="lent-L3"`), "only an open loan comes back")
	require.NotContains(t, page, `id="form-loan-convert"`, "only an approver converts a loan")

	interim := formOf(t, page, "interim")
	require.True(t, contains(interim, `name="kind"`, `<select id="interim-backup.serial" name="backup.serial"`,
		`<option value="BK-1">BK-1 · LZ-300-BK · 上海总仓</option>`, `<select id="interim-backup.model" name="backup.model"`,
		`<option value="LZ-300-BK">LZ-300-BK · Backup laser</option>`, `<option value="W2">Chengdu depot (W2)</option>`,
		`name="backup.due_back" value="" type="date"`, "choose an available unit"), interim)
	require.NotContains(t, interim, `value="BK-2"`, "a unit on loan is not offered")

	eng := s.browser(t)
	eng.signIn(s.users["technical/engineer"])
	_, page = eng.get("/console/cases/lent")
	checkOut := formOf(t, page, "check-out")
	require.True(t, contains(checkOut, `name="parts_used"`, `<select id="check-out-parts_warehouse" name="parts_warehouse"`,
		`<option value="W1">上海总仓 (W1)</option>`, "Warehouse the parts are taken from"), checkOut)
	require.Contains(t, page, `id="form-loan-return"`, "an engineer takes a unit back too")

	appr := s.browser(t)
	appr.signIn(s.users["quality/approver"])
	_, page = appr.get("/console/cases/lent")
	conv := formOf(t, page, "loan-convert")
	require.True(t, contains(conv, `<option value="lent-L2" selected>`, `<option value="sale">Sale</option>`,
		`<option value="replacement">Permanent replacement</option>`, "An approver lets the customer keep"), conv)
	require.NotContains(t, page, `id="form-loan-return"`)

	zh := s.chinese(t, "after_sales/agent")
	_, page = zh.get("/console/cases/lent")
	require.True(t, contains(page, "备用机借用", "借出中", "已逾期", "已归还", "送修", "已转换", "转为销售", "归还借用的备用机",
		"备用机（序列号）", "应归还日期", "已借出备用机", "借用已逾期", "逾期借用已升级"))
}

// TestTheLoanStepFormsPostTheAPIsBodies: the interim posts its backup unit
// as the API's object, the check-out its parts' warehouse on each part, the
// loan steps their loan; the API's own refusal of a backup shows on the
// interim's controls.
func TestTheLoanStepFormsPostTheAPIsBodies(t *testing.T) {
	s := loanSite(t, storetest.SQLite(t).URL)
	s.putCase(t, "lent", lentCase, loanEvents...)

	// Refused by the API's rules before any workflow is asked.
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	token := b.csrf()
	status, page := b.post("/console/cases/lent/steps/interim", url.Values{"csrf_token": {token},
		"kind": {"backup_equipment"}, "description": {"a loaner"}, "backup.serial": {"BK-1"},
		"backup.model": {"LZ-300-BK"}, "backup.due_back": {"next week"}})
	require.Equal(t, http.StatusBadRequest, status)
	interim := formOf(t, page, "interim")
	require.True(t, contains(interim, `id="interim-backup.serial-error">must be left out when model is given<`,
		`id="interim-backup.due_back-error">must be a date YYYY-MM-DD<`, `value="next week"`,
		`<option value="BK-1" selected>`), interim)
	status, page = b.post("/console/cases/lent/steps/interim", url.Values{"csrf_token": {token},
		"kind": {"workaround"}, "description": {"restart daily"}, "backup.serial": {"BK-1"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, formOf(t, page, "interim"), "Backup unit: must be left out unless kind is backup_equipment",
		"a problem of the object as a whole joins the form's message")

	sent := map[string]map[string]any{}
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		step, ok := strings.CutPrefix(r.URL.Path, "/api/v1/complaints/lent/")
		if r.Method != http.MethodPost || !ok {
			return false
		}
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		sent[step] = body
		_, _ = w.Write([]byte(`{}`))
		return true
	})
	status, _ = b.post("/console/cases/lent/steps/interim", url.Values{"csrf_token": {token},
		"kind": {"backup_equipment"}, "description": {"a loaner"}, "backup.model": {"LZ-300-BK"},
		"backup.warehouse": {"W1"}, "backup.due_back": {"2026-12-01"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"kind": "backup_equipment", "description": "a loaner",
		"backup": map[string]any{"model": "LZ-300-BK", "warehouse": "W1", "due_back": "2026-12-01"}}, sent["interim"])

	status, _ = b.post("/console/cases/lent/steps/loan-return", url.Values{"csrf_token": {token},
		"loan": {"lent-L2"}, "to": {"repair"}, "note": {"fan noise again"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"loan": "lent-L2", "to": "repair", "note": "fan noise again"}, sent["loan-return"])

	eng := s.browser(t)
	eng.signIn(s.users["technical/engineer"])
	status, _ = eng.post("/console/cases/lent/steps/check-out", url.Values{"csrf_token": {eng.csrf()},
		"visit": {"V2"}, "work_done": {"seal"}, "parts_used": {"LZ-SEAL-01 2"}, "parts_warehouse": {"W2"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"visit": "V2", "work_done": "seal", "parts_used": []any{
		map[string]any{"part_number": "LZ-SEAL-01", "quantity": 2.0, "warehouse": "W2"}}}, sent["check-out"])

	appr := s.browser(t)
	appr.signIn(s.users["quality/approver"])
	status, _ = appr.post("/console/cases/lent/steps/loan-convert", url.Values{"csrf_token": {appr.csrf()},
		"loan": {"lent-L2"}, "conversion": {"replacement"}, "note": {"keeps it"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"loan": "lent-L2", "conversion": "replacement", "note": "keeps it"}, sent["loan-convert"])
}

// TestTheLoansListFiltersAndShowsTheOverdue: every loan with its case, unit,
// state, due date and overdue mark, filtered as the API allows; the return
// form on each open loan.
func TestTheLoansListFiltersAndShowsTheOverdue(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := loanSite(t, backend.URL)
			b := s.browser(t)
			b.signIn(s.users["after_sales/agent"])
			status, page := b.get("/console/loans")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `href="/console/loans" aria-current="page"`,
				`id="loan-lent-L2" data-loan="lent-L2" data-state="on_loan" data-overdue>`,
				`<a href="/console/cases/lent#loan-lent-L2">lent</a>`, "BK-2", `<span class="badge overdue">Overdue</span>`,
				`id="loan-other-L1" data-loan="other-L1" data-state="on_loan">`,
				`id="loan-lent-L1" data-loan="lent-L1" data-state="returned">`, `data-returned-to="repair"`, "Into repair",
				"fan noise", "Chen Jing", `id="form-loan-return-lent-L2"`, `id="form-loan-return-other-L1"`,
				`action="/console/loans/lent-L2/return"`, `href="/console/stock/units"`), page)
			require.NotContains(t, page, `id="form-loan-return-lent-L1"`, "a returned loan comes back no more")
			require.Equal(t, 1, strings.Count(page, `<span class="badge overdue">`))

			for query, want := range map[string][]string{
				"overdue=true":        {"lent-L2"},
				"state=returned":      {"lent-L1"},
				"serial=BK-4":         {"other-L1"},
				"complaint_id=lent":   {"lent-L2", "lent-L1"},
				"state=on_loan":       {"lent-L2", "other-L1"},
				"state=converted":     nil,
				"overdue=true&serial": {"lent-L2"},
			} {
				status, page = b.get("/console/loans?" + query)
				require.Equal(t, http.StatusOK, status, query)
				require.Equal(t, len(want), strings.Count(page, `<tr id="loan-`), query)
				for _, id := range want {
					require.Contains(t, page, `data-loan="`+id+`"`, query)
				}
			}
			_, page = b.get("/console/loans?state=converted")
			require.Contains(t, page, "No loans match.")
			status, _ = b.get("/console/loans?state=lost")
			require.Equal(t, http.StatusBadRequest, status, "the API's refusal of a filter")

			zh := s.chinese(t, "technical/engineer")
			status, page = zh.get("/console/loans")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, ">备用机借用<", "借出中", "已归还", "已逾期", "送修", "归还备用机", "归还入库",
				`id="form-loan-return-lent-L2"`), "an engineer takes units back too")

			appr := s.browser(t)
			appr.signIn(s.users["quality/approver"])
			status, page = appr.get("/console/loans")
			require.Equal(t, http.StatusOK, status, "an approver reads the loans")
			require.NotContains(t, page, `id="form-loan-return-`, "but takes no unit back")
			status, _ = appr.post("/console/loans/lent-L2/return", url.Values{"csrf_token": {appr.csrf()}, "to": {"stock"}})
			require.Equal(t, http.StatusForbidden, status)
		})
	}
}

// TestAReturnThroughTheLoansListReachesTheAPI: the form posts the API's
// body under its Idempotency-Key to POST /loans/{id}/return (answered here:
// the console's harness has no Temporal, the API's end-to-end tests take the
// real path); the API's refusals (its rules, an unknown loan, a conflict)
// show on the loan's form with what was typed.
func TestAReturnThroughTheLoansListReachesTheAPI(t *testing.T) {
	s := loanSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	token := b.csrf()

	// The API's own rules, before any workflow is asked.
	status, page := b.post("/console/loans/lent-L2/return", url.Values{"csrf_token": {token},
		"idempotency_key": {"r-1"}, "note": {"box dented"}})
	require.Equal(t, http.StatusBadRequest, status)
	form := section(t, page, `id="form-loan-return-lent-L2"`, "</form>")
	require.True(t, contains(form, `id="loan-return-lent-L2-to-error">is required<`, ">box dented</textarea>",
		`value="r-1"`, "Please correct the fields marked below."), form)
	require.Contains(t, page, `<details open><summary>Return the unit</summary>`, "the refused form shows unfolded")

	// An unknown loan: the store answers before the workflow.
	status, page = b.post("/console/loans/nope-L9/return", url.Values{"csrf_token": {token}, "to": {"stock"}})
	require.Equal(t, http.StatusNotFound, status)
	form = section(t, page, `id="form-loan-return-nope-L9"`, "</form>")
	require.True(t, contains(form, "Return the unit · nope-L9", "There is no such loan.",
		`<input type="radio" name="to" value="stock" checked>`), form)

	zh := s.chinese(t, "after_sales/agent")
	status, page = zh.post("/console/loans/nope-L9/return", url.Values{"csrf_token": {zh.csrf()}, "to": {"stock"}})
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, page, "没有此借用单。")

	var sent map[string]any
	var sentKey string
	answer := `{}`
	code := http.StatusOK
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/loans/lent-L2/return" {
			return false
		}
		sent = nil
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		sentKey = r.Header.Get("Idempotency-Key")
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = w.Write([]byte(answer))
		return true
	})
	status, _ = b.post("/console/loans/lent-L2/return", url.Values{"csrf_token": {token}, "idempotency_key": {"r-2"},
		"to": {"stock"}, "note": {"back in its box"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"to": "stock", "note": "back in its box"}, sent)
	require.Equal(t, "r-2", sentKey)
	status, page = b.get("/console/loans?done=returned")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, "The unit was returned.")

	code, answer = http.StatusConflict, `{"error":{"code":"conflict","message":"loan lent-L2 is returned"}}`
	status, page = b.post("/console/loans/lent-L2/return", url.Values{"csrf_token": {token}, "idempotency_key": {"r-3"},
		"to": {"repair"}})
	require.Equal(t, http.StatusConflict, status)
	form = section(t, page, `id="form-loan-return-lent-L2"`, "</form>")
	require.True(t, contains(form, "The request was refused: loan lent-L2 is returned",
		`<input type="radio" name="to" value="repair" checked>`, `value="r-3"`), form)
}

// TestTheUnitsPage: each unit with its model, warehouse, state and loan;
// registering a unit and bringing one back from repair for who manages the
// stock, their refusals on the page.
func TestTheUnitsPage(t *testing.T) {
	s := loanSite(t, storetest.SQLite(t).URL)
	sup := s.browser(t)
	sup.signIn(s.users["after_sales/supervisor"])
	status, page := sup.get("/console/stock/units")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `id="unit-BK-1" data-unit="BK-1" data-state="available" data-warehouse="W1"`,
		`<a href="/console/stock/items/LZ-300-BK">LZ-300-BK</a>`, "上海总仓", "Available",
		`id="unit-BK-2" data-unit="BK-2" data-state="on_loan"`, `<a href="/console/loans?serial=BK-2#loan-lent-L2" data-loan-link>lent-L2</a>`,
		`id="unit-BK-3" data-unit="BK-3" data-state="in_repair"`, "In repair",
		`action="/console/stock/units/BK-3/repaired"`, `id="form-unit-register"`,
		`<option value="LZ-300-BK">LZ-300-BK · Backup laser</option>`), page)
	require.Equal(t, 1, strings.Count(page, "data-repaired"), "only a unit in repair comes back from it")
	status, page = sup.get("/console/stock/units?state=in_repair")
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, 1, strings.Count(page, `<tr id="unit-`))
	_, page = sup.get("/console/stock")
	require.Contains(t, page, `href="/console/stock/units"`, "the stock list links its units")

	token := sup.csrf()
	unit := url.Values{"csrf_token": {token}, "idempotency_key": {"u-1"}, "serial": {"BK-9"}, "model": {"LZ-300-BK"},
		"warehouse": {"W1"}, "note": {"demo unit"}}
	status, _ = sup.post("/console/stock/units", unit)
	require.Equal(t, http.StatusSeeOther, status)
	status, page = sup.get("/console/stock/units?done=registered")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "The backup unit was registered.", `id="unit-BK-9" data-unit="BK-9" data-state="available"`,
		"demo unit"))
	got, err := s.store.GetUnit(t.Context(), "BK-9")
	require.NoError(t, err)
	require.Equal(t, complaint.UnitAvailable, got.State)

	unit.Set("idempotency_key", "u-2")
	unit.Set("note", "another")
	status, page = sup.post("/console/stock/units", unit)
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(page, `id="unit-register-serial-error">is registered already, as a LZ-300-BK in warehouse W1<`,
		`value="BK-9"`, `value="u-2"`), page)
	status, page = sup.post("/console/stock/units", url.Values{"csrf_token": {token}, "serial": {"BK-10"},
		"model": {"LZ-SEAL-01"}, "warehouse": {"W1"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Contains(t, page, `id="unit-register-model-error">is a spare_part, not a backup unit<`)
	zh := s.chinese(t, "after_sales/supervisor")
	status, page = zh.post("/console/stock/units", url.Values{"csrf_token": {zh.csrf()}, "model": {"LZ-300-BK"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.True(t, contains(page, `id="unit-register-serial-error">必填<`, "登记备用机", "请修改下方标出的字段。"), page)

	status, _ = sup.post("/console/stock/units/BK-3/repaired", url.Values{"csrf_token": {token}})
	require.Equal(t, http.StatusSeeOther, status)
	got, err = s.store.GetUnit(t.Context(), "BK-3")
	require.NoError(t, err)
	require.Equal(t, complaint.UnitAvailable, got.State)
	_, page = sup.get("/console/stock/units?done=repaired")
	require.True(t, contains(page, "The unit is back in stock from repair.", `id="unit-BK-3" data-unit="BK-3" data-state="available"`))
	status, page = sup.post("/console/stock/units/BK-1/repaired", url.Values{"csrf_token": {token}})
	require.Equal(t, http.StatusConflict, status)
	require.Contains(t, page, "unit BK-1 is available, not in repair")
	status, page = sup.post("/console/stock/units/BK-77/repaired", url.Values{"csrf_token": {token}})
	require.Equal(t, http.StatusNotFound, status)
	require.Contains(t, page, `<p class="error" role="alert">Not found.</p>`)

	zh = s.chinese(t, "technical/engineer")
	status, page = zh.get("/console/stock/units")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, ">备用机<", "可用", "借出中", "维修中"), page)
	require.False(t, contains(page, `id="form-unit-register"`) || contains(page, "data-repaired"),
		"an engineer reads the units but does not manage them")
	status, _ = zh.post("/console/stock/units/BK-2/repaired", url.Values{"csrf_token": {zh.csrf()}})
	require.Equal(t, http.StatusForbidden, status)
}

// TestWhoMayNotReadTheStockGetsNoLoansNorUnits: no link, no page, no form.
func TestWhoMayNotReadTheStockGetsNoLoansNorUnits(t *testing.T) {
	s := loanSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/admin"])
	status, page := b.get("/console/users")
	require.Equal(t, http.StatusOK, status)
	require.NotContains(t, page, `href="/console/loans"`)
	for _, path := range []string{"/console/loans", "/console/stock/units"} {
		status, page = b.get(path)
		require.Equal(t, http.StatusForbidden, status, path)
		require.Contains(t, page, "You may not do this")
	}
	for _, path := range []string{"/console/loans/lent-L2/return", "/console/stock/units", "/console/stock/units/BK-3/repaired"} {
		status, _ = b.post(path, url.Values{"to": {"stock"}})
		require.Equal(t, http.StatusForbidden, status, path)
	}

	agent := s.browser(t)
	agent.signIn(s.users["sales/agent"])
	_, page = agent.get("/console/cases")
	require.Contains(t, page, `href="/console/loans"`, "whoever works cases reads the loans")
}
