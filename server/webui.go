package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"go.temporal.io/api/workflowservice/v1"
)

// WebUI is the Temporal Web UI a dev stack serves next to the API.
type WebUI struct {
	// URL is the UI's base URL, "http://host:port".
	URL       string
	Namespace string
}

// runningQuery asks for running workflows; one is enough to tell an empty
// list from one that shows the open cases.
const runningQuery = `ExecutionStatus="Running"`

var uiListQuery = url.Values{"query": {runningQuery}, "pageSize": {"1"}}.Encode()

// checkWebUI reports whether the UI's workflow list answers and shows a
// running workflow whenever Temporal lists one. Right after a restart the
// UI answers its namespace before its list shows anything, so a person
// sent there by a ready stack would see no workflows. Temporal is asked
// first, so a workflow started in between cannot fail the check.
func (h *handlers) checkWebUI(ctx context.Context) error {
	running, err := h.temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
		PageSize: 1, Query: runningQuery})
	if err != nil {
		return fmt.Errorf("running workflows: %w", err)
	}
	list := h.webUI.URL + "/api/v1/namespaces/" + url.PathEscape(h.webUI.Namespace) + "/workflows?" + uiListQuery
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, list, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("workflow list: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("workflow list answered %s", resp.Status)
	}
	var page struct {
		Executions []json.RawMessage `json:"executions"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil {
		return fmt.Errorf("workflow list: %w", err)
	}
	if len(page.Executions) == 0 && len(running.GetExecutions()) > 0 {
		return errors.New("workflow list shows no running workflow while Temporal lists one")
	}
	return nil
}
