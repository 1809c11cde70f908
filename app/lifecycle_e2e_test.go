package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/workflows"
)

// caseWalker drives one case through its steps over HTTP as the right people.
type caseWalker struct {
	t     *testing.T
	stack *app.Stack
	id    string
	last  map[string]any
}

func newCase(t *testing.T, stack *app.Stack, changes map[string]any) *caseWalker {
	t.Helper()
	body := validComplaint()
	for k, v := range changes {
		body[k] = v
	}
	status, created := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", body, nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	return &caseWalker{t: t, stack: stack, id: created["id"].(string), last: created}
}

// step posts a step as department/role and expects 200.
func (w *caseWalker) step(department, role, name string, body any) map[string]any {
	w.t.Helper()
	status, got := as(w.t, w.stack, department, role).do(http.MethodPost, "/api/v1/complaints/"+w.id+"/"+name, body, nil)
	require.Equal(w.t, http.StatusOK, status, "%s as %s/%s: %v", name, department, role, got)
	w.last = got
	return got
}

// refused posts a step and expects the given status and error code.
func (w *caseWalker) refused(department, role, name string, body any, status int, code string) map[string]any {
	w.t.Helper()
	got, answer := as(w.t, w.stack, department, role).do(http.MethodPost, "/api/v1/complaints/"+w.id+"/"+name, body, nil)
	require.Equal(w.t, status, got, "%s as %s/%s: %v", name, department, role, answer)
	errBody := answer["error"].(map[string]any)
	require.Equal(w.t, code, errBody["code"])
	return errBody
}

func (w *caseWalker) stage() string { return w.last["stage"].(string) }

// waitForStep polls the case until it allows step, as it does once a clock
// has fired.
func (w *caseWalker) waitForStep(step string) {
	w.t.Helper()
	api := agent(w.t, w.stack)
	eventually(w.t, func() bool {
		_, got := api.do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
		for _, s := range got["allowed_steps"].([]any) {
			if s == step {
				w.last = got
				return true
			}
		}
		return false
	}, "the case allows "+step)
}

func note(s string) map[string]any { return map[string]any{"note": s} }

func (w *caseWalker) confirmAndAnalyse(department string, liability string) {
	w.step("after_sales", "agent", "contact", note("called the customer back"))
	w.step("after_sales", "agent", "confirm", map[string]any{"note": "sales confirmed the order", "order_number": "SO-2026-0042"})
	require.Equal(w.t, "analyze", w.stage())
	analysis := map[string]any{"root_cause": "seal worn", "responsible_department": "production", "liability": liability}
	if liability != "company" {
		analysis["evidence"] = []string{"inspection report IR-77", "photo of the seal"}
		analysis["explanation"] = "the unit was run beyond its rated pressure"
	}
	w.step(department, "agent", "analysis", analysis)
	require.Equal(w.t, "negotiate", w.stage())
}

func (w *caseWalker) remediateAndClose() {
	w.step("technical", "engineer", "progress", note("replacement shipped"))
	w.step("quality", "agent", "corrective-actions", map[string]any{"action": "add seal check to final inspection",
		"owner_department": "quality", "due_date": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)})
	w.step("after_sales", "agent", "resolve", note("customer runs the new pump"))
	w.step("after_sales", "agent", "close", map[string]any{"customer_confirmed": true, "satisfaction": 4, "note": "thanks"})
	require.Equal(w.t, "closed", w.stage())
}

