package app_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"log/slog"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// routeFixture says how to call one route successfully and whom to refuse.
type routeFixture struct {
	path string
	body any
	// right is the department and role that may call the route.
	right [2]string
	// wrongDepartment has the right role in a department that may not call
	// the route; "" when the route is open to every department.
	wrongDepartment string
	// wrongRole is a role of the right department that may not call it; ""
	// when every role may.
	wrongRole string
	success   int
	// headers go with the body (a CSV import's Content-Type).
	headers map[string]string
}

// TestAuthorizationMatrix drives every route with no token, a revoked
// token, bad JWTs, the wrong department, the wrong role and the right user,
// and checks that refused calls store nothing.
func TestAuthorizationMatrix(t *testing.T) {
	idp := newIdentityProvider(t)
	var logs bytes.Buffer
	cfg := devConfig(t.TempDir(), idp.env())
	stack, err := app.StartDev(t.Context(), cfg, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	require.NoError(t, err)
	t.Cleanup(func() { stack.Close() })

	admin := as(t, stack, "after_sales", "admin")
	engineer := userID(t, admin, "Demo technical engineer") // the field-service steps' engineer
	status, existing := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
	require.Equal(t, http.StatusCreated, status)
	caseID := existing["id"].(string)

	// A user whose token gets revoked, and one more token to revoke in the matrix.
	status, created := admin.do(http.MethodPost, "/api/v1/admin/users", map[string]any{
		"name": "Revoked Agent", "department": "after_sales", "roles": []string{"agent"}}, nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	userID := created["user"].(map[string]any)["id"].(string)
	revokedToken := created["token"].(string)
	status, tokens := admin.do(http.MethodGet, "/api/v1/admin/users/"+userID+"/tokens", nil, nil)
	require.Equal(t, http.StatusOK, status)
	firstTokenID := tokens["tokens"].([]any)[0].(map[string]any)["id"].(string)
	// Used once before its revocation, so the token cache knows it: the
	// revocation must still take effect at once.
	revokedUser := apiClient{t: t, base: stack.APIURL(), token: revokedToken}
	status, _ = revokedUser.do(http.MethodGet, "/api/v1/complaints", nil, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = admin.do(http.MethodDelete, "/api/v1/admin/tokens/"+firstTokenID, nil, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = revokedUser.do(http.MethodGet, "/api/v1/complaints", nil, nil)
	require.Equal(t, http.StatusUnauthorized, status, "a revoked token is refused at once")
	status, issued := admin.do(http.MethodPost, "/api/v1/admin/users/"+userID+"/tokens", nil, nil)
	require.Equal(t, http.StatusCreated, status)
	tokenToRevoke := issued["info"].(map[string]any)["id"].(string)

	// Cases standing where each step is allowed.
	fresh := func() string {
		return newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"}).id
	}
	confirmed := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
	confirmed.step("after_sales", "agent", "confirm", note("checked"))
	negotiating := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
	negotiating.confirmAndAnalyse("technical", "company")
	proposed := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
	proposed.confirmAndAnalyse("technical", "company")
	proposed.step("production", "agent", "proposals", map[string]any{"measures": "m1"})
	proposed.step("technical", "agent", "proposals", map[string]any{"measures": "m2"})
	approving := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "severe"})
	approving.confirmAndAnalyse("production", "company")
	approving.step("after_sales", "agent", "agreement", map[string]any{"type": "repair", "description": "fix",
		"approving_departments": []string{"quality"}})
	remediating := func() *caseWalker {
		w := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor"})
		w.confirmAndAnalyse("production", "company")
		w.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit"})
		return w
	}
	resolved := remediating()
	resolved.step("after_sales", "agent", "resolve", note("done"))
	stepPath := func(id, name string) string { return "/api/v1/complaints/" + id + "/" + name }
	paused := newCase(t, stack, nil)
	paused.step("after_sales", "agent", "pause", map[string]any{"reason": "waiting for the customer's photos"})
	late := newCase(t, stack, map[string]any{"received_at": time.Now().Add(-25 * time.Hour).UTC().Format(time.RFC3339)})
	late.waitForStep("interim")
	ended := fresh()
	terminate(t, stack, ended, "ops@example.com", "ended in the Web UI")
	reconcileNow(t, stack, ended)
	keeper := as(t, stack, "after_sales", "agent")
	status, _ = keeper.do(http.MethodPut, "/api/v1/customers/C-MATRIX", map[string]any{"name": "Matrix Ltd",
		"sla_policy": "medical", "sites": []map[string]any{{"id": "S-1", "name": "Plant 1"}}}, nil)
	require.Equal(t, http.StatusOK, status)
	// A customer with no case, for the admin to erase.
	status, _ = keeper.do(http.MethodPut, "/api/v1/customers/C-MATRIX-ERASE", map[string]any{"name": "Erase Ltd",
		"sla_policy": "standard", "contacts": []map[string]any{{"name": "Zhao Lei", "phone": "+86 21 5555 0199"}}}, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = keeper.do(http.MethodPut, "/api/v1/equipment/SN-MATRIX", map[string]any{"customer_id": "C-MATRIX",
		"site_id": "S-1", "model": "P-100"}, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = keeper.do(http.MethodPut, "/api/v1/equipment/SN-MATRIX-OLD", map[string]any{"customer_id": "C-MATRIX",
		"site_id": "S-1", "model": "P-50", "delivered_on": "2019-01-10", "warranty_end": "2021-01-10"}, nil)
	require.Equal(t, http.StatusOK, status)
	// An item with stock on hand, for the stock routes.
	status, _ = keeper.do(http.MethodPut, "/api/v1/stock/warehouses/W-MATRIX", map[string]any{"name": "Matrix store"}, nil)
	require.Equal(t, http.StatusOK, status)
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/items", map[string]any{"part_number": "P-MATRIX",
		"warehouse": "W-MATRIX", "name": "Seal kit", "kind": "spare_part"}, nil)
	require.Equal(t, http.StatusCreated, status)
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/movements", map[string]any{"part_number": "P-MATRIX",
		"warehouse": "W-MATRIX", "kind": "receive", "quantity": 10}, nil)
	require.Equal(t, http.StatusCreated, status)
	// The part the check-outs fit, stocked in the main warehouse: a
	// check-out issues it.
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/items", map[string]any{"part_number": "P-778",
		"warehouse": "main", "name": "Seal", "kind": "spare_part"}, nil)
	require.Equal(t, http.StatusCreated, status)
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/movements", map[string]any{"part_number": "P-778",
		"warehouse": "main", "kind": "receive", "quantity": 100}, nil)
	require.Equal(t, http.StatusCreated, status)
	// A backup unit lent and returned into repair (in the store: the loan
	// steps are the case's), for the unit and loan routes.
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/items", map[string]any{"part_number": "BK-MATRIX",
		"warehouse": "W-MATRIX", "name": "Backup pump", "kind": "backup_unit"}, nil)
	require.Equal(t, http.StatusCreated, status)
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-BK-MATRIX",
		"model": "BK-MATRIX", "warehouse": "W-MATRIX"}, nil)
	require.Equal(t, http.StatusCreated, status)
	lender := complaint.Actor{UserID: "u-matrix", Name: "Matrix"}
	_, err = stack.Store.LendUnit(t.Context(), store.Lending{LoanID: "MATRIX-L1", ComplaintID: caseID, Actor: lender,
		Request:   complaint.BackupRequest{Serial: "SN-BK-MATRIX", DueBack: time.Now().AddDate(0, 0, 7).Format(time.DateOnly)},
		OverdueAt: time.Now().AddDate(0, 0, 8)})
	require.NoError(t, err)
	_, err = stack.Store.ReturnLoan(t.Context(), "MATRIX-L1", complaint.UnitToRepair, "", lender, time.Time{})
	require.NoError(t, err)
	// Backup pumps in the main warehouse, and late cases that lent one, for
	// the interim and loan steps.
	status, _ = keeper.do(http.MethodPost, "/api/v1/stock/items", map[string]any{"part_number": "BK-PUMP",
		"warehouse": "main", "name": "Backup pump", "kind": "backup_unit"}, nil)
	require.Equal(t, http.StatusCreated, status)
	for _, sn := range []string{"SN-BK-1", "SN-BK-2", "SN-BK-3", "SN-BK-4"} {
		status, _ = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": sn, "model": "BK-PUMP"}, nil)
		require.Equal(t, http.StatusCreated, status)
	}
	lending := func(serial string) map[string]any {
		return map[string]any{"kind": "backup_equipment", "description": "loan pump delivered",
			"backup": map[string]any{"serial": serial, "due_back": time.Now().AddDate(0, 0, 14).Format(time.DateOnly)}}
	}
	lentCase := func(serial string) *caseWalker {
		w := newCase(t, stack, map[string]any{"received_at": time.Now().Add(-25 * time.Hour).UTC().Format(time.RFC3339)})
		w.waitForStep("interim")
		// The store shows the breach a moment before the workflow adopts
		// it (a clock's events are written first): retry until it has.
		desk := as(t, stack, "after_sales", "agent")
		eventually(t, func() bool {
			status, _ := desk.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/interim", lending(serial), nil)
			return status == http.StatusOK
		}, "the case lends "+serial)
		return w
	}
	returning, converting, returningByLoan := lentCase("SN-BK-2"), lentCase("SN-BK-3"), lentCase("SN-BK-4")
	// RMAs standing where each of their steps is allowed.
	requestedRMA := func() *rmaWalker {
		b := validReturn("C-MATRIX", "P-MATRIX", "W-MATRIX")
		b["branch_office"] = "Matrix"
		return newReturn(t, stack, b)
	}
	approvedRMA := func() *rmaWalker {
		w := requestedRMA()
		w.step("sales", "approver", "approve", nil)
		return w
	}
	receivedRMA := approvedRMA()
	receivedRMA.step("after_sales", "agent", "receive", map[string]any{"quantity": 2})
	inspectedRMA := approvedRMA()
	inspectedRMA.step("after_sales", "agent", "receive", map[string]any{"quantity": 2})
	inspectedRMA.step("quality", "engineer", "inspect", map[string]any{"result": "no_fault_found", "note": "works"})
	matrixReturn := validReturn("C-MATRIX", "P-MATRIX", "W-MATRIX")
	matrixReturn["branch_office"] = "Matrix"
	// Cases on equipment out of warranty, for the paid-service steps.
	paid := func() *caseWalker {
		return newCase(t, stack, map[string]any{"customer_id": "C-MATRIX", "equipment_serial": "SN-MATRIX-OLD"})
	}
	quoted := func() *caseWalker {
		w := paid()
		w.step("sales", "agent", "quote", map[string]any{"amount": 800, "currency": "CNY"})
		return w
	}
	declined := quoted()
	declined.step("after_sales", "agent", "quote-decision", map[string]any{"accepted": false})
	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	// Corrective actions quality opened on the matrix's case, owned by
	// production: one to read, one to report done, one to verify.
	capaBody := map[string]any{"complaint_ids": []string{caseID}, "part_number": "P-778", "root_cause": "worn seal",
		"action": "change the seal supplier", "owner_department": "production", "due_date": due}
	openCapa := func() string {
		status, created := as(t, stack, "quality", "agent").do(http.MethodPost, "/api/v1/capas", capaBody, nil)
		require.Equal(t, http.StatusCreated, status, "%v", created)
		return created["id"].(string)
	}
	capaPath := func(id, step string) string { return "/api/v1/capas/" + id + "/" + step }
	readCapa, doneCapa, verifyCapa := openCapa(), openCapa(), openCapa()
	// Follow-ups after-sales opened for the matrix's customer and
	// equipment (one to read, one to record done, one to cancel), and
	// feedback routed to after-sales (one to read, one to answer).
	followupBody := map[string]any{"kind": "delivery_call", "customer_id": "C-MATRIX", "serial": "SN-MATRIX",
		"owner_department": "after_sales", "due_at": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)}
	openFollowup := func() string {
		status, created := as(t, stack, "after_sales", "agent").do(http.MethodPost, "/api/v1/followups", followupBody, nil)
		require.Equal(t, http.StatusCreated, status, "%v", created)
		return created["id"].(string)
	}
	followupPath := func(id, step string) string { return "/api/v1/followups/" + id + "/" + step }
	readFollowup, doneFollowup, cancelFollowup := openFollowup(), openFollowup(), openFollowup()
	feedbackBody := map[string]any{"kind": "enquiry", "from_customer_id": "C-MATRIX", "text": "when is the next service?",
		"routed_to": "after_sales"}
	logFeedback := func() string {
		status, created := as(t, stack, "sales", "engineer").do(http.MethodPost, "/api/v1/feedback", feedbackBody, nil)
		require.Equal(t, http.StatusCreated, status, "%v", created)
		return created["id"].(string)
	}
	readFeedback, answerFeedback := logFeedback(), logFeedback()
	// Last month's review, run by an after-sales supervisor, for the routes
	// that read it and decide on its rows; the run route runs the month
	// before.
	zone, err := time.LoadLocation(stack.Config.TimeZone)
	require.NoError(t, err)
	lastMonth := review.PreviousMonth(time.Now(), zone)
	first, err := review.ParseMonth(lastMonth)
	require.NoError(t, err)
	monthBefore := first.AddDate(0, -1, 0).Format(review.MonthLayout)
	status, ran := as(t, stack, "after_sales", "supervisor").do(http.MethodPost, "/api/v1/reviews/"+lastMonth+"/run", nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", ran)
	// Cases with a visit of the demo technical engineer, in each state the
	// field-service steps need, and a record filed to read back.
	plan := map[string]any{"engineers": []string{engineer}, "planned_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}
	planned := func() *caseWalker {
		w := newCase(t, stack, nil)
		w.step("after_sales", "agent", "visits", plan)
		return w
	}
	onSite := func() *caseWalker {
		w := planned()
		w.step("technical", "engineer", "check-in", map[string]any{"visit": "V1"})
		return w
	}
	checkOut := map[string]any{"visit": "V1", "work_done": "replaced the seal",
		"parts_used": []map[string]any{{"part_number": "P-778", "quantity": 1, "serials": []string{"S-1"}}}}
	checkedOut := func() *caseWalker {
		w := onSite()
		w.step("technical", "engineer", "check-out", checkOut)
		return w
	}
	record := signedRecord("V1")
	record["signature"] = "data:image/png;base64," + record["signature"].(string)
	recorded := checkedOut()
	recorded.step("technical", "engineer", "service-record", record)
	recordNumber := recorded.last["visits"].([]any)[0].(map[string]any)["records"].([]any)[0].(map[string]any)["number"].(string)

	csv := map[string]string{"Content-Type": "text/csv"}
	fixtures := map[string]routeFixture{
		"GET /api/v1/complaints": {path: "/api/v1/complaints?stage=confirm",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/complaints/:id/timeline": {path: "/api/v1/complaints/" + caseID + "/timeline",
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"POST /api/v1/complaints/:id/contact": {path: stepPath(fresh(), "contact"), body: note("called"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/confirm": {path: stepPath(fresh(), "confirm"), body: note("ok"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "technical", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/analysis": {path: stepPath(confirmed.id, "analysis"),
			body:  map[string]any{"root_cause": "seal", "responsible_department": "production", "liability": "company"},
			right: [2]string{"technical", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/proposals": {path: stepPath(negotiating.id, "proposals"), body: map[string]any{"measures": "m"},
			right: [2]string{"production", "agent"}, wrongDepartment: "after_sales", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/agreement": {path: stepPath(proposed.id, "agreement"),
			body:  map[string]any{"type": "repair", "description": "fix", "approving_departments": []string{"quality"}},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "technical", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/approvals": {path: stepPath(approving.id, "approvals"), body: map[string]any{"decision": "approve"},
			right: [2]string{"quality", "approver"}, wrongDepartment: "sales", wrongRole: "agent", success: 200},
		"POST /api/v1/complaints/:id/progress": {path: stepPath(remediating().id, "progress"), body: note("on the way"),
			right: [2]string{"technical", "engineer"}, wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/corrective-actions": {path: stepPath(remediating().id, "corrective-actions"),
			body:  map[string]any{"action": "inspect", "owner_department": "quality", "due_date": due},
			right: [2]string{"quality", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/resolve": {path: stepPath(remediating().id, "resolve"), body: note("done"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/close": {path: stepPath(resolved.id, "close"), body: map[string]any{"customer_confirmed": true},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "production", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/onsite": {path: stepPath(fresh(), "onsite"), body: map[string]any{"note": "arrived"},
			right: [2]string{"technical", "engineer"}, wrongRole: "agent", success: 200},
		"POST /api/v1/complaints/:id/pause": {path: stepPath(fresh(), "pause"), body: map[string]any{"reason": "waiting"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/resume": {path: stepPath(paused.id, "resume"),
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "quality", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/interim": {path: stepPath(late.id, "interim"), body: lending("SN-BK-1"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/loan-return": {path: stepPath(returning.id, "loan-return"),
			body:  map[string]any{"loan": returning.id + "-L1", "to": "stock"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/loan-convert": {path: stepPath(converting.id, "loan-convert"),
			body:  map[string]any{"loan": converting.id + "-L1", "conversion": "sale", "note": "the customer buys it"},
			right: [2]string{"sales", "approver"}, wrongRole: "supervisor", success: 200},
		"POST /api/v1/loans/:id/return": {path: "/api/v1/loans/" + returningByLoan.id + "-L1/return",
			body:  map[string]any{"to": "repair", "note": "the seal leaks"},
			right: [2]string{"technical", "engineer"}, wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/quote": {path: stepPath(paid().id, "quote"),
			body:  map[string]any{"amount": 1200.5, "currency": "CNY"},
			right: [2]string{"sales", "agent"}, wrongDepartment: "after_sales", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/quote-decision": {path: stepPath(quoted().id, "quote-decision"),
			body:  map[string]any{"accepted": true},
			right: [2]string{"sales", "supervisor"}, wrongDepartment: "technical", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/waiver": {path: stepPath(paid().id, "waiver"), body: note("key customer"),
			right: [2]string{"quality", "approver"}, wrongRole: "supervisor", success: 200},
		"POST /api/v1/complaints/:id/close-declined": {path: stepPath(declined.id, "close-declined"),
			body:  note("the warranty ended in 2021"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "production", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/engineers": {path: stepPath(fresh(), "engineers"),
			body:  map[string]any{"engineers": []string{engineer}},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "technical", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints/:id/visits": {path: stepPath(fresh(), "visits"), body: plan,
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 200},
		"GET /api/v1/complaints/:id/visits": {path: stepPath(recorded.id, "visits"),
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"POST /api/v1/complaints/:id/check-in": {path: stepPath(planned().id, "check-in"),
			body:  map[string]any{"visit": "V1", "note": "at the ward"},
			right: [2]string{"technical", "engineer"}, wrongRole: "agent", success: 200},
		"POST /api/v1/complaints/:id/check-out": {path: stepPath(onSite().id, "check-out"), body: checkOut,
			right: [2]string{"technical", "engineer"}, wrongRole: "supervisor", success: 200},
		"POST /api/v1/complaints/:id/service-record": {path: stepPath(checkedOut().id, "service-record"),
			body:  signedRecord("V1"),
			right: [2]string{"technical", "engineer"}, wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/record-waiver": {path: stepPath(planned().id, "record-waiver"),
			body:  map[string]any{"visit": "V1", "reason": "the customer fixed it before the visit"},
			right: [2]string{"quality", "supervisor"}, wrongRole: "approver", success: 200},
		"GET /api/v1/service-records/:number": {path: "/api/v1/service-records/" + recordNumber,
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"GET /api/v1/me/visits": {path: "/api/v1/me/visits?all=true",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/notifications": {path: "/api/v1/notifications",
			right: [2]string{"production", "supervisor"}, success: 200},
		"GET /api/v1/sla-policies":       {path: "/api/v1/sla-policies", right: [2]string{"sales", "agent"}, success: 200},
		"GET /api/v1/sla-policies/:name": {path: "/api/v1/sla-policies/medical", right: [2]string{"quality", "engineer"}, success: 200},
		"PUT /api/v1/sla-policies/:name": {path: "/api/v1/sla-policies/matrix",
			body:  map[string]any{"response": "1h", "onsite": "2h", "resolution": "8h"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "sales", wrongRole: "agent", success: 200},
		"POST /api/v1/imports/customers": {path: "/api/v1/imports/customers",
			body: "id,name,sla_policy\nC-MATRIX4,Matrix 4,standard\n", headers: csv,
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "engineer", success: 200},
		"POST /api/v1/imports/equipment": {path: "/api/v1/imports/equipment",
			body: "serial,customer_id,model\nSN-MATRIX4,C-MATRIX,P-100\n", headers: csv,
			right: [2]string{"sales", "supervisor"}, wrongDepartment: "production", wrongRole: "approver", success: 200},
		"GET /api/v1/customers": {path: "/api/v1/customers?q=matrix",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"POST /api/v1/customers": {path: "/api/v1/customers", body: map[string]any{"id": "C-MATRIX3", "name": "Matrix 3",
			"sla_policy": "standard"}, right: [2]string{"after_sales", "agent"}, wrongDepartment: "technical",
			wrongRole: "engineer", success: 201},
		"PATCH /api/v1/customers/:id": {path: "/api/v1/customers/C-MATRIX", body: map[string]any{"region": "east"},
			right: [2]string{"sales", "supervisor"}, wrongDepartment: "quality", wrongRole: "approver", success: 200},
		"POST /api/v1/customers/:id/erase": {path: "/api/v1/customers/C-MATRIX-ERASE/erase",
			body:  map[string]any{"reason": "the customer asked to be forgotten"},
			right: [2]string{"after_sales", "admin"}, wrongRole: "supervisor", success: 200},
		"GET /api/v1/customers/:id/equipment": {path: "/api/v1/customers/C-MATRIX/equipment",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/equipment": {path: "/api/v1/equipment?customer_id=C-MATRIX",
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"POST /api/v1/equipment": {path: "/api/v1/equipment", body: map[string]any{"serial": "SN-MATRIX2",
			"customer_id": "C-MATRIX", "model": "P-100"}, right: [2]string{"sales", "agent"},
			wrongDepartment: "technical", wrongRole: "engineer", success: 201},
		"GET /api/v1/equipment/:serial": {path: "/api/v1/equipment/SN-MATRIX",
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"PUT /api/v1/equipment/:serial": {path: "/api/v1/equipment/SN-MATRIX3", body: map[string]any{
			"customer_id": "C-MATRIX", "model": "P-300", "delivered_on": "2026-01-10", "warranty_end": "2028-01-10"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "production", wrongRole: "engineer", success: 200},
		"GET /api/v1/customers/:id": {path: "/api/v1/customers/C-MATRIX",
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"PUT /api/v1/customers/:id": {path: "/api/v1/customers/C-MATRIX2", body: map[string]any{"name": "Matrix 2", "sla_policy": "standard"},
			right: [2]string{"sales", "agent"}, wrongDepartment: "technical", wrongRole: "engineer", success: 200},
		"GET /api/v1/stock/warehouses": {path: "/api/v1/stock/warehouses",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"PUT /api/v1/stock/warehouses/:warehouse": {path: "/api/v1/stock/warehouses/W-MATRIX2",
			body:  map[string]any{"name": "Matrix store 2"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "technical", wrongRole: "engineer", success: 200},
		"GET /api/v1/stock/items": {path: "/api/v1/stock/items?warehouse=W-MATRIX",
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"POST /api/v1/stock/items": {path: "/api/v1/stock/items", body: map[string]any{"part_number": "P-MATRIX2",
			"warehouse": "W-MATRIX", "name": "Backup pump", "kind": "backup_unit", "reorder_level": 1},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 201},
		"GET /api/v1/stock/items/:part_number": {path: "/api/v1/stock/items/P-MATRIX",
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"POST /api/v1/stock/movements": {path: "/api/v1/stock/movements", body: map[string]any{"part_number": "P-MATRIX",
			"warehouse": "W-MATRIX", "kind": "issue", "quantity": 1,
			"reference": map[string]any{"kind": "case", "id": caseID}},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "engineer", success: 201},
		"GET /api/v1/stock/units": {path: "/api/v1/stock/units?warehouse=W-MATRIX",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"POST /api/v1/stock/units": {path: "/api/v1/stock/units", body: map[string]any{"serial": "SN-BK-MATRIX2",
			"model": "BK-MATRIX", "warehouse": "W-MATRIX"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "approver", success: 201},
		"POST /api/v1/stock/units/:serial/repaired": {path: "/api/v1/stock/units/SN-BK-MATRIX/repaired",
			body:  map[string]any{"note": "fan replaced"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "technical", wrongRole: "engineer", success: 200},
		"GET /api/v1/loans": {path: "/api/v1/loans?complaint_id=" + caseID,
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"GET /api/v1/loans/:id": {path: "/api/v1/loans/MATRIX-L1",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"POST /api/v1/capas": {path: "/api/v1/capas", body: capaBody,
			right: [2]string{"quality", "engineer"}, wrongDepartment: "production", success: 201},
		"GET /api/v1/capas": {path: "/api/v1/capas?stage=open&owner_department=production&complaint_id=" + caseID,
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/capas/:id": {path: "/api/v1/capas/" + readCapa,
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"GET /api/v1/capas/:id/timeline": {path: capaPath(readCapa, "timeline"),
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "admin", success: 200},
		// Any department's agents, engineers and supervisors pass the
		// policy; the workflow refuses all but the owner department's (403).
		"POST /api/v1/capas/:id/done": {path: capaPath(doneCapa, "done"),
			body:  map[string]any{"note": "supplier changed", "evidence": []string{"PO-2026-118"}},
			right: [2]string{"production", "engineer"}, wrongDepartment: "quality", wrongRole: "approver", success: 200},
		// The action is open, and verified only once its effectiveness
		// check comes (30 days after done): the right caller gets past
		// authorization to the action's stage, 409, not 403.
		"POST /api/v1/capas/:id/verify": {path: capaPath(verifyCapa, "verify"),
			body:  map[string]any{"result": "effective", "note": "no recurrence"},
			right: [2]string{"quality", "supervisor"}, wrongDepartment: "production", wrongRole: "engineer", success: 409},
		"POST /api/v1/followups": {path: "/api/v1/followups", body: followupBody,
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "engineer", success: 201},
		"GET /api/v1/followups": {path: "/api/v1/followups?kind=delivery_call&owner_department=after_sales&stage=open" +
			"&customer_id=C-MATRIX&overdue=false", right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/followups/:id": {path: "/api/v1/followups/" + readFollowup,
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"GET /api/v1/followups/:id/timeline": {path: followupPath(readFollowup, "timeline"),
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "admin", success: 200},
		"POST /api/v1/followups/:id/done": {path: followupPath(doneFollowup, "done"),
			body:  map[string]any{"note": "called; the pump runs well", "satisfaction": 5},
			right: [2]string{"after_sales", "engineer"}, wrongDepartment: "quality", wrongRole: "approver", success: 200},
		"POST /api/v1/followups/:id/cancel": {path: followupPath(cancelFollowup, "cancel"),
			body:  map[string]any{"reason": "the customer sold the pump"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "production", wrongRole: "engineer", success: 200},
		"POST /api/v1/feedback": {path: "/api/v1/feedback", body: feedbackBody,
			right: [2]string{"technical", "engineer"}, wrongRole: "approver", success: 201},
		"GET /api/v1/feedback": {path: "/api/v1/feedback?kind=enquiry&stage=open&routed_to=after_sales" +
			"&customer_id=C-MATRIX&overdue=false", right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/feedback/:id": {path: "/api/v1/feedback/" + readFeedback,
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"GET /api/v1/feedback/:id/timeline": {path: "/api/v1/feedback/" + readFeedback + "/timeline",
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "admin", success: 200},
		// Every department's agents and supervisors pass the policy; the
		// workflow refuses all but the department it is routed to (403).
		"POST /api/v1/feedback/:id/answer": {path: "/api/v1/feedback/" + answerFeedback + "/answer",
			body:  map[string]any{"answer": "the next service is in May"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "engineer", success: 200},
		"GET /api/v1/reviews": {path: "/api/v1/reviews",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/reviews/:month": {path: "/api/v1/reviews/" + lastMonth,
			right: [2]string{"after_sales", "agent"}, wrongRole: "admin", success: 200},
		"POST /api/v1/reviews/:month/run": {path: "/api/v1/reviews/" + monthBefore + "/run",
			right: [2]string{"quality", "supervisor"}, wrongDepartment: "sales", wrongRole: "agent", success: 200},
		// Every supervisor passes the policy; the review's workflow refuses
		// another department's (403).
		"PUT /api/v1/reviews/:month/departments/:department": {path: "/api/v1/reviews/" + lastMonth + "/departments/quality",
			body:  map[string]any{"decision": "warning", "note": "two answers late"},
			right: [2]string{"quality", "supervisor"}, wrongDepartment: "sales", wrongRole: "agent", success: 200},
		"POST /api/v1/returns": {path: "/api/v1/returns", body: matrixReturn,
			right: [2]string{"branch_office", "agent"}, wrongDepartment: "sales", wrongRole: "engineer", success: 201},
		"GET /api/v1/returns": {path: "/api/v1/returns?stage=requested&branch_office=Matrix",
			right: [2]string{"after_sales", "engineer"}, wrongRole: "admin", success: 200},
		"GET /api/v1/returns/:id": {path: "/api/v1/returns/" + receivedRMA.id,
			right: [2]string{"after_sales", "approver"}, wrongRole: "admin", success: 200},
		"GET /api/v1/returns/:id/timeline": {path: receivedRMA.path("timeline"),
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "admin", success: 200},
		"POST /api/v1/returns/:id/approve": {path: requestedRMA().path("approve"), body: note("ok"),
			right: [2]string{"sales", "approver"}, wrongDepartment: "quality", wrongRole: "agent", success: 200},
		"POST /api/v1/returns/:id/reject": {path: requestedRMA().path("reject"),
			body:  map[string]any{"reason": "outside the return period"},
			right: [2]string{"after_sales", "approver"}, wrongDepartment: "technical", wrongRole: "supervisor", success: 200},
		"POST /api/v1/returns/:id/receive": {path: approvedRMA().path("receive"),
			body:  map[string]any{"quantity": 1, "warehouse": "W-MATRIX"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "branch_office", wrongRole: "approver", success: 200},
		"POST /api/v1/returns/:id/inspect": {path: receivedRMA.path("inspect"),
			body:  map[string]any{"result": "customer_damage", "note": "dropped"},
			right: [2]string{"quality", "engineer"}, wrongDepartment: "after_sales", wrongRole: "approver", success: 200},
		"POST /api/v1/returns/:id/complete": {path: inspectedRMA.path("complete"),
			body:  map[string]any{"disposition": "replace", "warehouse": "W-MATRIX"},
			right: [2]string{"after_sales", "supervisor"}, wrongDepartment: "sales", wrongRole: "engineer", success: 200},
		"PUT /api/v1/contracts/:number": {path: "/api/v1/contracts/K-1", body: map[string]any{"customer_id": "C-MATRIX", "sla_policy": "standard"},
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "approver", success: 200},
		"POST /api/v1/complaints/:id/withdraw": {path: stepPath(fresh(), "withdraw"), body: note("customer withdrew"),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "quality", wrongRole: "engineer", success: 200},
		"POST /api/v1/complaints": {path: "/api/v1/complaints", body: validComplaint(),
			right: [2]string{"after_sales", "agent"}, wrongDepartment: "sales", wrongRole: "engineer", success: 201},
		"POST /api/v1/complaints/:id/reopen": {path: stepPath(ended, "reopen"), body: map[string]any{"reason": "ended by mistake"},
			right: [2]string{"after_sales", "admin"}, wrongRole: "supervisor", success: 200},
		"GET /api/v1/complaints/:id": {path: "/api/v1/complaints/" + caseID,
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "admin", success: 200},
		"GET /api/v1/admin/users": {path: "/api/v1/admin/users",
			right: [2]string{"after_sales", "admin"}, wrongRole: "supervisor", success: 200},
		"POST /api/v1/admin/users": {path: "/api/v1/admin/users",
			body:  map[string]any{"name": "New Engineer", "department": "technical", "roles": []string{"engineer"}},
			right: [2]string{"after_sales", "admin"}, wrongRole: "supervisor", success: 201},
		"GET /api/v1/admin/users/:id/tokens": {path: "/api/v1/admin/users/" + userID + "/tokens",
			right: [2]string{"after_sales", "admin"}, wrongRole: "agent", success: 200},
		"POST /api/v1/admin/users/:id/tokens": {path: "/api/v1/admin/users/" + userID + "/tokens",
			right: [2]string{"after_sales", "admin"}, wrongRole: "approver", success: 201},
		"DELETE /api/v1/admin/tokens/:id": {path: "/api/v1/admin/tokens/" + tokenToRevoke,
			right: [2]string{"after_sales", "admin"}, wrongRole: "engineer", success: 200},
		// The codec server: supervisors and admins of any department.
		"POST /codec/encode": {path: "/codec/encode", body: codecBody(t, stack, "matrix", false),
			right: [2]string{"after_sales", "supervisor"}, wrongRole: "engineer", success: 200},
		"POST /codec/decode": {path: "/codec/decode", body: codecBody(t, stack, "matrix", true),
			right: [2]string{"after_sales", "admin"}, wrongRole: "agent", success: 200},
	}

	expired := idp.token("u-exp", "after_sales", []string{"agent", "admin", "approver"}, func(o *tokenOptions) {
		o.expires = time.Now().Add(-time.Minute)
	})
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	wronglySigned := idp.token("u-forged", "after_sales", []string{"agent", "admin", "approver"}, func(o *tokenOptions) {
		o.method, o.kid, o.key = jwt.SigningMethodES256, "ec-1", otherKey
	})
	wrongAudience := idp.token("u-aud", "after_sales", []string{"agent", "admin"}, func(o *tokenOptions) {
		o.claims = jwt.MapClaims{"aud": "another-service"}
	})

	for _, rt := range server.Routes() {
		if rt.Action == "" {
			continue
		}
		name := rt.Method + " " + rt.Path
		fx, ok := fixtures[name]
		require.True(t, ok, "route %s has no fixture in the authorization matrix", name)
		t.Run(name, func(t *testing.T) {
			refused := []struct {
				name   string
				token  string
				status int
			}{
				{"no token", "", 401},
				{"garbage token", "cf_not-a-real-token", 401},
				{"revoked token", revokedToken, 401},
				{"expired JWT", expired, 401},
				{"wrongly signed JWT", wronglySigned, 401},
				{"JWT for another audience", wrongAudience, 401},
			}
			if fx.wrongRole != "" {
				refused = append(refused, struct {
					name   string
					token  string
					status int
				}{"wrong role", as(t, stack, fx.right[0], fx.wrongRole).token, 403})
			}
			if fx.wrongDepartment != "" {
				refused = append(refused, struct {
					name   string
					token  string
					status int
				}{"wrong department", as(t, stack, fx.wrongDepartment, fx.right[1]).token, 403})
			}
			before := storeCounts(t, stack)
			for _, r := range refused {
				c := apiClient{t: t, base: stack.APIURL(), token: r.token}
				status, body := c.do(rt.Method, fx.path, fx.body, fx.headers)
				require.Equal(t, r.status, status, "%s: %v", r.name, body)
				code := map[int]string{401: "unauthorized", 403: "forbidden"}[r.status]
				require.Equal(t, code, body["error"].(map[string]any)["code"], r.name)
				if r.status == 403 {
					// The answer names the role and department needed.
					msg := body["error"].(map[string]any)["message"].(string)
					require.True(t, strings.Contains(msg, fx.right[1]) || strings.Contains(msg, fx.right[0]),
						"%s: %q names neither %s nor %s", r.name, msg, fx.right[0], fx.right[1])
				}
			}
			require.Equal(t, before, storeCounts(t, stack), "refused calls store nothing")

			status, body := as(t, stack, fx.right[0], fx.right[1]).do(rt.Method, fx.path, fx.body, fx.headers)
			require.Equal(t, fx.success, status, "%v", body)
		})
	}

	// A valid JWT from the identity provider works, RS256 and ES256 alike,
	// and the actor it names is recorded in the timeline and the history.
	for _, tc := range []struct{ name, token string }{
		{"RS256", idp.token("idp-user-1", "after_sales", []string{"agent"}, nil)},
		{"ES256", idp.token("idp-user-2", "branch_office", []string{"agent"}, func(o *tokenOptions) {
			o.method, o.kid, o.key = jwt.SigningMethodES256, "ec-1", idp.ecKey
		})},
	} {
		t.Run("valid JWT "+tc.name, func(t *testing.T) {
			c := apiClient{t: t, base: stack.APIURL(), token: tc.token}
			status, body := c.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status, "%v", body)
			actor := body["registered_by"].(map[string]any)
			sub := map[string]string{"RS256": "idp-user-1", "ES256": "idp-user-2"}[tc.name]
			require.Equal(t, sub, actor["user_id"])
			require.Equal(t, "JWT "+sub, actor["name"])

			events, err := stack.Store.Timeline(t.Context(), body["id"].(string))
			require.NoError(t, err)
			require.Equal(t, sub, events[0].Actor.UserID)
			require.NotEmpty(t, events[0].Actor.Department)

			in := startedInput(t, stack, body["id"].(string))
			require.Equal(t, sub, in.RegisteredBy.UserID)
			require.Equal(t, events[0].Actor.Department, in.RegisteredBy.Department)
		})
	}

	for _, u := range stack.DemoUsers {
		require.NotContains(t, logs.String(), u.Token, "tokens never appear in logs")
	}
	require.NotContains(t, logs.String(), revokedToken)
	require.NotContains(t, logs.String(), expired)
}

// signedRecord is a customer's sign-off of a visit with a signature: a
// small PNG drawn here, in base64.
func signedRecord(visit string) map[string]any {
	img := image.NewGray(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		img.SetGray(x, 20+x%10-5, color.Gray{})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return map[string]any{"visit": visit, "signer_name": "Wang Fang", "signer_title": "head of equipment",
		"opinion": "satisfied", "comment": "fixed on the first visit", "signed_at": time.Now().UTC().Format(time.RFC3339),
		"signature": base64.StdEncoding.EncodeToString(buf.Bytes())}
}

// storeCounts counts the rows a refused call must not add.
func storeCounts(t *testing.T, stack *app.Stack) map[string]int {
	tables := []string{"complaints", "case_events", "users", "api_tokens", "audit_events", "rmas", "rma_events",
		"capas", "capa_events", "reviews", "followups", "followup_events", "survey_links", "feedback", "feedback_events",
		"customer_erasures"}
	// What a step starts in the background lands a moment after its
	// answer (a corrective action's workflow, the recurrences a confirm
	// finds): wait until the counts hold still for a while.
	var counts map[string]int
	var since time.Time
	eventually(t, func() bool {
		now := map[string]int{}
		for _, table := range tables {
			var n int
			if err := stack.Store.DB().GetContext(t.Context(), &n, "SELECT COUNT(*) FROM "+table); err != nil {
				return false
			}
			now[table] = n
		}
		if !maps.Equal(now, counts) {
			counts, since = now, time.Now()
		}
		return time.Since(since) >= 300*time.Millisecond
	}, "the store comes to rest")
	// Visibility lags behind: wait until it shows one run per case and one
	// more per reopen (a new run of the case's workflow), so a workflow
	// started by a refused call would show as one too many.
	var reopens int
	require.NoError(t, stack.Store.DB().GetContext(t.Context(), &reopens,
		stack.Store.DB().Rebind("SELECT COUNT(*) FROM case_events WHERE kind = ?"), complaint.EventReopened))
	eventually(t, func() bool {
		counts["workflows"] = int(countWorkflows(t, stack.Client, stack.Config.Namespace, caseWorkflows))
		return counts["workflows"] >= counts["complaints"]+reopens
	}, "visibility catches up with the store")
	return counts
}

// startedInput reads the workflow's input from its history, where the actor
// of the registration is recorded.
func startedInput(t *testing.T, stack *app.Stack, caseID string) workflows.ComplaintInput {
	t.Helper()
	iter := stack.Client.GetWorkflowHistory(t.Context(), "complaint-"+caseID, "", false, 0)
	require.True(t, iter.HasNext())
	first, err := iter.Next()
	require.NoError(t, err)
	attrs := first.GetWorkflowExecutionStartedEventAttributes()
	require.NotNil(t, attrs)
	var in workflows.ComplaintInput
	require.NoError(t, stack.Payloads.DataConverter().FromPayloads(attrs.GetInput(), &in))
	return in
}

func TestDevWritesDemoUsersFile(t *testing.T) {
	dir := t.TempDir()
	stack := startStack(t, devConfig(dir, nil))
	raw, err := os.ReadFile(filepath.Join(dir, app.DemoUsersFile))
	require.NoError(t, err)
	var users []struct {
		Name       string   `json:"name"`
		Department string   `json:"department"`
		Roles      []string `json:"roles"`
		Token      string   `json:"token"`
	}
	require.NoError(t, json.Unmarshal(raw, &users))
	require.Len(t, users, len(stack.DemoUsers))
	seen := map[string]bool{}
	for _, u := range users {
		require.True(t, strings.HasPrefix(u.Token, "cf_"))
		seen[u.Department+"/"+u.Roles[0]] = true
	}
	for _, d := range []string{"after_sales", "sales", "technical", "production", "quality", "branch_office"} {
		for _, r := range []string{"agent", "approver", "engineer", "supervisor"} {
			require.True(t, seen[d+"/"+r], "a demo %s %s", d, r)
		}
	}
	require.True(t, seen["after_sales/admin"])
	// Each token works.
	status, _ := apiClient{t: t, base: stack.APIURL(), token: users[0].Token}.do(http.MethodGet, "/api/v1/complaints/none", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
}
