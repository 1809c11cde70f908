package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func escalation(id, recipient string, at time.Time) complaint.Notification {
	return complaint.Notification{ID: id, ComplaintID: "case-1", CaseNumber: "CMP-2026-000001", Clock: complaint.ClockResponse,
		Kind: complaint.NotificationEscalation, Level: 1, Recipient: recipient, DueAt: at, CreatedAt: at}
}

// A delivery that ran out of attempts: what is still pending becomes failed,
// per notification and per channel, with the last error; what was delivered
// or belongs to another event stays as it was.
func TestFailUndelivered(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
			other := escalation("n-other", "u3", at)
			other.Level = 2
			require.NoError(t, s.RecordNotifications(ctx, []complaint.Notification{
				escalation("n-dead", "u1", at), escalation("n-done", "u2", at), escalation("n-untried", "u4", at), other,
			}))

			// n-dead: e-mail went out, the webhook keeps failing.
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "email", complaint.DeliveryDelivered, nil))
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "webhook", complaint.DeliveryPending, errors.New("connection refused")))
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "webhook", complaint.DeliveryPending, errors.New("503 Service Unavailable")))
			require.NoError(t, s.MarkDelivery(ctx, "n-dead", complaint.DeliveryPending, errors.New("webhook: 503 Service Unavailable")))
			// A delivered channel is never turned back.
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "email", complaint.DeliveryPending, errors.New("late")))
			states, err := s.ChannelStates(ctx, "n-dead")
			require.NoError(t, err)
			require.Equal(t, map[string]string{"email": complaint.DeliveryDelivered, "webhook": complaint.DeliveryPending}, states)
			// n-done: delivered over both.
			require.NoError(t, s.MarkChannel(ctx, "n-done", "email", complaint.DeliveryDelivered, nil))
			require.NoError(t, s.MarkDelivery(ctx, "n-done", complaint.DeliveryDelivered, nil))

			failed, err := s.FailUndelivered(ctx, "case-1", complaint.ClockResponse, complaint.NotificationEscalation, 1, "timed out")
			require.NoError(t, err)
			require.Equal(t, []store.FailedDelivery{
				{NotificationID: "n-dead", Kind: complaint.NotificationEscalation, Channel: "webhook"},
				{NotificationID: "n-untried", Kind: complaint.NotificationEscalation, Channel: ""},
			}, failed)

			states, err = s.ChannelStates(ctx, "n-dead")
			require.NoError(t, err)
			require.Equal(t, map[string]string{"email": complaint.DeliveryDelivered, "webhook": complaint.DeliveryFailed}, states)

			entries, err := s.ListNotifications(ctx, "", 10)
			require.NoError(t, err)
			got := map[string][2]string{}
			for _, e := range entries {
				got[e.ID] = [2]string{e.Delivery, e.LastError}
			}
			require.Equal(t, map[string][2]string{
				"n-dead":    {complaint.DeliveryFailed, "webhook: 503 Service Unavailable"},
				"n-untried": {complaint.DeliveryFailed, "timed out"},
				"n-done":    {complaint.DeliveryDelivered, ""},
				"n-other":   {complaint.DeliveryPending, ""},
			}, got)

			// Run again (a retried activity), it fails nothing twice.
			again, err := s.FailUndelivered(ctx, "case-1", complaint.ClockResponse, complaint.NotificationEscalation, 1, "timed out")
			require.NoError(t, err)
			require.Empty(t, again)
		})
	}
}

// Processes of their own (corrective actions, reviews, follow-ups) have no
// complaint: each one's notices are kept apart by its number, so a second
// action's reminder to the same person at the same kind and level is
// recorded and delivered, not taken for the first's.
func TestProcessNoticesAreKeptApartByNumber(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
			notice := func(id, number string) complaint.Notification {
				return complaint.Notification{ID: id, CaseNumber: number, Kind: complaint.NotificationCapaDueSoon,
					Level: 1, Recipient: "u1", DueAt: at, CreatedAt: at}
			}
			require.NoError(t, s.RecordNotifications(ctx, []complaint.Notification{
				notice("n-a", "CAPA-2026-000001"), notice("n-b", "CAPA-2026-000002")}))
			for _, number := range []string{"CAPA-2026-000001", "CAPA-2026-000002"} {
				pending, err := s.PendingNotifications(ctx, complaint.OutboxKey("", number), "",
					complaint.NotificationCapaDueSoon, 1)
				require.NoError(t, err)
				require.Len(t, pending, 1, number)
				require.Equal(t, number, pending[0].CaseNumber)
				require.Empty(t, pending[0].ComplaintID, "the notice itself still names no complaint")
			}
		})
	}
}
