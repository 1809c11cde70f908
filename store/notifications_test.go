package store_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func escalation(id, recipient string, at time.Time) notify.Notification {
	return notify.Notification{ID: id, ComplaintID: "case-1", CaseNumber: "CMP-2026-000001", Clock: notify.ClockResponse,
		Kind: notify.KindEscalation, Level: 1, Recipient: recipient, DueAt: at, CreatedAt: at}
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
			require.NoError(t, s.RecordNotifications(ctx, []notify.Notification{
				escalation("n-dead", "u1", at), escalation("n-done", "u2", at), escalation("n-untried", "u4", at), other,
			}))

			// n-dead: e-mail went out, the webhook keeps failing.
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "email", store.DeliveryDelivered, nil))
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "webhook", store.DeliveryPending, errors.New("connection refused")))
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "webhook", store.DeliveryPending, errors.New("503 Service Unavailable")))
			require.NoError(t, s.MarkDelivery(ctx, "n-dead", store.DeliveryPending, errors.New("webhook: 503 Service Unavailable")))
			// A delivered channel is never turned back.
			require.NoError(t, s.MarkChannel(ctx, "n-dead", "email", store.DeliveryPending, errors.New("late")))
			states, err := s.ChannelStates(ctx, "n-dead")
			require.NoError(t, err)
			require.Equal(t, map[string]string{"email": store.DeliveryDelivered, "webhook": store.DeliveryPending}, states)
			// n-done: delivered over both.
			require.NoError(t, s.MarkChannel(ctx, "n-done", "email", store.DeliveryDelivered, nil))
			require.NoError(t, s.MarkDelivery(ctx, "n-done", store.DeliveryDelivered, nil))

			failed, err := s.FailUndelivered(ctx, "case-1", notify.ClockResponse, notify.KindEscalation, 1, "timed out")
			require.NoError(t, err)
			require.Equal(t, []store.FailedDelivery{
				{NotificationID: "n-dead", Kind: notify.KindEscalation, Channel: "webhook"},
				{NotificationID: "n-untried", Kind: notify.KindEscalation, Channel: ""},
			}, failed)

			states, err = s.ChannelStates(ctx, "n-dead")
			require.NoError(t, err)
			require.Equal(t, map[string]string{"email": store.DeliveryDelivered, "webhook": store.DeliveryFailed}, states)

			entries, err := s.ListNotifications(ctx, "", 10)
			require.NoError(t, err)
			got := map[string][2]string{}
			for _, e := range entries {
				got[e.ID] = [2]string{e.Delivery, e.LastError}
			}
			require.Equal(t, map[string][2]string{
				"n-dead":    {store.DeliveryFailed, "webhook: 503 Service Unavailable"},
				"n-untried": {store.DeliveryFailed, "timed out"},
				"n-done":    {store.DeliveryDelivered, ""},
				"n-other":   {store.DeliveryPending, ""},
			}, got)

			// Run again (a retried activity), it fails nothing twice.
			again, err := s.FailUndelivered(ctx, "case-1", notify.ClockResponse, notify.KindEscalation, 1, "timed out")
			require.NoError(t, err)
			require.Empty(t, again)
		})
	}
}
