package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadyOnlyOnceTheWebUIListsTheCases restarts the dev stack with a case
// open and finds that once /readyz answers ready, the Web UI's workflow
// list shows the case's workflow: a person sent to the UI by a ready stack
// does not find it empty.
func TestReadyOnlyOnceTheWebUIListsTheCases(t *testing.T) {
	cfg := devConfig(t.TempDir(), nil)
	stack := startStack(t, cfg)
	api := agent(t, stack)
	status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	status, ready := api.do(http.MethodGet, "/readyz", nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", ready)
	require.Equal(t, "ok", ready["checks"].(map[string]any)["web_ui"], "the dev stack checks its Web UI")
	require.NoError(t, stack.Close())

	restarted := startStack(t, cfg)
	api = apiClient{t: t, base: restarted.APIURL(), token: api.token}
	eventually(t, func() bool {
		status, _ := api.do(http.MethodGet, "/readyz", nil, nil)
		return status == http.StatusOK
	}, "the restarted stack is ready")
	list := restarted.Temporal.UIURL() + "/api/v1/namespaces/" + cfg.Namespace + "/workflows?" +
		url.Values{"query": {`ExecutionStatus="Running"`}}.Encode()
	resp, err := http.Get(list)
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var page struct {
		Executions []struct {
			Execution struct {
				WorkflowID string `json:"workflowId"`
			} `json:"execution"`
		} `json:"executions"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&page))
	var ids []string
	for _, e := range page.Executions {
		ids = append(ids, e.Execution.WorkflowID)
	}
	require.Contains(t, ids, "complaint-"+created["id"].(string), "the UI lists the open case once ready")
}
