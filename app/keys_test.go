package app_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/payloadcrypt"
)

// TestKeysCommand rotates the payload keyring of a running stack the way
// the README says: a new key first, then rewrap, and status shows which
// keys are still referenced, by data keys and by history payloads.
func TestKeysCommand(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, app.Run(t.Context(), []string{"keys", "new", "k2027"}, envOf(nil), &out, io.Discard))
	newLine := strings.TrimSpace(out.String())
	require.Regexp(t, `^k2027:[A-Za-z0-9+/]{43}=$`, newLine)

	dir := t.TempDir()
	stack := startStack(t, devConfig(dir, nil))
	status, created := agent(t, stack).do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	raw, err := os.ReadFile(filepath.Join(dir, app.KeyringFile))
	require.NoError(t, err)
	oldLine := strings.TrimSpace(string(raw))
	oldID, _, _ := strings.Cut(oldLine, ":")

	env := map[string]string{"CASEFLOW_DATA_DIR": dir, "TEMPORAL_ADDRESS": stack.Config.TemporalAddress}
	keys := func(keyring string, args ...string) string {
		t.Helper()
		env["CASEFLOW_KEYRING"] = keyring
		var out bytes.Buffer
		require.NoError(t, app.Run(t.Context(), append([]string{"keys"}, args...), envOf(env), &out, io.Discard))
		return out.String()
	}
	row := func(report, id string) []string {
		t.Helper()
		for _, line := range strings.Split(report, "\n") {
			if strings.HasPrefix(line, id+" ") {
				return regexp.MustCompile(`\s{2,}`).Split(strings.TrimSpace(line), -1)
			}
		}
		require.Failf(t, "no row", "%s in:\n%s", id, report)
		return nil
	}

	// The dev stack's own key wraps the case's data key, which sealed its
	// history; nothing is in the clear.
	report := keys("", "status")
	require.Equal(t, []string{oldID, "active (encrypts)", "1", "0"}, row(report, oldID), report)
	require.Regexp(t, `1 workflows read: [1-9]\d* payloads sealed by data keys, 0 plain`, report)

	// Rotated: the new key first; the old one still wraps the data key.
	rotated := newLine + "\n" + oldLine
	report = keys(rotated, "status", "--store-only")
	require.Equal(t, []string{"k2027", "active (encrypts)", "0", "-"}, row(report, "k2027"))
	require.Equal(t, []string{oldID, "decrypts", "1", "-"}, row(report, oldID))

	// Dropped too early, the old key is reported missing: it still wraps one.
	report = keys(newLine, "status", "--store-only")
	require.Equal(t, []string{oldID, "MISSING from the keyring", "1", "-"}, row(report, oldID), report)

	require.Contains(t, keys(rotated, "rewrap"), "1 data keys rewrapped with k2027")
	report = keys(rotated, "status", "--store-only")
	require.Equal(t, []string{"k2027", "active (encrypts)", "1", "-"}, row(report, "k2027"))
	require.Equal(t, []string{oldID, "decrypts", "0", "-"}, row(report, oldID))

	require.Contains(t, keys(rotated, "rewrap"), "0 data keys rewrapped with k2027", "a second rewrap has nothing to do")
	// Nothing needs the old key any more: a keyring without it misses nothing.
	report = keys(newLine, "status")
	require.NotContains(t, report, oldID)
	require.Equal(t, []string{"k2027", "active (encrypts)", "1", "0"}, row(report, "k2027"))

	// The rewrapped data key opens the case's payloads with the new keyring.
	history := readHistory(t, stack.Client, "complaint-"+created["id"].(string))
	ring, err := payloadcrypt.ParseKeyring(rotated)
	require.NoError(t, err)
	stack.Payloads.Forget("complaint-" + created["id"].(string))
	fresh := payloadcrypt.NewCodec(ring, payloadcrypt.Options{DataKeys: app.StoreDataKeys(stack.Store), DataKeyFor: func(string) bool { return true }})
	start := history.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetInput().GetPayloads()
	opened, err := fresh.Decode(start)
	require.NoError(t, err)
	require.Contains(t, string(opened[0].GetData()), "Wang Fang")
}
