package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/store/storetest"
)

// stackBackend is one persistence setup of the embedded stack.
type stackBackend struct {
	name string
	// env adds variables to the stack's environment.
	env func(t testing.TB) map[string]string
}

func stackBackends() []stackBackend {
	backends := []stackBackend{{name: "sqlite", env: func(testing.TB) map[string]string { return nil }}}
	if os.Getenv(storetest.EnvDatabaseURL) != "" {
		backends = append(backends, stackBackend{name: "postgres", env: func(t testing.TB) map[string]string {
			return map[string]string{
				"DATABASE_URL":                   storetest.FreshPostgresDatabase(t, "caseflow_cases"),
				"CASEFLOW_TEMPORAL_DATABASE_URL": storetest.FreshPostgresDatabase(t, "caseflow_temporal"),
			}
		}})
	}
	return backends
}

// devConfig is the embedded stack on free loopback ports in dataDir.
func devConfig(dataDir string, extra map[string]string) app.Config {
	env := map[string]string{
		"TEMPORAL_ADDRESS":      "127.0.0.1:0",
		"CASEFLOW_UI_ADDR":      "127.0.0.1:0",
		"CASEFLOW_HTTP_ADDR":    "127.0.0.1:0",
		"CASEFLOW_METRICS_ADDR": "127.0.0.1:0",
		"CASEFLOW_DATA_DIR":     dataDir,
	}
	for k, v := range extra {
		env[k] = v
	}
	return app.LoadConfig(func(k string) string { return env[k] }, true)
}

func startStack(t testing.TB, cfg app.Config) *app.Stack {
	t.Helper()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	s, err := app.StartDev(t.Context(), cfg, logger)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// apiClient calls the HTTP API and decodes JSON answers.
type apiClient struct {
	t     testing.TB
	base  string
	token string
}

// as returns a client that calls the API as the stack's demo user of a
// department and role.
func as(t testing.TB, stack *app.Stack, department, role string) apiClient {
	t.Helper()
	for _, u := range stack.DemoUsers {
		if u.Department == department && slices.Equal(u.Roles, []string{role}) {
			return apiClient{t: t, base: stack.APIURL(), token: u.Token}
		}
	}
	t.Fatalf("no demo user %s/%s", department, role)
	return apiClient{}
}

// agent is the after-sales agent who registers and works cases.
func agent(t testing.TB, stack *app.Stack) apiClient { return as(t, stack, "after_sales", "agent") }

func (c apiClient) do(method, path string, body any, headers map[string]string) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	var sent []byte
	switch b := body.(type) {
	case nil:
	case string:
		sent = []byte(b)
		rd = bytes.NewReader(sent)
	default:
		raw, err := json.Marshal(b)
		require.NoError(c.t, err)
		sent = raw
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, rd)
	require.NoError(c.t, err)
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(c.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	checkOpenAPI(c.t, req, sent, resp, raw)
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		require.NoError(c.t, json.Unmarshal(raw, &out), "body: %s", raw)
	}
	return resp.StatusCode, out
}

// testParts numbers the part of each complaint validComplaint makes.
var testParts atomic.Int64

func validComplaint() map[string]any {
	return map[string]any{
		"customer_id":     "C-1001",
		"customer_name":   "Shanghai General Hospital",
		"contact_name":    "Wang Fang",
		"contact_phone":   "+86 21 5555 0101",
		"channel":         "phone",
		"description":     "infusion pump alarms during operation",
		"customer_demand": "replace the pump",
		"category":        "quality",
		"severity":        "severe",
		"order_number":    "SO-2026-0042",
		// A part of its own, so that no test's cases are recurrences of
		// another's unless it says so.
		"part_number":        fmt.Sprintf("P-T%05d", testParts.Add(1)),
		"ship_date":          "2026-01-15",
		"quantity":           10,
		"defective_quantity": 2,
		"received_at":        time.Now().Add(-30 * time.Minute).UTC().Format(time.RFC3339),
		// Tests that name another customer_id add it to the archive this way.
		"new_customer": map[string]any{"name": "Shanghai General Hospital", "sla_policy": "standard"},
	}
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, cond func() bool, msg string) {
	t.Helper()
	require.Eventually(t, cond, 20*time.Second, 50*time.Millisecond, msg)
}
