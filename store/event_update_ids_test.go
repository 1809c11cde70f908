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

// TestEventPayloadByUpdate: a step's event keeps the id of the update that
// applied it, and the payload is found by it; an event without one (the
// registration, or one recorded before ids were kept) is never found, and
// the timeline does not show the id.
func TestEventPayloadByUpdate(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			c := newCase("a", at)
			_, err := s.RegisterCase(ctx, c, registeredEvent(at))
			require.NoError(t, err)
			_, err = s.RegisterCase(ctx, newCase("b", at), registeredEvent(at))
			require.NoError(t, err)

			ev2 := complaint.Event{Seq: 2, Kind: complaint.EventConfirmed, OccurredAt: at.Add(time.Minute),
				Payload: json.RawMessage(`{"note":"ok"}`), UpdateID: "upd-1"}
			require.NoError(t, s.ApplyEvent(ctx, c, ev2))
			ev3 := complaint.Event{Seq: 3, Kind: complaint.EventAnalyzed, OccurredAt: at.Add(2 * time.Minute),
				Payload: json.RawMessage(`{"note":"no id"}`)}
			require.NoError(t, s.ApplyEvent(ctx, c, ev3))
			// A retried activity writes nothing new.
			require.NoError(t, s.ApplyEvent(ctx, c, ev2))

			payload, err := s.EventPayloadByUpdate(ctx, "a", "upd-1")
			require.NoError(t, err)
			require.JSONEq(t, `{"note":"ok"}`, string(payload))

			_, err = s.EventPayloadByUpdate(ctx, "b", "upd-1") // another case's
			require.ErrorIs(t, err, store.ErrNotFound)
			_, err = s.EventPayloadByUpdate(ctx, "a", "upd-2")
			require.ErrorIs(t, err, store.ErrNotFound)
			_, err = s.EventPayloadByUpdate(ctx, "a", "")
			require.ErrorIs(t, err, store.ErrNotFound)

			events, err := s.Timeline(ctx, "a")
			require.NoError(t, err)
			require.Len(t, events, 3)
			for _, ev := range events {
				require.Empty(t, ev.UpdateID)
			}
		})
	}
}
