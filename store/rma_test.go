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

var rmaDesk = complaint.Actor{UserID: "b1", Name: "Ningbo desk", Department: "branch_office", Roles: []string{"agent"}}

func newRMA(id, complaintID string, at time.Time) complaint.RMA {
	return complaint.RMA{ID: id, Kind: complaint.RMAKindReturn, Stage: complaint.RMARequested, CustomerID: "C-001",
		BranchOffice: "Ningbo", PartNumber: "P-778", Quantity: 2, Reason: "leaks", ComplaintID: complaintID,
		Warehouse: "main", RequestedBy: rmaDesk, RequestedAt: at, UpdatedAt: at,
		AllowedSteps: []string{complaint.RMAStepApprove, complaint.RMAStepReject}}
}

func rmaEvent(seq int64, kind string, at time.Time, updateID string) complaint.Event {
	return complaint.Event{Seq: seq, Kind: kind, Actor: rmaDesk, Payload: json.RawMessage(`{"note":"n"}`),
		OccurredAt: at, UpdateID: updateID}
}

func TestRMAProjection(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)

			n, err := s.RegisterRMA(ctx, newRMA("r1", "", at), rmaEvent(1, complaint.EventRMARequested, at, ""))
			require.NoError(t, err)
			require.Equal(t, store.RMANumber{Number: "RMA-2026-000001", Serial: 1}, n)
			again, err := s.RegisterRMA(ctx, newRMA("r1", "", at), rmaEvent(1, complaint.EventRMARequested, at, ""))
			require.NoError(t, err)
			require.Equal(t, n, again, "a retried registration gets the same number and writes nothing")
			nextYear := at.Add(2 * time.Hour)
			n2, err := s.RegisterRMA(ctx, newRMA("r2", "", nextYear), rmaEvent(1, complaint.EventRMARequested, nextYear, ""))
			require.NoError(t, err)
			require.Equal(t, store.RMANumber{Number: "RMA-2027-000002", Serial: 2}, n2,
				"the serial runs across years, so it keys the RMA's reminder")

			got, err := s.GetRMA(ctx, "r1")
			require.NoError(t, err)
			require.Equal(t, "RMA-2026-000001", got.Number)
			require.Equal(t, complaint.RMARequested, got.Stage)
			require.EqualValues(t, 1, got.Version)
			_, err = s.GetRMA(ctx, "nope")
			require.ErrorIs(t, err, store.ErrNotFound)

			// Steps project; a stale retry does not move the row back.
			approved := newRMA("r1", "", at)
			approved.Number, approved.Stage = n.Number, complaint.RMAApproved
			require.NoError(t, s.ApplyRMAEvent(ctx, approved, rmaEvent(2, complaint.EventRMAApproved, at.Add(time.Minute), "u-2")))
			received := approved
			received.Stage = complaint.RMAReceived
			require.NoError(t, s.ApplyRMAEvent(ctx, received, rmaEvent(3, complaint.EventRMAReceived, at.Add(2*time.Minute), "u-3")))
			require.NoError(t, s.ApplyRMAEvent(ctx, approved, rmaEvent(2, complaint.EventRMAApproved, at.Add(time.Minute), "u-2")))
			got, err = s.GetRMA(ctx, "r1")
			require.NoError(t, err)
			require.Equal(t, complaint.RMAReceived, got.Stage)
			require.EqualValues(t, 3, got.Version)

			events, err := s.RMATimeline(ctx, "r1")
			require.NoError(t, err)
			require.Len(t, events, 3, "a retried write lands once")
			require.Equal(t, []string{complaint.EventRMARequested, complaint.EventRMAApproved, complaint.EventRMAReceived},
				[]string{events[0].Kind, events[1].Kind, events[2].Kind})
			require.Equal(t, rmaDesk, events[1].Actor)
			require.Empty(t, events[1].UpdateID, "the timeline does not show update ids")

			payload, err := s.RMAEventPayloadByUpdate(ctx, "r1", "u-3")
			require.NoError(t, err)
			require.JSONEq(t, `{"note":"n"}`, string(payload))
			_, err = s.RMAEventPayloadByUpdate(ctx, "r1", "u-9")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

