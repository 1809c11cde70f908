package server_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/mocks"

	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestReadyzWaitsForTheWebUIList: where a Web UI is served, /readyz is
// ready only once the UI's workflow list answers and shows a running
// workflow whenever Temporal lists one; without a UI it is not asked.
func TestReadyzWaitsForTheWebUIList(t *testing.T) {
	st, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	one := []*workflowpb.WorkflowExecutionInfo{{}}
	for _, tc := range []struct {
		name          string
		ui            bool
		uiStatus      int
		uiExecutions  int
		running       []*workflowpb.WorkflowExecutionInfo
		wantStatus    int
		wantUIProblem bool
	}{
		{name: "no UI served", wantStatus: http.StatusOK},
		{name: "the UI lists what Temporal lists", ui: true, uiStatus: http.StatusOK, uiExecutions: 1, running: one,
			wantStatus: http.StatusOK},
		{name: "nothing runs and the UI lists nothing", ui: true, uiStatus: http.StatusOK,
			wantStatus: http.StatusOK},
		{name: "the UI lists nothing while a workflow runs", ui: true, uiStatus: http.StatusOK, running: one,
			wantStatus: http.StatusServiceUnavailable, wantUIProblem: true},
		{name: "the UI's list fails", ui: true, uiStatus: http.StatusServiceUnavailable,
			wantStatus: http.StatusServiceUnavailable, wantUIProblem: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			temporal := mocks.NewClient(t)
			temporal.On("CheckHealth", mock.Anything, mock.Anything).Return(nil, nil)
			deps := server.Deps{Store: st, Temporal: temporal, Logger: slog.New(slog.DiscardHandler),
				Metrics: prometheus.NewRegistry()}
			if tc.ui {
				temporal.On("ListWorkflow", mock.Anything, mock.MatchedBy(func(r *workflowservice.ListWorkflowExecutionsRequest) bool {
					return r.GetQuery() == `ExecutionStatus="Running"`
				})).Return(&workflowservice.ListWorkflowExecutionsResponse{Executions: tc.running}, nil)
				ui := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					require.Equal(t, "/api/v1/namespaces/caseflow/workflows", r.URL.Path)
					require.Equal(t, `ExecutionStatus="Running"`, r.URL.Query().Get("query"))
					w.WriteHeader(tc.uiStatus)
					_ = json.NewEncoder(w).Encode(map[string]any{"executions": make([]map[string]any, tc.uiExecutions)})
				}))
				t.Cleanup(ui.Close)
				deps.WebUI = server.WebUI{URL: ui.URL, Namespace: "caseflow"}
			}
			rec := httptest.NewRecorder()
			server.NewRouter(deps).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			require.Equal(t, tc.wantStatus, rec.Code, rec.Body.String())
			var body struct {
				Checks map[string]string  `json:"checks"`
				Error  server.ErrorDetail `json:"error"`
			}
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			if tc.wantUIProblem {
				require.Contains(t, body.Error.Fields, "web_ui")
				require.NotContains(t, body.Error.Fields, "store")
				return
			}
			if tc.ui {
				require.Equal(t, "ok", body.Checks["web_ui"])
			} else {
				require.NotContains(t, body.Checks, "web_ui")
			}
		})
	}
}