// TestLifecycleEndToEnd walks three cases over HTTP on the real stack and
// checks that the store, the timeline, the API and the workflow agree.
func TestLifecycleEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))

			t.Run("severe quality case through a rejected approval round", func(t *testing.T) {
				w := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
				w.confirmAndAnalyse("technical", "company")
				w.refused("after_sales", "agent", "agreement", map[string]any{"type": "replace", "description": "new pump",
					"approving_departments": []string{"quality", "production"}}, http.StatusConflict, "conflict")
				w.step("production", "agent", "proposals", map[string]any{"measures": "replace the seal batch"})
				w.step("technical", "agent", "proposals", map[string]any{"measures": "redesign the seal seat"})
				agreement := map[string]any{"type": "replace", "description": "new pump",
					"approving_departments": []string{"quality", "production"}}
				w.step("after_sales", "agent", "agreement", agreement)
				require.Equal(t, "approve", w.stage())
				// An approver of a department the agreement does not require is refused.
				w.refused("sales", "approver", "approvals", map[string]any{"decision": "approve"}, http.StatusForbidden, "forbidden")
				w.step("quality", "approver", "approvals", map[string]any{"decision": "approve"})
				w.step("production", "approver", "approvals", map[string]any{"decision": "reject", "comment": "cost too high"})
				require.Equal(t, "negotiate", w.stage())
				w.step("after_sales", "agent", "agreement", map[string]any{"type": "repair", "description": "repair on site",
					"approving_departments": []string{"quality", "production"}})
				w.step("quality", "approver", "approvals", map[string]any{"decision": "approve"})
				w.step("production", "approver", "approvals", map[string]any{"decision": "approve"})
				require.Equal(t, "remediate", w.stage())
				require.Len(t, w.last["approval_rounds"], 2)
				w.remediateAndClose()
				w.refused("after_sales", "agent", "contact", note("again"), http.StatusConflict, "conflict")
				assertAgree(t, stack, w, 16)
			})

			t.Run("minor case straight through", func(t *testing.T) {
				w := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor"})
				w.confirmAndAnalyse("production", "company")
				w.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit note"})
				require.Equal(t, "remediate", w.stage())
				w.remediateAndClose()
				assertAgree(t, stack, w, 9)
			})

			t.Run("not at fault, closed by an accepted explanation", func(t *testing.T) {
				w := newCase(t, stack, map[string]any{"category": "other", "severity": "minor"})
				w.confirmAndAnalyse("quality", "customer")
				w.step("after_sales", "agent", "agreement", map[string]any{"type": "explanation_accepted",
					"description": "customer accepts the inspection result"})
				require.Equal(t, "closed", w.stage())
				assertAgree(t, stack, w, 5)
			})
		})
	}
}

// assertAgree checks the API's case, the store, the timeline and the
// workflow (status, result and search attributes) against each other.
func assertAgree(t *testing.T, stack *app.Stack, w *caseWalker, events int) {
	t.Helper()
	api := agent(t, stack)
	status, got := api.do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
	require.Equal(t, http.StatusOK, status)
	// The case's corrective actions move on their own after the step: GET
	// shows them as their workflows last projected them.
	capas := got["capas"]
	delete(got, "capas")
	require.Equal(t, w.last, got, "GET answers what the last step answered")
	got["capas"] = capas
	require.Equal(t, []any{}, got["allowed_steps"])

	status, timeline := api.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
	require.Equal(t, http.StatusOK, status)
	evs := timeline["events"].([]any)
	require.Len(t, evs, events)
	for i, e := range evs {
		ev := e.(map[string]any)
		require.EqualValues(t, i+1, ev["seq"])
		require.NotEmpty(t, ev["actor"].(map[string]any)["user_id"])
		require.NotEmpty(t, ev["actor"].(map[string]any)["department"])
	}
	require.EqualValues(t, events, got["version"])

	stored, err := stack.Store.GetCase(t.Context(), w.id)
	require.NoError(t, err)
	require.Equal(t, "closed", string(stored.Stage))

	run := stack.Client.GetWorkflow(t.Context(), "complaint-"+w.id, "")
	var result map[string]any
	require.NoError(t, run.Get(t.Context(), &result))
	require.Equal(t, "closed", result["stage"])
	require.EqualValues(t, events, result["version"])
	desc, err := stack.Client.DescribeWorkflowExecution(t.Context(), "complaint-"+w.id, "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, desc.GetWorkflowExecutionInfo().GetStatus())
	attrs := decodeSearchAttributes(t, desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields())
	require.Equal(t, "closed", attrs[workflows.CaseStageKey.GetName()])
	require.Equal(t, got["category"], attrs[workflows.CaseCategoryKey.GetName()])
	require.Equal(t, got["severity"], attrs[workflows.CaseSeverityKey.GetName()])
	require.Equal(t, "production", attrs[workflows.ResponsibleDepartmentKey.GetName()])

	status, list := api.do(http.MethodGet, "/api/v1/complaints?stage=closed&responsible_department=production&customer_id=C-1001", nil, nil)
	require.Equal(t, http.StatusOK, status)
	found := false
	for _, c := range list["complaints"].([]any) {
		found = found || c.(map[string]any)["id"] == w.id
	}
	require.True(t, found, "the list filters find the case")
}

func TestStepEdges(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	w := newCase(t, stack, map[string]any{"category": "quality", "severity": "severe"})
	api := agent(t, stack)

	// A step in the wrong stage: 409 with the stage and the steps allowed now.
	errBody := w.refused("after_sales", "agent", "agreement", map[string]any{"type": "repair", "description": "x"},
		http.StatusConflict, "conflict")
	require.Equal(t, "confirm", errBody["stage"])
	require.ElementsMatch(t, []any{"contact", "confirm", "withdraw", "onsite", "pause", "engineers", "visits"}, errBody["allowed_steps"])

	// A bad body: 400 naming the fields, and nothing enters the timeline.
	errBody = w.refused("technical", "agent", "analysis", map[string]any{"liability": "nobody"}, http.StatusBadRequest, "invalid_request")
	require.Contains(t, errBody["fields"], "root_cause")
	require.Contains(t, errBody["fields"], "liability")

	// An unknown case: 404.
	status, _ := api.do(http.MethodPost, "/api/v1/complaints/no-such-case/contact", note("hello"), nil)
	require.Equal(t, http.StatusNotFound, status)

	// Idempotency-Key: a retried step applies once and answers the first answer.
	key := map[string]string{"Idempotency-Key": "contact-1"}
	status, first := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/contact", note("first call"), key)
	require.Equal(t, http.StatusOK, status, "%v", first)
	status, again := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/contact", note("first call"), key)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, first, again)
	status, timeline := api.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, timeline["events"], 2, "registered and one contact")

	// Confirm may assign a field engineer, who must be a user and an engineer.
	userID := func(name string) string {
		_, users := as(t, stack, "after_sales", "admin").do(http.MethodGet, "/api/v1/admin/users", nil, nil)
		for _, u := range users["users"].([]any) {
			if u.(map[string]any)["name"] == name {
				return u.(map[string]any)["id"].(string)
			}
		}
		t.Fatalf("no user %s", name)
		return ""
	}
	for _, tc := range []struct{ assignee, problem string }{
		{"no-such-user", "names no user"},
		{userID("Demo technical agent"), "names a user who is not an engineer"},
	} {
		errBody := w.refused("after_sales", "agent", "confirm", map[string]any{"assigned_engineer": tc.assignee},
			http.StatusBadRequest, "invalid_request")
		require.Equal(t, map[string]any{"assigned_engineer": tc.problem}, errBody["fields"])
	}
	engineer := userID("Demo technical engineer")
	confirmed := w.step("after_sales", "agent", "confirm", map[string]any{"assigned_engineer": engineer})
	require.Equal(t, engineer, confirmed["assigned_engineer"])

	// Withdrawn: closed, and every later step answers 409.
	w.step("after_sales", "agent", "withdraw", note("customer withdrew"))
	require.Equal(t, "closed", w.stage())
	errBody = w.refused("after_sales", "agent", "contact", note("late"), http.StatusConflict, "conflict")
	require.Equal(t, "closed", errBody["stage"])
	require.Equal(t, []any{}, errBody["allowed_steps"])
}

