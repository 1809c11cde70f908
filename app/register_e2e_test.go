package app_test

import (
	"io"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// TestRegisterComplaintEndToEnd drives the path HTTP → Temporal → store →
// HTTP on the embedded stack, then restarts the stack and finds the case and
// its running workflow again.
func TestRegisterComplaintEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			cfg := devConfig(t.TempDir(), b.env(t))
			stack := startStack(t, cfg)
			api := agent(t, stack)

			status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status, "%v", created)
			id := created["id"].(string)
			require.Regexp(t, regexp.MustCompile(`^CMP-\d{4}-\d{6}$`), created["case_number"])
			require.Equal(t, "confirm", created["stage"])
			require.Equal(t, "Shanghai General Hospital", created["customer_name"])

			status, got := api.do(http.MethodGet, "/api/v1/complaints/"+id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, created, got)

			// The workflow carries the case's search attributes, so the Web UI can filter on them.
			desc, err := stack.Client.DescribeWorkflowExecution(t.Context(), "complaint-"+id, "")
			require.NoError(t, err)
			require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus())
			attrs := decodeSearchAttributes(t, desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields())
			require.Equal(t, created["case_number"], attrs[workflows.CaseNumberKey.GetName()])
			require.Equal(t, "confirm", attrs[workflows.CaseStageKey.GetName()])
			require.Equal(t, "quality", attrs[workflows.CaseCategoryKey.GetName()])
			require.Equal(t, "severe", attrs[workflows.CaseSeverityKey.GetName()])
			require.Equal(t, "C-1001", attrs[workflows.CustomerIDKey.GetName()])
			eventually(t, func() bool {
				return countWorkflows(t, stack.Client, cfg.Namespace, `CaseStage = "confirm" AND CustomerID = "C-1001"`) == 1
			}, "the case is found by a visibility query on its search attributes")

			// The Web UI serves HTML.
			resp, err := http.Get(stack.Temporal.UIURL())
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode)
			require.Contains(t, string(body), "<html")

			// Restart on the same data: the case and its workflow are still there.
			require.NoError(t, stack.Close())
			restarted := startStack(t, cfg)
			require.Empty(t, restarted.DemoUsers, "demo users are seeded on the first start only")
			api = apiClient{t: t, base: restarted.APIURL(), token: api.token}
			status, got = api.do(http.MethodGet, "/api/v1/complaints/"+id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, created, got)
			desc, err = restarted.Client.DescribeWorkflowExecution(t.Context(), "complaint-"+id, "")
			require.NoError(t, err)
			require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus())

			// Case numbers keep counting after the restart.
			status, second := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status)
			require.NotEqual(t, created["case_number"], second["case_number"])
		})
	}
}

func TestRegisterComplaintIdempotencyKey(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	api := agent(t, stack)
	key := map[string]string{"Idempotency-Key": "intake-call-4711"}

	body := validComplaint()
	status, first := api.do(http.MethodPost, "/api/v1/complaints", body, key)
	require.Equal(t, http.StatusCreated, status)
	status, retry := api.do(http.MethodPost, "/api/v1/complaints", body, key)
	require.Equal(t, http.StatusCreated, status)
	require.Equal(t, first, retry, "a retry with the same key answers the first answer")

	require.Equal(t, 1, countRows(t, stack, "complaints"))

	// The same key with another body is a client bug, not a retry.
	changed := maps.Clone(body)
	changed["description"] = "a different complaint"
	status, reused := api.do(http.MethodPost, "/api/v1/complaints", changed, key)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", reused)
	require.Equal(t, "idempotency_key_reused", reused["error"].(map[string]any)["code"])
	require.Equal(t, 1, countRows(t, stack, "complaints"))

	// Another user's same key is another registration.
	status, theirs := as(t, stack, "branch_office", "agent").do(http.MethodPost, "/api/v1/complaints", body, key)
	require.Equal(t, http.StatusCreated, status)
	require.NotEqual(t, first["id"], theirs["id"])

	status, other := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), map[string]string{"Idempotency-Key": "another"})
	require.Equal(t, http.StatusCreated, status)
	require.NotEqual(t, first["id"], other["id"])

	// Once the case has ended, a retry is answered from the store, and a
	// reused key is still refused.
	id := first["id"].(string)
	status, withdrawn := api.do(http.MethodPost, "/api/v1/complaints/"+id+"/withdraw",
		map[string]any{"note": "the customer withdrew it"}, map[string]string{"Idempotency-Key": "withdraw-4711"})
	require.Equal(t, http.StatusOK, status, "%v", withdrawn)
	require.NoError(t, stack.Client.GetWorkflow(t.Context(), complaint.WorkflowID(id), "").Get(t.Context(), nil))
	status, late := api.do(http.MethodPost, "/api/v1/complaints", body, key)
	require.Equal(t, http.StatusCreated, status, "%v", late)
	require.Equal(t, id, late["id"])
	require.Equal(t, first["case_number"], late["case_number"])
	require.Equal(t, string(complaint.StageClosed), late["stage"])
	status, reused = api.do(http.MethodPost, "/api/v1/complaints", changed, key)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", reused)
	require.Equal(t, 3, countRows(t, stack, "complaints"))
}

