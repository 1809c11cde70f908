package app_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/temporalembed"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestProductionCommands runs `migrate`, `server` and `worker` as separate
// commands against a Temporal server and a case store they do not own, the
// shape of a production deployment, and registers a complaint through them.
func TestProductionCommands(t *testing.T) {
	temporal, err := temporalembed.Start(t.Context(), temporalembed.Config{
		FrontendAddr: "127.0.0.1:0", DataDir: t.TempDir(), Namespace: "temporal-bootstrap",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	t.Cleanup(temporal.Stop)

	dir := t.TempDir()
	env := map[string]string{
		"TEMPORAL_ADDRESS":      temporal.FrontendAddr(),
		"TEMPORAL_NAMESPACE":    "caseflow-prod",
		"DATABASE_URL":          "sqlite:" + filepath.Join(dir, "cases.db"),
		"CASEFLOW_HTTP_ADDR":    freeAddr(t),
		"CASEFLOW_METRICS_ADDR": freeAddr(t),
		"CASEFLOW_LOG_LEVEL":    "error",
	}
	// Server and worker refuse to start without the key that signs actors.
	for _, cmd := range []string{"server", "worker"} {
		err := app.Run(t.Context(), []string{cmd}, envOf(env), io.Discard, io.Discard)
		require.ErrorContains(t, err, "CASEFLOW_ACTOR_KEYS is not set", cmd)
	}
	keys, err := actorsig.Generate()
	require.NoError(t, err)
	env["CASEFLOW_ACTOR_KEYS"] = keys.String()
	// Nor without the keyring that seals what they store in Temporal;
	// migrate neither, as it writes the schedules' arguments.
	for _, cmd := range []string{"server", "worker", "migrate"} {
		err := app.Run(t.Context(), []string{cmd}, envOf(env), io.Discard, io.Discard)
		require.ErrorContains(t, err, "CASEFLOW_KEYRING is not set", cmd)
	}
	env["CASEFLOW_KEYRING"] = testKeyring(t)
	// A bad setting stops the command at start, naming the variable.
	for cmd, bad := range map[string][2]string{
		"server":  {"CASEFLOW_TOKEN_CACHE_TTL", "soon"},
		"worker":  {"CASEFLOW_WORKFLOW_CACHE_SIZE", "many"},
		"migrate": {"CASEFLOW_DB_MAX_CONNS", "lots"},
	} {
		badEnv := maps.Clone(env)
		badEnv[bad[0]] = bad[1]
		err := app.Run(t.Context(), []string{cmd}, envOf(badEnv), io.Discard, io.Discard)
		require.ErrorContains(t, err, bad[0], cmd)
	}
	var out bytes.Buffer
	// migrate creates the namespace and the search attributes; twice is fine.
	for range 2 {
		require.NoError(t, app.Run(t.Context(), []string{"migrate"}, envOf(env), &out, io.Discard))
	}

	// A user to call the API with, made by the users command on the same store.
	require.NoError(t, app.Run(t.Context(), []string{"users", "add", "--name", "Prod Agent",
		"--department", "after_sales", "--role", "agent"}, envOf(env), &out, io.Discard))
	token := regexp.MustCompile(`cf_[A-Za-z0-9_-]+`).FindString(out.String())
	require.NotEmpty(t, token, out.String())

	ctx, stop := context.WithCancel(t.Context())
	done := make(chan error, 2)
	// Each process serves /metrics on its own address, never on the API port.
	serverEnv := maps.Clone(env)
	serverEnv["CASEFLOW_METRICS_ADDR"] = freeAddr(t)
	go func() { done <- app.Run(ctx, []string{"worker"}, envOf(env), io.Discard, io.Discard) }()
	go func() { done <- app.Run(ctx, []string{"server"}, envOf(serverEnv), io.Discard, io.Discard) }()
	base := "http://" + env["CASEFLOW_HTTP_ADDR"]
	var stopped []error // a command that stopped before the server was ready says why
	eventually(t, func() bool {
		select {
		case err := <-done:
			stopped = append(stopped, err)
			return true
		default:
		}
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "the server is ready")
	require.Empty(t, stopped, "a command stopped before the server was ready")
	resp, err := http.Get("http://" + env["CASEFLOW_METRICS_ADDR"] + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, "the worker serves metrics")
	eventually(t, func() bool {
		resp, err := http.Get("http://" + serverEnv["CASEFLOW_METRICS_ADDR"] + "/metrics")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, "the server serves metrics on its metrics address")
	// The containers' healthchecks: the worker's /healthz on its metrics
	// address, the server's /readyz.
	require.NoError(t, app.Run(t.Context(), []string{"healthcheck"}, envOf(env), io.Discard, io.Discard))
	require.NoError(t, app.Run(t.Context(), []string{"healthcheck", "--url", base + "/readyz"}, envOf(env), io.Discard, io.Discard))
	resp, err = http.Get(base + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "not on the API port")
	// Profiles on the worker's metrics address, where its memory goes.
	resp, err = http.Get("http://" + env["CASEFLOW_METRICS_ADDR"] + "/debug/pprof/goroutine?debug=1")
	require.NoError(t, err)
	profile, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(profile), "go.temporal.io/sdk", "the worker's goroutines")
	resp, err = http.Get(base + "/debug/pprof/")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "profiles are not on the API port")

	api := apiClient{t: t, base: base, token: token}
	status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	require.Equal(t, "standard", created["sla_policy"])
	status, got := api.do(http.MethodGet, "/api/v1/complaints/"+created["id"].(string), nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, created["case_number"], got["case_number"])

	stop()
	for range 2 {
		require.NoError(t, <-done, "server and worker shut down cleanly")
	}
}

func TestUsersCommand(t *testing.T) {
	env := map[string]string{"CASEFLOW_DATA_DIR": t.TempDir()}
	run := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := app.Run(t.Context(), append([]string{"users"}, args...), envOf(env), &out, io.Discard)
		return out.String(), err
	}
	out, err := run("add", "--name", "Li Na", "--department", "quality", "--role", "approver,engineer", "--email", "li@example.com")
	require.NoError(t, err)
	userID := regexp.MustCompile(`user (\S+) \(Li Na, quality, approver,engineer\)`).FindStringSubmatch(out)
	require.Len(t, userID, 2, out)
	require.Regexp(t, `cf_[A-Za-z0-9_-]{40,}`, out)

	out, err = run("token", userID[1])
	require.NoError(t, err)
	tokenID := regexp.MustCompile(`token (\S+) for user`).FindStringSubmatch(out)
	require.Len(t, tokenID, 2, out)

	out, err = run("revoke", tokenID[1])
	require.NoError(t, err)
	require.Contains(t, out, "revoked")

	out, err = run("list")
	require.NoError(t, err)
	require.Contains(t, out, "Li Na")
	require.Contains(t, out, "revoked")
	require.Contains(t, out, "active")
	require.NotRegexp(t, `cf_[A-Za-z0-9_-]{40,}`, out, "listings never show a secret")

	for _, bad := range [][]string{
		{"add", "--name", "X", "--department", "marketing", "--role", "agent"},
		{"add", "--name", "X", "--department", "sales", "--role", "boss"},
		{"add", "--department", "sales", "--role", "agent"},
		{"revoke"},
		{"frobnicate"},
	} {
		_, err := run(bad...)
		require.ErrorIs(t, err, app.ErrUsage, "%v", bad)
	}
	_, err = run("token", "no-such-user")
	require.Error(t, err)
}