func TestListComplaints(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	api := agent(t, stack)
	base := time.Now().Add(-10 * time.Hour).UTC()
	for i := range 5 {
		newCase(t, stack, map[string]any{"customer_id": "C-LIST", "severity": []string{"minor", "severe"}[i%2],
			"received_at": base.Add(time.Duration(i) * time.Hour).Format(time.RFC3339)})
	}
	newCase(t, stack, map[string]any{"customer_id": "C-OTHER"})

	var ids []any
	cursor := ""
	for range 3 {
		status, page := api.do(http.MethodGet, "/api/v1/complaints?customer_id=C-LIST&limit=2&cursor="+cursor, nil, nil)
		require.Equal(t, http.StatusOK, status, "%v", page)
		for _, c := range page["complaints"].([]any) {
			ids = append(ids, c.(map[string]any)["id"])
		}
		next, _ := page["next_cursor"].(string)
		cursor = next
		if cursor == "" {
			break
		}
	}
	require.Len(t, ids, 5, "three pages of at most two cover the five cases once each")
	require.Equal(t, "", cursor)

	status, page := api.do(http.MethodGet, "/api/v1/complaints?customer_id=C-LIST&severity=severe", nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, page["complaints"], 2)

	from := base.Add(90 * time.Minute).Format(time.RFC3339)
	status, page = api.do(http.MethodGet, "/api/v1/complaints?customer_id=C-LIST&opened_from="+from, nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, page["complaints"], 3)

	// Received 10 to 6 hours ago, every response clock has breached (its
	// escalation runs in the background) and the resolution clocks, due 24
	// hours after receipt, are the next deadlines.
	dueBefore := base.Add(24*time.Hour + 150*time.Minute).Format(time.RFC3339)
	eventually(t, func() bool {
		_, page := api.do(http.MethodGet, "/api/v1/complaints?customer_id=C-LIST&breached=true&due_before="+dueBefore, nil, nil)
		return len(page["complaints"].([]any)) == 3
	}, "due_before and breached select the cases whose next deadline comes first")

	status, bad := api.do(http.MethodGet, "/api/v1/complaints?stage=done&limit=0&opened_to=tomorrow&cursor=zzz", nil, nil)
	require.Equal(t, http.StatusBadRequest, status)
	fields := bad["error"].(map[string]any)["fields"].(map[string]any)
	require.Contains(t, fields, "stage")
	require.Contains(t, fields, "limit")
	require.Contains(t, fields, "opened_to")
}
