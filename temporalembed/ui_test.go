package temporalembed

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
)

// uiClient calls the Web UI's HTTP API as its pages do: with the CSRF
// cookie the UI hands out and the matching header.
type uiClient struct {
	t    *testing.T
	base string
	hc   *http.Client
}

func newUIClient(t *testing.T, base string) uiClient {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := uiClient{t: t, base: base, hc: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	status, _ := c.do(http.MethodGet, "/api/v1/settings", "")
	require.Equal(t, http.StatusOK, status)
	return c
}

func (c uiClient) do(method, path, body string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, strings.NewReader(body))
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	u, err := url.Parse(c.base)
	require.NoError(c.t, err)
	for _, ck := range c.hc.Jar.Cookies(u) {
		if ck.Name == "_csrf" {
			req.Header.Set("X-CSRF-TOKEN", ck.Value)
		}
	}
	resp, err := c.hc.Do(req)
	require.NoError(c.t, err)
	defer func() { _ = resp.Body.Close() }()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp.StatusCode, string(raw)
}

// TestUIIsReadOnlyByDefault: terminate, signal and cancel through the UI's
// HTTP API are refused and leave the workflow running, also by paths made to
// look like a query; queries and reads still work. A UI with write actions
// turned on terminates with the very same request.
func TestUIIsReadOnlyByDefault(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	s, err := Start(ctx, Config{FrontendAddr: "127.0.0.1:0", UIAddr: "127.0.0.1:0", DataDir: t.TempDir(),
		Namespace: testNamespace, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	require.NoError(t, err)
	t.Cleanup(s.Stop)
	c := dial(t, s)
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: "ui-read-only", TaskQueue: testTaskQueue}, waitForSignal)
	require.NoError(t, err)

	wf := "/api/v1/namespaces/" + testNamespace + "/workflows/" + run.GetID()
	ui := newUIClient(t, s.UIURL())
	status, body := ui.do(http.MethodGet, wf, "")
	require.Equal(t, http.StatusOK, status, "reads work: %s", body)
	for _, write := range []struct{ name, path, body string }{
		{"terminate", wf + "/terminate", `{"reason":"from the UI"}`},
		{"cancel", wf + "/cancel", `{"reason":"from the UI"}`},
		{"signal", wf + "/signal/go", `{"input":{"payloads":[]}}`},
		{"update", wf + "/update/approvals", `{}`},
		{"terminate behind a query-like path", wf + "/query/../terminate", `{"reason":"from the UI"}`},
		{"start", "/api/v1/namespaces/" + testNamespace + "/workflows/another", `{"workflowType":{"name":"waitForSignal"}}`},
	} {
		status, body := ui.do(http.MethodPost, write.path, write.body)
		require.Equal(t, http.StatusMethodNotAllowed, status, "%s: %s", write.name, body)
	}
	desc, err := c.DescribeWorkflowExecution(ctx, run.GetID(), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, desc.GetWorkflowExecutionInfo().GetStatus())

	// The same request through a UI with write actions on terminates.
	writable, err := newUIServer("127.0.0.1:0", s.FrontendAddr(), testNamespace, true, "")
	require.NoError(t, err)
	writable.start()
	t.Cleanup(writable.stop)
	require.NoError(t, writable.waitReady(ctx))
	status, body = newUIClient(t, writable.url).do(http.MethodPost, wf+"/terminate", `{"reason":"debugging"}`)
	require.Equal(t, http.StatusOK, status, body)
	desc, err = c.DescribeWorkflowExecution(ctx, run.GetID(), "")
	require.NoError(t, err)
	require.Equal(t, enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED, desc.GetWorkflowExecutionInfo().GetStatus())
}
