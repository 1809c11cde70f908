package console_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var (
	branchDesk = complaint.Actor{UserID: "branch_office-agent", Name: "Li Na", Department: complaint.DepartmentBranchOffice,
		Roles: []string{complaint.RoleAgent}}
	rmaApprover = complaint.Actor{UserID: "after_sales-approver", Name: "Sun Hui", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleApprover}}
	inspector = complaint.Actor{UserID: "quality-engineer", Name: "Zhou Min", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleEngineer}}
)

// returnsSite is the stock site with two customers in the archive (C-2002
// of the Ningbo office, C-3003 of none), case "rmacase" of C-2002 and four
// RMAs made through the store as the RMA's workflow makes them, newest
// first: r-recv received (quality inspects next), r-due approved and its
// goods overdue, r-done completed with a replacement (linked to the
// case), r-req requested (linked to the case).
func returnsSite(t *testing.T, dbURL string) *site {
	s := stockSite(t, dbURL)
	ctx := t.Context()
	require.NoError(t, s.store.EnsurePolicies(ctx, sla.Standard()))
	for id, office := range map[string]string{"C-2002": "Ningbo", "C-3003": ""} {
		_, err := s.store.CreateCustomer(ctx, store.Customer{ID: id, CustomerBody: archive.CustomerBody{
			Name: "Customer " + id, SLAPolicy: "standard", Region: "east", BranchOffice: office}})
		require.NoError(t, err)
	}
	s.putCase(t, "rmacase", func(c *complaint.Case) {})
	now := time.Now().UTC().Truncate(time.Second)
	put := func(rm complaint.RMA, kinds ...string) {
		t.Helper()
		at := rm.RequestedAt
		rm.RequestedBy, rm.UpdatedAt = branchDesk, at
		n, err := s.store.RegisterRMA(ctx, rm, complaint.Event{Seq: 1, Kind: complaint.EventRMARequested, Actor: branchDesk,
			OccurredAt: at})
		require.NoError(t, err)
		rm.Number = n.Number
		for i, k := range kinds {
			actor := rmaApprover
			if k == complaint.EventRMAInspected {
				actor = inspector
			}
			require.NoError(t, s.store.ApplyRMAEvent(ctx, rm, complaint.Event{Seq: int64(i + 2), Kind: k, Actor: actor,
				OccurredAt: at.Add(time.Duration(i+1) * time.Minute)}))
		}
	}
	put(complaint.RMA{ID: "r-req", Kind: complaint.RMAKindReturn, Stage: complaint.RMARequested, CustomerID: "C-2002",
		BranchOffice: "Ningbo", OrderNumber: "SO-88", PartNumber: "LZ-SEAL-01", Serials: []string{"S-1", "S-2"}, Quantity: 2,
		Reason: "seals leak", ComplaintID: "rmacase", Warehouse: "W1", RequestedAt: now.Add(-4 * time.Hour),
		AllowedSteps: []string{complaint.RMAStepApprove, complaint.RMAStepReject}})
	approvedAt := now.Add(-5 * 24 * time.Hour)
	movedAt := approvedAt.Add(24 * time.Hour)
	put(complaint.RMA{ID: "r-done", Kind: complaint.RMAKindExchange, Stage: complaint.RMACompleted, CustomerID: "C-2002",
		BranchOffice: "Ningbo", PartNumber: "LZ-SEAL-01", Quantity: 1, Reason: "wrong size", ComplaintID: "rmacase",
		Warehouse: "W1", RequestedAt: now.Add(-3 * time.Hour), AllowedSteps: []string{},
		Approval:     &complaint.RMADecision{Note: "ok to return", Actor: rmaApprover, At: approvedAt},
		ReceiptDueAt: &movedAt,
		Receipt: &complaint.RMAReceipt{Warehouse: "W1", Quantity: 1, Note: "box dented", MovementID: 41, Actor: lender,
			At: movedAt},
		Inspection: &complaint.RMAInspection{Result: complaint.InspectionDefectConfirmed, Note: "lip torn", Actor: inspector,
			At: movedAt},
		Completion: &complaint.RMACompletion{Disposition: complaint.DispositionReplace, Warehouse: "W2", Note: "sent new",
			MovementID: 42, Actor: lender, At: movedAt}},
		complaint.EventRMAApproved, complaint.EventRMAReceived, complaint.EventRMAInspected, complaint.EventRMACompleted)
	due := now.Add(-time.Hour)
	put(complaint.RMA{ID: "r-due", Kind: complaint.RMAKindExchange, Stage: complaint.RMAApproved, CustomerID: "C-3003",
		BranchOffice: "Hangzhou", PartNumber: "LZ-300-BK", Quantity: 1, Reason: "dead on arrival", Warehouse: "W1",
		RequestedAt: now.Add(-2 * time.Hour), ReceiptDueAt: &due, ReceiptOverdue: true,
		Approval:     &complaint.RMADecision{Actor: rmaApprover, At: approvedAt},
		AllowedSteps: []string{complaint.RMAStepReceive}},
		complaint.EventRMAApproved, complaint.EventRMAReceiptMissed)
	put(complaint.RMA{ID: "r-recv", Kind: complaint.RMAKindReturn, Stage: complaint.RMAReceived, CustomerID: "C-3003",
		BranchOffice: "Hangzhou", PartNumber: "LZ-SEAL-01", Quantity: 3, Reason: "ordered too many", Warehouse: "W2",
		RequestedAt: now.Add(-time.Hour), ReceiptDueAt: &due,
		Receipt:      &complaint.RMAReceipt{Warehouse: "W2", Quantity: 3, MovementID: 43, Actor: lender, At: now},
		AllowedSteps: []string{complaint.RMAStepInspect}},
		complaint.EventRMAApproved, complaint.EventRMAReceived)
	return s
}

