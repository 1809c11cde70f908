//go:build fault || drill

package app_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/app"
)

// buildCaseflow builds the real binary once; the build cache makes it quick
// after the first time.
func buildCaseflow(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "caseflow")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./cmd/caseflow")
	cmd.Dir = ".." // the test runs in app/
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// demoTokens reads the demo users' tokens that a dev process wrote to
// its data dir, by "department/role".
func demoTokens(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dataDir, app.DemoUsersFile))
	require.NoError(t, err)
	var demo []accounts.DemoUser
	require.NoError(t, json.Unmarshal(raw, &demo))
	tokens := map[string]string{}
	for _, u := range demo {
		tokens[u.Department+"/"+u.Roles[0]] = u.Token
	}
	return tokens
}
