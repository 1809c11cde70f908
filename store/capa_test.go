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

var capaOpener = complaint.Actor{UserID: "q1", Name: "Zhou", Department: "quality", Roles: []string{"agent"}}

func newCapa(id string, complaints []string, at time.Time) complaint.Capa {
	return complaint.Capa{ID: id, Stage: complaint.CapaOpen, ComplaintIDs: complaints, PartNumber: "P-778",
		Action: "change the seal supplier", OwnerDepartment: "production", DueDate: "2027-01-15",
		EffectivenessDays: 30, Round: 1, OpenedBy: capaOpener, OpenedAt: at, UpdatedAt: at,
		AllowedSteps: []string{complaint.CapaStepDone}}
}

func capaEvent(seq int64, kind string, at time.Time, updateID string) complaint.Event {
	return complaint.Event{Seq: seq, Kind: kind, Actor: capaOpener, Payload: json.RawMessage(`{"note":"n"}`),
		OccurredAt: at, UpdateID: updateID}
}

// TestCapaProjection: numbers run across years and a retried opening gets
// the same; a stale write never moves an action back; the lists filter by
// stage, owner, complaint and overdue; a step's payload is found by its
// update id.
func TestCapaProjection(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)

			n, err := s.RegisterCapa(ctx, newCapa("a1", []string{"c1", "c2"}, at), capaEvent(1, complaint.EventCapaOpened, at, ""))
			require.NoError(t, err)
			require.Equal(t, store.CapaNumber{Number: "CAPA-2026-000001", Serial: 1}, n)
			again, err := s.RegisterCapa(ctx, newCapa("a1", []string{"c1", "c2"}, at), capaEvent(1, complaint.EventCapaOpened, at, ""))
			require.NoError(t, err)
			require.Equal(t, n, again, "a retried opening gets the same number and writes nothing")
			later := at.Add(2 * time.Hour)
			n2, err := s.RegisterCapa(ctx, newCapa("a2", []string{"c2"}, later), capaEvent(1, complaint.EventCapaOpened, later, ""))
			require.NoError(t, err)
			require.Equal(t, "CAPA-2027-000002", n2.Number)

			done := newCapa("a1", []string{"c1", "c2"}, at)
			done.Number, done.Stage, done.Overdue = n.Number, complaint.CapaDone, false
			require.NoError(t, s.ApplyCapaEvent(ctx, done, capaEvent(2, complaint.EventCapaDone, at.Add(time.Hour), "u-2")))
			stale := newCapa("a1", []string{"c1", "c2"}, at)
			stale.Number, stale.Overdue = n.Number, true
			require.NoError(t, s.ApplyCapaEvent(ctx, stale, capaEvent(2, complaint.EventCapaDone, at.Add(time.Hour), "u-2")))
			got, err := s.GetCapa(ctx, "a1")
			require.NoError(t, err)
			require.Equal(t, complaint.CapaDone, got.Stage, "a stale retry leaves the row as it is")
			_, err = s.GetCapa(ctx, "nope")
			require.ErrorIs(t, err, store.ErrNotFound)

			payload, err := s.CapaEventPayloadByUpdate(ctx, "a1", "u-2")
			require.NoError(t, err)
			require.JSONEq(t, `{"note":"n"}`, string(payload))
			_, err = s.CapaEventPayloadByUpdate(ctx, "a1", "u-9")
			require.ErrorIs(t, err, store.ErrNotFound)
			timeline, err := s.CapaTimeline(ctx, "a1")
			require.NoError(t, err)
			require.Len(t, timeline, 2)
			require.Equal(t, complaint.EventCapaDone, timeline[1].Kind)

			ids := func(f store.CapaFilter) []string {
				page, err := s.ListCapas(ctx, f)
				require.NoError(t, err)
				out := []string{}
				for _, c := range page.Capas {
					out = append(out, c.ID)
				}
				return out
			}
			require.Equal(t, []string{"a2", "a1"}, ids(store.CapaFilter{}), "newest first")
			require.Equal(t, []string{"a1"}, ids(store.CapaFilter{Stage: complaint.CapaDone}))
			require.Equal(t, []string{"a2", "a1"}, ids(store.CapaFilter{ComplaintID: "c2"}))
			require.Equal(t, []string{"a1"}, ids(store.CapaFilter{ComplaintID: "c1"}))
			require.Empty(t, ids(store.CapaFilter{OwnerDepartment: "quality"}))
			overdue := true
			require.Empty(t, ids(store.CapaFilter{Overdue: &overdue}))
			require.Equal(t, []string{"a2", "a1"}, ids(store.CapaFilter{DueBefore: "2027-02-01"}))

			linked, err := s.CapasOfComplaints(ctx, []string{"c1", "c2"})
			require.NoError(t, err)
			require.Len(t, linked, 2, "each action once, though linked to both")
		})
	}
}