// rmaNumber is the number the store gave an RMA.
func (s *site) rmaNumber(t *testing.T, id string) string {
	rm, err := s.store.GetRMA(t.Context(), id)
	require.NoError(t, err)
	return rm.Number
}

// TestTheReturnsListFiltersAndShowsTheOverdue: every RMA with its number,
// kind, customer, branch office, part, quantity, stage, overdue mark and
// case, filtered as the API allows; in both languages.
func TestTheReturnsListFiltersAndShowsTheOverdue(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := returnsSite(t, backend.URL)
			b := s.browser(t)
			b.signIn(s.users["sales/agent"])
			status, page := b.get("/console/returns")
			require.Equal(t, http.StatusOK, status)
			req := s.rmaNumber(t, "r-req")
			require.True(t, contains(page, `href="/console/returns" aria-current="page"`, "Returns and exchanges",
				`id="rma-r-req" data-rma="r-req" data-stage="requested">`, `<a href="/console/returns/r-req">`+req+`</a>`,
				"Return", `<a href="/console/customers/C-2002">C-2002</a>`, "<td>Ningbo</td>",
				`<a href="/console/stock/items/LZ-SEAL-01">LZ-SEAL-01</a>`, `<td class="num">2</td>`, "Requested",
				`<a href="/console/cases/rmacase" data-case-link>rmacase</a>`, "Li Na",
				`id="rma-r-due" data-rma="r-due" data-stage="approved" data-overdue>`, "Exchange",
				"Approved, awaiting the goods", `<span class="badge overdue">Goods overdue</span>`,
				`data-rma="r-done" data-stage="completed">`, "Completed", `data-rma="r-recv" data-stage="received">`,
				"Goods received"), page)
			require.Equal(t, 1, strings.Count(page, `<span class="badge overdue">`))
			require.Less(t, strings.Index(page, `data-rma="r-recv"`), strings.Index(page, `data-rma="r-req"`), "newest first")
			require.NotContains(t, page, `id="form-rma-request"`, "sales reads the returns but requests none")

			for query, want := range map[string][]string{
				"stage=approved":                        {"r-due"},
				"stage=completed":                       {"r-done"},
				"branch_office=Ningbo":                  {"r-req", "r-done"},
				"complaint_id=rmacase":                  {"r-req", "r-done"},
				"branch_office=Hangzhou&stage=received": {"r-recv"},
				"stage=rejected":                        nil,
			} {
				status, page = b.get("/console/returns?" + query)
				require.Equal(t, http.StatusOK, status, query)
				require.Equal(t, len(want), strings.Count(page, `<tr id="rma-`), query)
				for _, id := range want {
					require.Contains(t, page, `data-rma="`+id+`"`, query)
				}
			}
			_, page = b.get("/console/returns?stage=rejected")
			require.Contains(t, page, "No returns or exchanges match.")
			require.Contains(t, page, `<option value="rejected" selected>Rejected</option>`)
			status, _ = b.get("/console/returns?stage=lost")
			require.Equal(t, http.StatusBadRequest, status, "the API's refusal of a filter")

			zh := s.chinese(t, "quality/engineer")
			status, page = zh.get("/console/returns")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, ">退换货<", "退换货单号", "退换类型", "退货", "换货", "已申请", "已批准，待收货",
				"逾期未到货", "已完成", "办事处", "全部阶段"), page)
		})
	}
}

