package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestEarlierCases: a complaint's earlier cases are those on its part
// within the window before it, never itself, oldest first; Latest keeps
// the most recent of them, while the corrective actions of all of them
// are still found.
func TestEarlierCases(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			start := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
			register := func(id, part string, received time.Time) string {
				c := newCase(id, received.Add(time.Hour))
				c.PartNumber = part
				number, err := s.RegisterCase(ctx, c, registeredEvent(received.Add(time.Hour)))
				require.NoError(t, err)
				return number
			}
			tooOld := register("old", "P-778", start.Add(-200*24*time.Hour))
			var numbers []string
			for i := range 12 {
				numbers = append(numbers, register(fmt.Sprintf("c%02d", i), "P-778", start.Add(time.Duration(i)*time.Hour)))
			}
			register("other", "P-100", start.Add(time.Hour))
			_, err := s.RegisterCapa(ctx, newCapa("a1", []string{"c00"}, start), capaEvent(1, complaint.EventCapaOpened, start, ""))
			require.NoError(t, err)

			now := start.Add(24 * time.Hour)
			probe := store.RecurrenceProbe{ComplaintID: "c11", ReceivedAt: now, PartNumber: " P-778 ", Window: 180 * 24 * time.Hour}
			numbersOf := func(refs []store.CaseRef) []string {
				out := []string{}
				for _, r := range refs {
					out = append(out, r.CaseNumber)
				}
				return out
			}
			all, err := s.EarlierCases(ctx, probe)
			require.NoError(t, err)
			require.Equal(t, numbers[:11], numbersOf(all), "oldest first, neither itself, another part nor one past the window")
			require.NotContains(t, numbersOf(all), tooOld)

			probe.Latest = 3
			latest, err := s.EarlierCases(ctx, probe)
			require.NoError(t, err)
			require.Equal(t, numbers[8:11], numbersOf(latest), "the three most recent, oldest first")

			refs, capas, err := s.RecurrenceOf(ctx, probe)
			require.NoError(t, err)
			require.Equal(t, numbersOf(latest), numbersOf(refs))
			require.Len(t, capas, 1, "the action of the first case, past the three most recent")
			require.Equal(t, "a1", capas[0].ID)

			probe.Latest = 0
			probe.RegisteredBy = start.Add(5 * time.Hour)
			registeredBy, err := s.EarlierCases(ctx, probe)
			require.NoError(t, err)
			require.Equal(t, numbers[:5], numbersOf(registeredBy), "only the cases registered by then")

			none, err := s.EarlierCases(ctx, store.RecurrenceProbe{ComplaintID: "x", ReceivedAt: now, Window: time.Hour})
			require.NoError(t, err)
			require.Empty(t, none, "no part and no equipment match nothing")
			_, noCapas, err := s.RecurrenceOf(ctx, store.RecurrenceProbe{ComplaintID: "x", ReceivedAt: now,
				PartNumber: "P-100", Window: 180 * 24 * time.Hour})
			require.NoError(t, err)
			require.Empty(t, noCapas)
		})
	}
}
