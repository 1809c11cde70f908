package workflows_test

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/caseflow/caseflow/payloadcrypt"
	caseflowworker "github.com/caseflow/caseflow/worker"
)

// TestReplayRecordedHistories replays the histories recorded by
// TestRecordHistories against today's workflow code: a change that would
// break running cases fails here (it then needs workflow.GetVersion). The
// plain histories from before payloads were encrypted replay with the
// SDK's plain converter, the sealed ones with caseflow's codec.
func TestReplayRecordedHistories(t *testing.T) {
	codec, _ := sealedCodec(t)
	dc := codec.DataConverter()
	sealedOptions := worker.WorkflowReplayerOptions{DataConverter: dc, FailureConverter: payloadcrypt.FailureConverter(dc)}
	for _, set := range []struct {
		dir     string
		options worker.WorkflowReplayerOptions
		sealed  bool
	}{
		{"testdata", worker.WorkflowReplayerOptions{}, false},
		{sealedDir, sealedOptions, true},
	} {
		files, err := filepath.Glob(filepath.Join(set.dir, "*.json"))
		require.NoError(t, err)
		require.NotEmpty(t, files, "no recorded histories in %s", set.dir)
		for _, file := range files {
			t.Run(file, func(t *testing.T) {
				if set.sealed {
					requireSealed(t, readHistoryFile(t, file))
				}
				require.NoError(t, replayer(t, set.options).ReplayWorkflowHistoryFromJSONFile(replayLogger(), file))
			})
		}
	}
}

// TestSealedHistoriesNeedTheCodec: the plain converter cannot replay a
// sealed history, so the replay above runs through the codec.
func TestSealedHistoriesNeedTheCodec(t *testing.T) {
	file := sealedRecordPath("minor-straight-through")
	require.Error(t, replayer(t, worker.WorkflowReplayerOptions{}).ReplayWorkflowHistoryFromJSONFile(replayLogger(), file))
}

func replayer(t *testing.T, options worker.WorkflowReplayerOptions) worker.WorkflowReplayer {
	t.Helper()
	r, err := worker.NewWorkflowReplayerWithOptions(options)
	require.NoError(t, err)
	for _, wf := range caseflowworker.Workflows() {
		r.RegisterWorkflow(wf)
	}
	return r
}

func replayLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

func readHistoryFile(t *testing.T, file string) *historypb.History {
	t.Helper()
	f, err := os.Open(file)
	require.NoError(t, err)
	defer f.Close()
	history, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	require.NoError(t, err)
	return history
}