// TestWhoMayNotReadReturnsGetsNoLinkNorPage: an admin works no cases.
func TestWhoMayNotReadReturnsGetsNoLinkNorPage(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/admin"])
	status, page := b.get("/console/users")
	require.Equal(t, http.StatusOK, status)
	require.NotContains(t, page, `href="/console/returns"`)
	for _, path := range []string{"/console/returns", "/console/returns/r-req"} {
		status, page = b.get(path)
		require.Equal(t, http.StatusForbidden, status, path)
		require.Contains(t, page, "You may not do this")
	}
	for _, path := range []string{"/console/returns", "/console/returns/r-req/steps/approve"} {
		status, _ = b.post(path, url.Values{"note": {"x"}})
		require.Equal(t, http.StatusForbidden, status, path)
	}

	eng := s.browser(t)
	eng.signIn(s.users["technical/engineer"])
	_, page = eng.get("/console/cases")
	require.Contains(t, page, `href="/console/returns"`, "whoever works cases reads the returns")
	status, _ = eng.post("/console/returns", url.Values{"csrf_token": {eng.csrf()}, "kind": {"return"}})
	require.Equal(t, http.StatusForbidden, status, "but only a branch office or after-sales requests one")
}

// TestARequestThroughTheFormReachesTheAPI: the form, for a branch office or
// after-sales, posts the API's body under its Idempotency-Key (answered
// here: the harness has no Temporal) and goes to the new RMA's page; the
// API's own refusals (its rules, what the store does not hold) show on the
// form with what was typed, translated.
func TestARequestThroughTheFormReachesTheAPI(t *testing.T) {
	s := returnsSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["branch_office/agent"])
	status, page := b.get("/console/returns?complaint_id=rmacase&customer_id=C-2002&request=1")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `<details class="card request" id="request" open>`)
	form := formOf(t, page, "rma-request")
	require.Contains(t, page, `<form method="post" action="/console/returns" novalidate class="card stepform" id="form-rma-request">`)
	require.True(t, contains(form, "Request a return or exchange",
		`<option value="exchange">Exchange</option>`, `name="customer_id" value="C-2002"`,
		`name="complaint_id" value="rmacase"`, `<label for="rma-request-serials">Serial numbers</label>`,
		`<option value="W1">上海总仓 (W1)</option>`, `name="quantity" value="" type="number"`,
		"The branch office defaults to the customer&#39;s in the archive"), form)
	require.Equal(t, 2, strings.Count(page, `<tr id="rma-`), "the case's RMAs")
	_, page = b.get("/console/returns")
	require.Contains(t, page, `<details class="card request" id="request">`, "folded unless asked for")
	token := b.csrf()

	// The API's rules, before anything is started: the key stays.
	status, page = b.post("/console/returns", url.Values{"csrf_token": {token}, "idempotency_key": {"q-1"},
		"kind": {"swap"}, "serials": {"S-1\nS-1"}, "quantity": {"1"}, "reason": {"leaks"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.Contains(t, page, `<details class="card request" id="request" open>`)
	form = formOf(t, page, "rma-request")
	require.True(t, contains(form, "Please correct the fields marked below.",
		`id="rma-request-kind-error">must be one of: return, exchange<`, `id="rma-request-customer_id-error">is required<`,
		`id="rma-request-part_number-error">is required<`, `id="rma-request-serials-error">must not repeat a value<`,
		">S-1\nS-1</textarea>", `value="q-1"`), form)

	// What the store does not hold: nothing is started, a fresh key.
	status, page = b.post("/console/returns", url.Values{"csrf_token": {token}, "idempotency_key": {"q-2"},
		"kind": {"return"}, "customer_id": {"C-3003"}, "part_number": {"LZ-300-BK"}, "quantity": {"1"},
		"reason": {"leaks"}, "complaint_id": {"rmacase"}, "warehouse": {"W2"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	form = formOf(t, page, "rma-request")
	require.True(t, contains(form, `id="rma-request-branch_office-error">is required when the customer has none in the archive<`,
		`id="rma-request-complaint_id-error">is a complaint of another customer<`,
		`id="rma-request-part_number-error">is not kept in warehouse W2<`, `<option value="W2" selected>`), form)
	require.NotContains(t, form, `value="q-2"`)
	zh := s.chinese(t, "after_sales/agent")
	status, page = zh.post("/console/returns", url.Values{"csrf_token": {zh.csrf()}, "kind": {"return"},
		"customer_id": {"C-404"}, "part_number": {"LZ-SEAL-01"}, "quantity": {"1"}, "reason": {"漏水"},
		"complaint_id": {"nope"}, "warehouse": {"W1"}})
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.True(t, contains(formOf(t, page, "rma-request"), "申请退换货", "请修改下方标出的字段。",
		">客户档案中没有此客户<", ">没有此客诉<", "退换类型", "关联客诉", "序列号"), page)

	var sent map[string]any
	var sentKey string
	s.tap.answer(t, func(w http.ResponseWriter, r *http.Request) bool {
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/returns" {
			return false
		}
		require.NoError(t, json.NewDecoder(r.Body).Decode(&sent))
		sentKey = r.Header.Get("Idempotency-Key")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":"r-req","number":"RMA-2026-000001","stage":"requested"}`))
		return true
	})
	status, _ = b.post("/console/returns", url.Values{"csrf_token": {token}, "idempotency_key": {"q-3"},
		"kind": {"exchange"}, "customer_id": {"C-2002"}, "branch_office": {""}, "order_number": {"SO-9"},
		"part_number": {"LZ-SEAL-01"}, "serials": {"S-7\r\nS-8\r\n"}, "quantity": {"2"}, "reason": {"wrong size"},
		"complaint_id": {"rmacase"}, "warehouse": {"W1"}})
	require.Equal(t, http.StatusSeeOther, status)
	require.Equal(t, map[string]any{"kind": "exchange", "customer_id": "C-2002", "order_number": "SO-9",
		"part_number": "LZ-SEAL-01", "serials": []any{"S-7", "S-8"}, "quantity": 2.0, "reason": "wrong size",
		"complaint_id": "rmacase", "warehouse": "W1"}, sent)
	require.Equal(t, "q-3", sentKey)
	status, page = b.get("/console/returns/r-req?done=requested")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, s.rmaNumber(t, "r-req")+" was requested.")
}

// TestTheReturnsRoutesAreInTheTable: the list, the request, the RMA's page
// and each step's form action are console routes, each needing the API
// route's own action, so the route matrix covers them.
func TestTheReturnsRoutesAreInTheTable(t *testing.T) {
	want := map[string]auth.Action{
		"GET /console/returns":     auth.ReadReturns,
		"POST /console/returns":    auth.RequestReturn,
		"GET /console/returns/:id": auth.ReadReturns,
	}
	for _, step := range complaint.RMASteps() {
		want["POST /console/returns/:id/steps/"+step] = auth.ReturnAction(step)
	}
	var con console.Console
	got := map[string]auth.Action{}
	for _, rt := range con.Routes() {
		if strings.HasPrefix(rt.Path, "/console/returns") {
			require.Equal(t, console.Signed, rt.Access, rt.Path)
			got[rt.Method+" "+rt.Path] = rt.Action
		}
	}
	require.Equal(t, want, got)
}
