package store_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func TestMarkTerminated(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
			for _, id := range []string{"open", "closed", "ended"} {
				_, err := s.RegisterCase(t.Context(), newCase(id, at), registeredEvent(at))
				require.NoError(t, err)
			}
			analyzing := newCase("open", at)
			analyzing.Stage = complaint.StageAnalyze
			require.NoError(t, s.ApplyEvent(t.Context(), analyzing, complaint.Event{Seq: 2, Kind: complaint.EventConfirmed, OccurredAt: at}))
			closed := newCase("closed", at)
			closed.Stage = complaint.StageClosed
			require.NoError(t, s.ApplyEvent(t.Context(), closed, complaint.Event{Seq: 2, Kind: complaint.EventWithdrawn, OccurredAt: at}))

			open, err := s.OpenAmong(t.Context(), []string{"open", "closed", "ended", "unknown"})
			require.NoError(t, err)
			require.Equal(t, []string{"ended", "open"}, open)

			end := complaint.Termination{Status: complaint.EndTerminated, By: complaint.Actor{Name: "webui"},
				Reason: "stuck in testing", At: at.Add(time.Hour), RunID: "run-1"}
			changed, err := s.MarkTerminated(t.Context(), "open", end)
			require.NoError(t, err)
			require.True(t, changed)

			c, err := s.GetCase(t.Context(), "open")
			require.NoError(t, err)
			require.Equal(t, complaint.StageTerminated, c.Stage)
			require.Empty(t, c.AllowedSteps)
			require.NotNil(t, c.AllowedSteps, "answers [] rather than null")
			require.Equal(t, int64(3), c.Version)
			require.Equal(t, complaint.StageAnalyze, c.Termination.Stage, "remembers the stage a reopen resumes")
			require.Equal(t, "webui", c.Termination.By.Name)
			require.Equal(t, "stuck in testing", c.Termination.Reason)

			events, err := s.Timeline(t.Context(), "open")
			require.NoError(t, err)
			require.Len(t, events, 3)
			last := events[2]
			require.Equal(t, complaint.EventTerminated, last.Kind)
			require.Equal(t, "webui", last.Actor.Name)
			require.Equal(t, end.At, last.OccurredAt)
			var payload map[string]string
			require.NoError(t, json.Unmarshal(last.Payload, &payload))
			require.Equal(t, map[string]string{"status": "terminated", "reason": "stuck in testing", "stage": "analyze", "run_id": "run-1"}, payload)

			// A second run, and a closed case, change nothing.
			for _, id := range []string{"open", "closed"} {
				changed, err = s.MarkTerminated(t.Context(), id, end)
				require.NoError(t, err)
				require.False(t, changed, id)
			}
			events, err = s.Timeline(t.Context(), "open")
			require.NoError(t, err)
			require.Len(t, events, 3)
			_, err = s.MarkTerminated(t.Context(), "unknown", end)
			require.ErrorIs(t, err, store.ErrNotFound)

			open, err = s.OpenAmong(t.Context(), []string{"open", "closed", "ended"})
			require.NoError(t, err)
			require.Equal(t, []string{"ended"}, open)

			page, err := s.ListCases(t.Context(), store.CaseFilter{Stage: string(complaint.StageTerminated), Limit: 10})
			require.NoError(t, err)
			require.Len(t, page.Cases, 1)
			require.Equal(t, "open", page.Cases[0].ID)
			require.Equal(t, "webui", page.Cases[0].Termination.By.Name)

			// A reopen's first event moves the case back to the stage it had.
			reopened := c
			reopened.Stage, reopened.Termination = complaint.StageAnalyze, nil
			require.NoError(t, s.ApplyEvent(t.Context(), reopened, complaint.Event{Seq: 4, Kind: complaint.EventReopened, OccurredAt: at.Add(2 * time.Hour)}))
			open, err = s.OpenAmong(t.Context(), []string{"open"})
			require.NoError(t, err)
			require.Equal(t, []string{"open"}, open)
		})
	}
}
