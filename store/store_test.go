package store_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func openStore(t *testing.T, b storetest.Backend) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), b.URL)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.Migrate(t.Context()))
	// Migrations run at every start, so a second run must be a no-op.
	require.NoError(t, s.Migrate(t.Context()))
	return s
}

func newCase(id string, registeredAt time.Time) complaint.Case {
	return complaint.Case{
		ID:    id,
		Stage: complaint.StageConfirm,
		Register: complaint.Register{
			CustomerID: "C-001", CustomerName: "Acme Hospital", ContactName: "Li Wei",
			Channel: complaint.ChannelPhone, Description: "pump leaks",
			Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere,
		},
		ReceivedAt:   registeredAt.Add(-time.Hour),
		RegisteredAt: registeredAt,
		RegisteredBy: complaint.Actor{UserID: "u1", Name: "Agent", Department: "after_sales"},
	}
}

func registeredEvent(at time.Time) complaint.Event {
	return complaint.Event{Seq: 1, Kind: complaint.EventRegistered, Actor: complaint.Actor{UserID: "u1", Name: "Agent"},
		Payload: json.RawMessage(`{"note":"hi"}`), OccurredAt: at}
}

func TestRegisterCase(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.FixedZone("CST", 8*3600))

			number, err := s.RegisterCase(t.Context(), newCase("a", at), registeredEvent(at))
			require.NoError(t, err)
			require.Equal(t, "CMP-2026-000001", number)

			// A retried activity gets the same number and writes nothing new.
			again, err := s.RegisterCase(t.Context(), newCase("a", at), registeredEvent(at))
			require.NoError(t, err)
			require.Equal(t, number, again)

			second, err := s.RegisterCase(t.Context(), newCase("b", at), registeredEvent(at))
			require.NoError(t, err)
			require.Equal(t, "CMP-2026-000002", second)

			nextYear := at.AddDate(1, 0, 0)
			third, err := s.RegisterCase(t.Context(), newCase("c", nextYear), registeredEvent(nextYear))
			require.NoError(t, err)
			require.Equal(t, "CMP-2027-000001", third)

			got, err := s.GetCase(t.Context(), "a")
			require.NoError(t, err)
			require.Equal(t, number, got.CaseNumber)
			require.Equal(t, "Acme Hospital", got.CustomerName)
			require.Equal(t, complaint.StageConfirm, got.Stage)
			require.True(t, at.Equal(got.RegisteredAt), "registered_at %v != %v", got.RegisteredAt, at)
			require.EqualValues(t, 1, got.Version)

			events, err := s.Timeline(t.Context(), "a")
			require.NoError(t, err)
			require.Len(t, events, 1)
			require.Equal(t, complaint.EventRegistered, events[0].Kind)
			require.Equal(t, "Agent", events[0].Actor.Name)
			require.JSONEq(t, `{"note":"hi"}`, string(events[0].Payload))
			require.True(t, at.Truncate(time.Microsecond).Equal(events[0].OccurredAt))

			_, err = s.GetCase(t.Context(), "missing")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

func TestRegisterCaseConcurrentNumbersAreDistinct(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			const n = 20
			numbers := make([]string, n)
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					numbers[i], errs[i] = s.RegisterCase(t.Context(), newCase(fmt.Sprint("case-", i), at), registeredEvent(at))
				})
			}
			wg.Wait()
			seen := map[string]bool{}
			for i := range n {
				require.NoError(t, errs[i])
				require.False(t, seen[numbers[i]], "duplicate %s", numbers[i])
				seen[numbers[i]] = true
			}
		})
	}
}

func TestApplyEventIgnoresStaleSnapshots(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			c := newCase("a", at)
			_, err := s.RegisterCase(t.Context(), c, registeredEvent(at))
			require.NoError(t, err)

			analyzed := c
			analyzed.Stage = complaint.StageAnalyze
			ev2 := complaint.Event{Seq: 2, Kind: "confirmed", OccurredAt: at.Add(time.Minute)}
			require.NoError(t, s.ApplyEvent(t.Context(), analyzed, ev2))

			negotiating := c
			negotiating.Stage = complaint.StageNegotiate
			ev3 := complaint.Event{Seq: 3, Kind: "analyzed", OccurredAt: at.Add(2 * time.Minute)}
			require.NoError(t, s.ApplyEvent(t.Context(), negotiating, ev3))

			// A late retry of event 2 must neither duplicate it nor roll the stage back.
			require.NoError(t, s.ApplyEvent(t.Context(), analyzed, ev2))

			got, err := s.GetCase(t.Context(), "a")
			require.NoError(t, err)
			require.Equal(t, complaint.StageNegotiate, got.Stage)
			events, err := s.Timeline(t.Context(), "a")
			require.NoError(t, err)
			require.Len(t, events, 3)
		})
	}
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := store.Open(t.Context(), "mysql://user:secret@db/x")
	require.ErrorContains(t, err, "DATABASE_URL")
	require.NotContains(t, err.Error(), "secret")
}
