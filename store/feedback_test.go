package store_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var feedbackLogger = complaint.Actor{UserID: "a1", Name: "Qian", Department: "after_sales", Roles: []string{"agent"}}

func newFeedback(id, kind, routedTo, customer string, at time.Time) complaint.Feedback {
	return complaint.Feedback{ID: id, Kind: kind, Stage: complaint.FeedbackOpen, FromCustomerID: customer,
		Text: "why is the filter so dear?", RoutedTo: routedTo, LoggedBy: feedbackLogger, LoggedAt: at,
		RespondBy: at.Add(72 * time.Hour), UpdatedAt: at, AllowedSteps: []string{complaint.FeedbackStepAnswer}}
}

func feedbackEvent(seq int64, kind string, at time.Time, updateID string) complaint.Event {
	return complaint.Event{Seq: seq, Kind: kind, Actor: feedbackLogger, Payload: json.RawMessage(`{"note":"n"}`),
		OccurredAt: at, UpdateID: updateID}
}

// TestFeedbackProjection: numbers run across years and a retried log gets
// the same; a stale write never moves feedback back; the list filters and
// pages newest first.
func TestFeedbackProjection(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)
			logged := func(fb complaint.Feedback) store.FeedbackNumber {
				n, err := s.RegisterFeedback(ctx, fb, feedbackEvent(1, complaint.EventFeedbackLogged, fb.LoggedAt, ""))
				require.NoError(t, err)
				return n
			}

			e1 := newFeedback("e1", complaint.FeedbackEnquiry, complaint.DepartmentAfterSales, "C-001", at)
			n := logged(e1)
			require.Equal(t, store.FeedbackNumber{Number: "FB-2026-000001", Serial: 1}, n)
			retry := e1
			retry.Text = "another body"
			require.Equal(t, n, logged(retry), "a retried log gets the same number")
			got, err := s.GetFeedback(ctx, "e1")
			require.NoError(t, err)
			require.Equal(t, n.Number, got.Number)
			require.Equal(t, e1.Text, got.Text, "and writes nothing")
			events, err := s.FeedbackEvents(ctx, "e1")
			require.NoError(t, err)
			require.Len(t, events, 1)

			s2 := newFeedback("s2", complaint.FeedbackSuggestion, complaint.DepartmentQuality, "", at.Add(2*time.Hour))
			require.Equal(t, store.FeedbackNumber{Number: "FB-2027-000002", Serial: 2}, logged(s2))
			p3 := newFeedback("p3", complaint.FeedbackPraise, complaint.DepartmentAfterSales, "C-002", at.Add(3*time.Hour))
			logged(p3)

			answered := e1
			answered.Number, answered.Stage, answered.Answer = n.Number, complaint.FeedbackAnswered, "it lasts a year"
			answeredAt := at.Add(time.Hour)
			answered.AnsweredAt, answered.AnsweredBy = &answeredAt, &feedbackLogger
			require.NoError(t, s.ApplyFeedbackEvent(ctx, answered,
				feedbackEvent(2, complaint.EventFeedbackAnswered, answeredAt, "u-2")))
			stale := e1
			stale.Number, stale.Overdue = n.Number, true
			require.NoError(t, s.ApplyFeedbackEvent(ctx, stale, feedbackEvent(2, complaint.EventFeedbackOverdue, answeredAt, "")))
			got, err = s.GetFeedback(ctx, "e1")
			require.NoError(t, err)
			require.Equal(t, complaint.FeedbackAnswered, got.Stage, "a stale retry leaves the row as it is")
			require.EqualValues(t, 2, got.Version)
			events, err = s.FeedbackEvents(ctx, "e1")
			require.NoError(t, err)
			require.Len(t, events, 2)
			require.Equal(t, complaint.EventFeedbackAnswered, events[1].Kind)
			payload, err := s.FeedbackEventPayloadByUpdate(ctx, "e1", "u-2")
			require.NoError(t, err)
			require.JSONEq(t, `{"note":"n"}`, string(payload))
			_, err = s.GetFeedback(ctx, "nope")
			require.ErrorIs(t, err, store.ErrNotFound)

			s2.Number, s2.Overdue = "FB-2027-000002", true
			require.NoError(t, s.ApplyFeedbackEvent(ctx, s2, feedbackEvent(2, complaint.EventFeedbackOverdue, s2.RespondBy, "")))

			ids := func(f store.FeedbackFilter) []string {
				page, err := s.ListFeedback(ctx, f)
				require.NoError(t, err)
				out := []string{}
				for _, fb := range page.Feedback {
					out = append(out, fb.ID)
				}
				return out
			}
			yes, no := true, false
			for name, tc := range map[string]struct {
				f    store.FeedbackFilter
				want []string
			}{
				"all, newest first": {store.FeedbackFilter{}, []string{"p3", "s2", "e1"}},
				"kind":              {store.FeedbackFilter{Kind: complaint.FeedbackSuggestion}, []string{"s2"}},
				"stage":             {store.FeedbackFilter{Stage: complaint.FeedbackOpen}, []string{"p3", "s2"}},
				"routed to":         {store.FeedbackFilter{RoutedTo: complaint.DepartmentAfterSales}, []string{"p3", "e1"}},
				"customer":          {store.FeedbackFilter{CustomerID: "C-001"}, []string{"e1"}},
				"overdue":           {store.FeedbackFilter{Overdue: &yes}, []string{"s2"}},
				"not overdue":       {store.FeedbackFilter{Overdue: &no}, []string{"p3", "e1"}},
				"nothing":           {store.FeedbackFilter{CustomerID: "C-404"}, []string{}},
			} {
				require.Equal(t, tc.want, ids(tc.f), name)
			}

			var paged []string
			cur := ""
			for i := range 3 {
				page, err := s.ListFeedback(ctx, store.FeedbackFilter{Limit: 1, Cursor: cur})
				require.NoError(t, err)
				require.Len(t, page.Feedback, 1, fmt.Sprint("page ", i))
				paged = append(paged, page.Feedback[0].ID)
				cur = page.NextCursor
			}
			require.Equal(t, []string{"p3", "s2", "e1"}, paged)
			require.Empty(t, cur, "no page after the last")
			_, err = s.ListFeedback(ctx, store.FeedbackFilter{Cursor: "junk"})
			require.ErrorIs(t, err, store.ErrBadCursor)
		})
	}
}
