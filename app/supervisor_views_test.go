package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
)

// TestSupervisorViews runs each view's query on the real stack, through the
// Temporal client and through the Web UI's own API, with a breached case, a
// case at risk and a case on time, and requires that each view selects
// exactly the cases it names.
func TestSupervisorViews(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			supervisor := as(t, stack, "after_sales", "supervisor")
			lead := []map[string]any{{"role": "supervisor", "department": "after_sales"}}
			policy := func(name, response string, warnAt float64, resolution string) {
				status, body := supervisor.do(http.MethodPut, "/api/v1/sla-policies/"+name, map[string]any{
					"response": response, "onsite": "2h", "resolution": resolution, "warning_points": []float64{warnAt},
					"escalation": []map[string]any{{"level": 1, "after": "0s", "recipients": lead}},
				}, nil)
				require.Equal(t, http.StatusOK, status, "%v", body)
			}
			// Breached within seconds; resolved within the hour.
			policy("views-breach", "2s", 0.5, "1h")
			// Warned after about a second, breached only after two minutes.
			policy("views-warn", "2m", 0.01, "2h")
			register := func(customer, policy string) *caseWalker {
				return newCase(t, stack, map[string]any{"customer_id": customer, "category": "non_quality",
					"new_customer": map[string]any{"name": "Views Co " + customer, "sla_policy": policy},
					"received_at":  time.Now().UTC().Format(time.RFC3339Nano)})
			}
			analyse := func(w *caseWalker, department string) {
				w.step("after_sales", "agent", "contact", note("called the customer back"))
				w.step("after_sales", "agent", "confirm", map[string]any{"note": "order confirmed", "order_number": "SO-2026-0042"})
				w.step("technical", "agent", "analysis", map[string]any{"root_cause": "seal worn",
					"responsible_department": department, "liability": "company"})
			}

			breached := register("C-VIEWS-BREACH", "views-breach")
			eventually(t, func() bool {
				_, got := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+breached.id, nil, nil)
				return got["clocks"].(map[string]any)["response"].(map[string]any)["state"] == "breached"
			}, "the response clock breaches")
			analyse(breached, complaint.DepartmentTechnical)
			onTime := newCase(t, stack, map[string]any{"category": "non_quality"}) // the standard policy
			analyse(onTime, complaint.DepartmentQuality)
			atRisk := register("C-VIEWS-WARN", "views-warn")

			views := app.SupervisorViews(stack.Temporal.UIURL(), stack.Config.Namespace, time.Now())
			want := map[string][]string{
				"Breached cases":                 {breached.id},
				"At risk (warned, not breached)": {atRisk.id},
				// The breached case's resolution and the warned case's response.
				"Due within an hour": {breached.id, atRisk.id},
			}
			for _, d := range complaint.Departments() {
				want["Responsible department: "+d] = nil
			}
			want["Responsible department: "+complaint.DepartmentTechnical] = []string{breached.id}
			want["Responsible department: "+complaint.DepartmentQuality] = []string{onTime.id}
			require.Len(t, views, len(want))

			for _, v := range views {
				key := viewKey(t, v)
				expected := want[key]
				require.Contains(t, want, key)
				link, err := url.Parse(v.URL)
				require.NoError(t, err)
				require.Equal(t, "/namespaces/"+stack.Config.Namespace+"/workflows", link.Path)
				require.Equal(t, v.Query, link.Query().Get("query"), "the link carries the query")
				require.NotContains(t, link.RawQuery, "+", "spaces are %20")
				require.False(t, strings.HasSuffix(v.NameZH, "：") || strings.HasSuffix(v.NameEN, ": "),
					"%s names its department in both languages", key)

				var got []string
				require.Eventually(t, func() bool {
					got = listCases(t, stack, v.Query)
					return slices.Equal(got, ids(expected))
				}, 20*time.Second, 100*time.Millisecond, "%s: %s", v.NameEN, v.Query)
				require.Len(t, webUIList(t, stack, v.Query), len(expected), "the Web UI accepts %s", v.Query)
			}
		})
	}
}

// viewKey names a view by its English name without the time it holds.
func viewKey(t *testing.T, v app.SupervisorView) string {
	t.Helper()
	if name, _, ok := strings.Cut(v.NameEN, " (from "); ok {
		return name
	}
	for _, d := range complaint.Departments() {
		if strings.Contains(v.Query, "ResponsibleDepartment = '"+d+"'") {
			return "Responsible department: " + d
		}
	}
	return v.NameEN
}

func ids(caseIDs []string) []string {
	out := make([]string, 0, len(caseIDs))
	for _, id := range caseIDs {
		out = append(out, complaint.WorkflowID(id))
	}
	slices.Sort(out)
	return out
}

// listCases runs query through the Temporal client: the workflow IDs, sorted.
func listCases(t *testing.T, stack *app.Stack, query string) []string {
	t.Helper()
	resp, err := stack.Client.ListWorkflow(t.Context(), &workflowservice.ListWorkflowExecutionsRequest{Query: query})
	require.NoError(t, err, "Temporal accepts %s", query)
	out := []string{}
	for _, e := range resp.GetExecutions() {
		out = append(out, e.GetExecution().GetWorkflowId())
	}
	slices.Sort(out)
	return out
}

// webUIList runs query through the Web UI's workflow list API, as the
// linked page does.
func webUIList(t *testing.T, stack *app.Stack, query string) []json.RawMessage {
	t.Helper()
	resp, err := http.Get(stack.Temporal.UIURL() + "/api/v1/namespaces/" + url.PathEscape(stack.Config.Namespace) +
		"/workflows?query=" + url.QueryEscape(query))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the Web UI accepts %s", query)
	var page struct {
		Executions []json.RawMessage `json:"executions"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	return page.Executions
}
