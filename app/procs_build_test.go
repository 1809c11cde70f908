//go:build fault || drill

package app_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
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
