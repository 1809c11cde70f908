package app_test

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// TestHealthcheck runs `caseflow healthcheck` against real HTTP servers: it
// passes on 200 only and says why in one line otherwise.
func TestHealthcheck(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}))
	t.Cleanup(healthy.Close)
	notReady := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("{\"error\":{\"message\":\"not ready\",\n\"fields\":{\"temporal\":\"unavailable\"}}}"))
	}))
	t.Cleanup(notReady.Close)
	// Answers only once the caller has given up.
	hanging := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	t.Cleanup(hanging.Close)
	_, port, err := net.SplitHostPort(healthy.Listener.Addr().String())
	require.NoError(t, err)

	for _, tc := range []struct {
		name    string
		env     map[string]string
		args    []string
		failure string // "" for healthy
	}{
		{name: "metrics address on every interface", env: map[string]string{"CASEFLOW_METRICS_ADDR": "0.0.0.0:" + port}},
		{name: "metrics address on every IPv6 interface", env: map[string]string{"CASEFLOW_METRICS_ADDR": "[::]:" + port}},
		{name: "metrics address without host", env: map[string]string{"CASEFLOW_METRICS_ADDR": ":" + port}},
		{name: "--addr overrides the metrics address", env: map[string]string{"CASEFLOW_METRICS_ADDR": freeAddr(t)},
			args: []string{"--addr", healthy.Listener.Addr().String()}},
		{name: "--url", args: []string{"--url", healthy.URL + "/healthz"}},
		{name: "not 200", args: []string{"--url", notReady.URL + "/readyz"},
			failure: `503 Service Unavailable: {"error":{"message":"not ready", "fields":{"temporal":"unavailable"}}}`},
		{name: "another path answers 404", args: []string{"--url", healthy.URL + "/readyz"}, failure: "404 Not Found"},
		{name: "refused", env: map[string]string{"CASEFLOW_METRICS_ADDR": freeAddr(t)}, failure: "connection refused"},
		{name: "timeout", args: []string{"--url", hanging.URL + "/healthz", "--timeout", "200ms"},
			failure: "did not answer within 200ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := app.Run(t.Context(), append([]string{"healthcheck"}, tc.args...), envOf(tc.env), &out, io.Discard)
			if tc.failure == "" {
				require.NoError(t, err)
				require.Contains(t, out.String(), "answered 200")
				return
			}
			require.Error(t, err)
			require.NotErrorIs(t, err, app.ErrUsage)
			require.Contains(t, err.Error(), tc.failure)
			require.NotContains(t, err.Error(), "\n", "one line")
		})
	}
}

func TestHealthcheckRefusesWhatItCannotProbe(t *testing.T) {
	for _, args := range [][]string{
		{"--url", "http://127.0.0.1:1/healthz", "--addr", "127.0.0.1:1"},
		{"--url", "ftp://127.0.0.1/healthz"},
		{"--url", "/healthz"},
		{"--addr", "no-port"},
		{"--timeout", "0s"},
		{"--frobnicate"},
		{"extra"},
	} {
		err := app.Run(t.Context(), append([]string{"healthcheck"}, args...), envOf(nil), io.Discard, io.Discard)
		require.ErrorIs(t, err, app.ErrUsage, "%v", args)
	}
}

func TestHelpListsHealthcheck(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, app.Run(t.Context(), []string{"help"}, envOf(nil), &out, io.Discard))
	require.True(t, strings.Contains(out.String(), "\n  healthcheck"), out.String())
	require.Contains(t, out.String(), "--url URL")
}
