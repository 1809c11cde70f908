package workflows_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/caseflow/caseflow/workflows"
)

// TestReplayRecordedHistories replays the histories recorded by
// TestRecordHistories against today's workflow code: a change that would
// break running cases fails here (it then needs workflow.GetVersion).
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "no recorded histories in testdata/")
	logger := log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			replayer := worker.NewWorkflowReplayer()
			replayer.RegisterWorkflow(workflows.ComplaintWorkflow)
			replayer.RegisterWorkflow(workflows.RmaWorkflow)
			replayer.RegisterWorkflow(workflows.CapaWorkflow)
			replayer.RegisterWorkflow(workflows.MonthlyReviewWorkflow)
			replayer.RegisterWorkflow(workflows.FollowupWorkflow)
			replayer.RegisterWorkflow(workflows.FeedbackWorkflow)
			require.NoError(t, replayer.ReplayWorkflowHistoryFromJSONFile(logger, file))
		})
	}
}
