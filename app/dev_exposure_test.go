package app_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// TestDevTemporalStaysOnLoopback: dev's Temporal frontend and Web UI
// authenticate no one, so dev refuses to serve them anywhere but loopback.
func TestDevTemporalStaysOnLoopback(t *testing.T) {
	for _, tt := range []struct{ name, value, want string }{
		{"TEMPORAL_ADDRESS", "0.0.0.0:0", "TEMPORAL_ADDRESS=0.0.0.0:0: caseflow dev serves Temporal without authentication"},
		{"CASEFLOW_UI_ADDR", "0.0.0.0:0", "CASEFLOW_UI_ADDR=0.0.0.0:0: caseflow dev serves Temporal without authentication"},
		{"CASEFLOW_UI_WRITE_ACTIONS", "yes please", `CASEFLOW_UI_WRITE_ACTIONS="yes please"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := app.StartDev(t.Context(), devConfig(t.TempDir(), map[string]string{tt.name: tt.value}),
				slog.New(slog.NewTextHandler(io.Discard, nil)))
			require.ErrorContains(t, err, tt.want)
		})
	}
}

// TestDevUIIsReadOnlyUnlessAsked reads the settings the dev Web UI runs with
// (the refusal of its writes is tested in temporalembed).
func TestDevUIIsReadOnlyUnlessAsked(t *testing.T) {
	for _, tt := range []struct {
		env      map[string]string
		readOnly bool
	}{
		{nil, true},
		{map[string]string{"CASEFLOW_UI_WRITE_ACTIONS": "true"}, false},
	} {
		stack := startStack(t, devConfig(t.TempDir(), tt.env))
		resp, err := http.Get(stack.Temporal.UIURL() + "/api/v1/settings")
		require.NoError(t, err)
		var settings struct{ DisableWriteActions, WorkflowTerminateDisabled bool }
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&settings))
		resp.Body.Close()
		require.Equal(t, tt.readOnly, settings.DisableWriteActions, "%v", tt.env)
		require.Equal(t, tt.readOnly, settings.WorkflowTerminateDisabled, "%v", tt.env)
		require.NoError(t, stack.Close())
	}
}