func TestReadyAndMetrics(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	api := agent(t, stack)
	status, body := api.do(http.MethodGet, "/healthz", nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = api.do(http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)

	status, _ = api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
	require.Equal(t, http.StatusCreated, status)
	resp, err := http.Get(stack.APIURL() + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "metrics are not on the public API port")
	resp, err = http.Get(stack.MetricsURL() + "/metrics")
	require.NoError(t, err)
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	metrics := string(raw)
	require.Contains(t, metrics, `caseflow_http_request_duration_seconds_count{method="POST",route="/api/v1/complaints",status="201"} 1`)
	eventually(t, func() bool {
		resp, err := http.Get(stack.MetricsURL() + "/metrics")
		if err != nil {
			return false
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		// The SDK's own metrics, reported through tally.
		return regexp.MustCompile(`(?m)^temporal_workflow_completed_total|^temporal_request_total`).Match(raw)
	}, "Temporal SDK metrics are exported")

	// With the store gone, readiness fails and names the store.
	require.NoError(t, stack.Store.Close())
	status, body = api.do(http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	fields := body["error"].(map[string]any)["fields"].(map[string]any)
	require.Contains(t, fields, "store")
	require.NotContains(t, fields, "temporal")
}

func decodeSearchAttributes(t *testing.T, fields map[string]*commonpb.Payload) map[string]any {
	t.Helper()
	out := map[string]any{}
	for name, p := range fields {
		var v any
		require.NoError(t, converter.GetDefaultDataConverter().FromPayload(p, &v))
		out[name] = v
	}
	return out
}

func countWorkflows(t *testing.T, c client.Client, namespace, query string) int64 {
	t.Helper()
	resp, err := c.WorkflowService().CountWorkflowExecutions(t.Context(), &workflowservice.CountWorkflowExecutionsRequest{
		Namespace: namespace, Query: query,
	})
	require.NoError(t, err)
	return resp.GetCount()
}

func countRows(t *testing.T, stack *app.Stack, table string) int {
	t.Helper()
	var n int
	require.NoError(t, stack.Store.DB().GetContext(t.Context(), &n, "SELECT COUNT(*) FROM "+table))
	return n
}

func TestRegisterComplaintRejectsBadInput(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) { testRegisterComplaintRejectsBadInput(t, b) })
	}
}

