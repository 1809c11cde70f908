package app_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"maps"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// loopbackWebhooks lets webhooks reach the tests' receivers, which listen
// on loopback over http; without it both are refused.
var loopbackWebhooks = map[string]string{
	"CASEFLOW_WEBHOOK_ALLOW_HTTP": "true",
	"CASEFLOW_WEBHOOK_ALLOW":      "127.0.0.0/8",
}

func TestUsersAddChecksWebhook(t *testing.T) {
	env := map[string]string{"CASEFLOW_DATA_DIR": t.TempDir()}
	run := func(env map[string]string, args ...string) (string, error) {
		var out bytes.Buffer
		err := app.Run(t.Context(), append([]string{"users"}, args...), envOf(env), &out, io.Discard)
		return out.String(), err
	}
	add := func(env map[string]string, hook string) error {
		_, err := run(env, "add", "--name", "Desk", "--department", "after_sales", "--role", "agent", "--webhook", hook)
		return err
	}
	for hook, want := range map[string]string{
		"file:///etc/passwd":                       "--webhook must use https",
		"http://169.254.169.254/latest/meta-data/": "--webhook must use https",
		"https://169.254.169.254/latest/meta-data": "--webhook 169.254.169.254 is not a public address",
		"https://[::1]:9000/hook":                  "--webhook ::1 is not a public address",
		"https://127.0.0.1:9000/hook":              "--webhook 127.0.0.1 is not a public address",
	} {
		err := add(env, hook)
		require.ErrorIs(t, err, app.ErrUsage, hook)
		require.ErrorContains(t, err, want)
	}
	out, err := run(env, "list")
	require.NoError(t, err)
	require.NotContains(t, out, "Desk", "refused users are not stored")

	allowing := maps.Clone(env)
	maps.Copy(allowing, loopbackWebhooks)
	require.NoError(t, add(allowing, "http://127.0.0.1:9000/hook"))
	require.NoError(t, add(env, "https://hooks.example.com/x"))
	out, err = run(env, "list")
	require.NoError(t, err)
	require.Contains(t, out, "Desk")
}

// TestWebhookSettingsFailFast: every process refuses to start on a default
// webhook it may not call, or on settings it cannot read, before it
// connects to anything, and says which setting is wrong.
func TestWebhookSettingsFailFast(t *testing.T) {
	dir := t.TempDir()
	base := map[string]string{
		"CASEFLOW_DATA_DIR":       dir,
		"DATABASE_URL":            "sqlite:" + filepath.Join(dir, "cases.db"),
		"TEMPORAL_ADDRESS":        "127.0.0.1:1", // nothing listens: reaching it would fail differently
		"CASEFLOW_WEBHOOK_SECRET": "s",
		"CASEFLOW_WEBHOOK_URL":    "https://hooks.example.com/x?key=topsecret",
		"CASEFLOW_HTTP_ADDR":      "127.0.0.1:0",
		"CASEFLOW_METRICS_ADDR":   "127.0.0.1:0",
		"CASEFLOW_UI_ADDR":        "127.0.0.1:0",
		"CASEFLOW_WEBHOOK_ALLOW":  "",
		// A valid key, so the commands get as far as the webhook settings.
		"CASEFLOW_ACTOR_KEYS": "k1:" + base64.StdEncoding.EncodeToString(make([]byte, 32)),
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"http default", map[string]string{"CASEFLOW_WEBHOOK_URL": "http://hooks.example.com/x?key=topsecret"},
			"CASEFLOW_WEBHOOK_URL must use https"},
		{"metadata default", map[string]string{"CASEFLOW_WEBHOOK_URL": "https://169.254.169.254/x?key=topsecret"},
			"CASEFLOW_WEBHOOK_URL 169.254.169.254 is not a public address; an allow-list (CASEFLOW_WEBHOOK_ALLOW) can name it"},
		{"unreadable allow-list", map[string]string{"CASEFLOW_WEBHOOK_ALLOW": "10.0.0.0/33"},
			`CASEFLOW_WEBHOOK_ALLOW_HTTP, CASEFLOW_WEBHOOK_ALLOW: allow list: "10.0.0.0/33" is neither a CIDR, an address nor a host name`},
		{"unreadable http switch", map[string]string{"CASEFLOW_WEBHOOK_ALLOW_HTTP": "sometimes"},
			`CASEFLOW_WEBHOOK_ALLOW_HTTP, CASEFLOW_WEBHOOK_ALLOW: allow http: "sometimes" is not true or false`},
	} {
		for _, command := range []string{"server", "worker", "dev"} {
			t.Run(tc.name+"/"+command, func(t *testing.T) {
				env := maps.Clone(base)
				maps.Copy(env, tc.env)
				err := app.Run(t.Context(), []string{command}, envOf(env), io.Discard, io.Discard)
				require.EqualError(t, err, tc.want)
				require.NotContains(t, err.Error(), "topsecret")
			})
		}
	}
}