func TestRMAList(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
			for i, id := range []string{"r1", "r2", "r3", "r4"} {
				r := newRMA(id, "", at.Add(time.Duration(i)*time.Minute))
				if i%2 == 1 {
					r.BranchOffice, r.CustomerID, r.ComplaintID = "Hangzhou", "C-002", "c-9"
				}
				_, err := s.RegisterRMA(ctx, r, rmaEvent(1, complaint.EventRMARequested, r.RequestedAt, ""))
				require.NoError(t, err)
			}
			ids := func(p store.RMAPage) []string {
				var out []string
				for _, r := range p.RMAs {
					out = append(out, r.ID)
				}
				return out
			}
			page, err := s.ListRMAs(ctx, store.RMAFilter{Limit: 3})
			require.NoError(t, err)
			require.Equal(t, []string{"r4", "r3", "r2"}, ids(page), "newest first")
			require.NotEmpty(t, page.NextCursor)
			page, err = s.ListRMAs(ctx, store.RMAFilter{Limit: 3, Cursor: page.NextCursor})
			require.NoError(t, err)
			require.Equal(t, []string{"r1"}, ids(page))
			require.Empty(t, page.NextCursor)

			for _, f := range []store.RMAFilter{{BranchOffice: "Hangzhou"}, {CustomerID: "C-002"}, {ComplaintID: "c-9"}} {
				page, err = s.ListRMAs(ctx, f)
				require.NoError(t, err)
				require.Equal(t, []string{"r4", "r2"}, ids(page), "%+v", f)
			}
			page, err = s.ListRMAs(ctx, store.RMAFilter{Stage: complaint.RMAApproved})
			require.NoError(t, err)
			require.Empty(t, page.RMAs)
			require.NotNil(t, page.RMAs, "an empty page is an empty list")
			_, err = s.ListRMAs(ctx, store.RMAFilter{Cursor: "garbage"})
			require.ErrorIs(t, err, store.ErrBadCursor)
		})
	}
}

// TestTheCaseTimelineShowsItsRMAs: the events of an RMA linked to a case
// appear on the case's timeline where they happened, naming their RMA;
// another case's RMA does not.
func TestTheCaseTimelineShowsItsRMAs(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
			_, err := s.RegisterCase(ctx, newCase("a", at), registeredEvent(at))
			require.NoError(t, err)
			c := newCase("a", at)
			c.Stage = complaint.StageAnalyze
			require.NoError(t, s.ApplyEvent(ctx, c, complaint.Event{Seq: 2, Kind: complaint.EventConfirmed,
				Actor: rmaDesk, Payload: json.RawMessage(`{}`), OccurredAt: at.Add(2 * time.Hour)}))

			r := newRMA("r1", "a", at.Add(time.Hour))
			n, err := s.RegisterRMA(ctx, r, rmaEvent(1, complaint.EventRMARequested, r.RequestedAt, ""))
			require.NoError(t, err)
			r.Number, r.Stage = n.Number, complaint.RMAApproved
			require.NoError(t, s.ApplyRMAEvent(ctx, r, rmaEvent(2, complaint.EventRMAApproved, at.Add(3*time.Hour), "")))
			other := newRMA("r2", "b", at.Add(time.Hour))
			_, err = s.RegisterRMA(ctx, other, rmaEvent(1, complaint.EventRMARequested, other.RequestedAt, ""))
			require.NoError(t, err)

			events, err := s.Timeline(ctx, "a")
			require.NoError(t, err)
			var kinds []string
			for _, ev := range events {
				kinds = append(kinds, ev.Kind)
			}
			require.Equal(t, []string{complaint.EventRegistered, complaint.EventRMARequested, complaint.EventConfirmed,
				complaint.EventRMAApproved}, kinds)
			require.Nil(t, events[0].RMA)
			require.Equal(t, &complaint.RMARef{ID: "r1", Number: "RMA-2026-000001"}, events[1].RMA)
			require.EqualValues(t, 2, events[3].Seq, "an RMA's event keeps its RMA's seq")
		})
	}
}