func testRegisterComplaintRejectsBadInput(t *testing.T, b stackBackend) {
	stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
	api := agent(t, stack)
	with := func(changes map[string]any) map[string]any {
		body := validComplaint()
		for k, v := range changes {
			if v == nil {
				delete(body, k)
			} else {
				body[k] = v
			}
		}
		return body
	}
	tests := []struct {
		name   string
		body   any
		status int
		fields map[string]string
	}{
		{"missing required fields", with(map[string]any{"customer_id": nil, "customer_name": "", "contact_name": nil, "description": nil}), 400,
			map[string]string{"customer_id": "is required", "customer_name": "is required", "contact_name": "is required", "description": "is required"}},
		{"unknown enum values", with(map[string]any{"channel": "fax", "category": "cosmetic", "severity": "critical"}), 400,
			map[string]string{"channel": "must be one of: phone, letter, email, website, visit, branch_office",
				"category": "must be one of: quality, non_quality, other", "severity": "must be one of: minor, severe"}},
		{"description too long", with(map[string]any{"description": strings.Repeat("漏", 10001)}), 400,
			map[string]string{"description": "must be at most 10000 characters"}},
		{"quantities", with(map[string]any{"quantity": 3, "defective_quantity": 4}), 400,
			map[string]string{"defective_quantity": "must not exceed quantity"}},
		{"negative quantity", with(map[string]any{"quantity": -1}), 400,
			map[string]string{"quantity": "must be at least 0"}},
		{"quantity not a number", with(map[string]any{"quantity": "ten"}), 400,
			map[string]string{"quantity": "must be an integer"}},
		{"ship date format and received_at format", with(map[string]any{"ship_date": "15/01/2026", "received_at": "yesterday"}), 400,
			map[string]string{"ship_date": "must be a date YYYY-MM-DD", "received_at": "must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00"}},
		{"dates in the future", with(map[string]any{"ship_date": time.Now().AddDate(0, 0, 3).Format(time.DateOnly),
			"received_at": time.Now().Add(time.Hour).Format(time.RFC3339)}), 400,
			map[string]string{"ship_date": "must not be in the future", "received_at": "must not be in the future"}},
		{"received_at in year 1", with(map[string]any{"received_at": "0001-01-01T00:00:00Z"}), 400,
			map[string]string{"received_at": "must not be more than 365 days ago"}},
		{"received_at over a year ago", with(map[string]any{"received_at": time.Now().AddDate(-1, 0, -2).Format(time.RFC3339)}), 400,
			map[string]string{"received_at": "must not be more than 365 days ago"}},
		{"NUL bytes in ids and names", with(map[string]any{"customer_id": "C-\x001001", "customer_name": "Shanghai\x00",
			"contact_name": "Wang\x00Fang", "order_number": "SO\x00", "contract_number": "K\x00"}), 400,
			map[string]string{"customer_id": "must not contain control characters", "customer_name": "must not contain control characters",
				"contact_name": "must not contain control characters", "order_number": "must not contain control characters",
				"contract_number": "must not contain control characters"}},
		{"line break in a name", with(map[string]any{"contact_name": "Wang\nFang"}), 400,
			map[string]string{"contact_name": "must not contain control characters"}},
		{"NUL and escape in free text", with(map[string]any{"description": "pump\x00", "customer_demand": "\x1b[2J"}), 400,
			map[string]string{"description": "must not contain control characters other than tab and line breaks",
				"customer_demand": "must not contain control characters other than tab and line breaks"}},
		{"invalid UTF-8", "{\"customer_id\":\"C-1001\",\"customer_name\":\"H\\udc00\",\"contact_name\":\"W\",\"description\":\"caf\xe9\"}", 400,
			map[string]string{"customer_name": "must be valid UTF-8 text", "description": "must be valid UTF-8 text"}},
		{"whitespace-only required fields", with(map[string]any{"customer_id": "   ", "customer_name": "\t", "contact_name": "\u3000", "description": " \r\n "}), 400,
			map[string]string{"customer_id": "is required", "customer_name": "is required", "contact_name": "is required", "description": "is required"}},
		{"5,000-character customer id and contract number", with(map[string]any{"customer_id": strings.Repeat("C", 5000),
			"contract_number": strings.Repeat("K", 5000)}), 400,
			map[string]string{"customer_id": "must be at most 64 characters", "contract_number": "must be at most 64 characters"}},
		{"unknown contract number", with(map[string]any{"contract_number": "K-404"}), 400,
			map[string]string{"contract_number": "names no contract of customer C-1001"}},
		{"unknown field", with(map[string]any{"custmer_id": "x"}), 400, map[string]string{"custmer_id": "is not a known field"}},
		{"not JSON", "{not json", 400, map[string]string{"body": "must be valid JSON"}},
		{"empty body", "", 400, map[string]string{"body": "is required"}},
		{"a list instead of an object", "[1,2]", 400, map[string]string{"body": "must be a JSON object"}},
		{"too large", `{"description":"` + strings.Repeat("x", 2<<20) + `"}`, 413, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := api.do(http.MethodPost, "/api/v1/complaints", tt.body, nil)
			require.Equal(t, tt.status, status, "%v", body)
			errBody := body["error"].(map[string]any)
			require.NotEmpty(t, errBody["code"])
			require.NotEmpty(t, errBody["message"])
			if tt.fields != nil {
				fields := map[string]string{}
				for k, v := range errBody["fields"].(map[string]any) {
					fields[k] = v.(string)
				}
				require.Equal(t, tt.fields, fields)
			}
		})
	}
	require.Zero(t, countRows(t, stack, "complaints"), "nothing is stored for refused requests")
	require.Zero(t, countWorkflows(t, stack.Client, stack.Config.Namespace, caseWorkflows), "no workflow is started")

	status, body := api.do(http.MethodGet, "/api/v1/complaints/no-such-case", nil, nil)
	require.Equal(t, http.StatusNotFound, status)
	require.Equal(t, "not_found", body["error"].(map[string]any)["code"])
}
