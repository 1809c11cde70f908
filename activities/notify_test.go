package activities_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uber-go/tally/v4"
	sdktally "go.temporal.io/sdk/contrib/tally"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// scriptedChannel answers each Send with the next error of its script (nil
// once the script is used up) and counts the sends per notification.
type scriptedChannel struct {
	name   string
	mu     sync.Mutex
	script []error
	sent   map[string]int
}

func (c *scriptedChannel) Name() string { return c.name }

func (c *scriptedChannel) Send(_ context.Context, n complaint.Notification) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sent == nil {
		c.sent = map[string]int{}
	}
	c.sent[n.ID]++
	if len(c.script) == 0 {
		return nil
	}
	err := c.script[0]
	c.script = c.script[1:]
	return err
}

func (c *scriptedChannel) sends(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent[id]
}

var event = activities.NotifyInput{ComplaintID: "case-1", CaseNumber: "CMP-2026-000001", Clock: complaint.ClockResponse,
	Kind: complaint.NotificationEscalation, Level: 1}

// deliverySetup is a store holding one pending notification of event, the
// activities over e-mail and webhook, and an activity environment whose
// metrics land in scope.
func deliverySetup(t *testing.T, mail, hook *scriptedChannel) (*store.Store, *testsuite.TestActivityEnvironment, tally.TestScope) {
	t.Helper()
	s, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	require.NoError(t, s.Migrate(t.Context()))
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	require.NoError(t, s.RecordNotifications(t.Context(), []complaint.Notification{{ID: "n1", ComplaintID: event.ComplaintID,
		CaseNumber: event.CaseNumber, Clock: event.Clock, Kind: event.Kind, Level: event.Level, Recipient: "u1",
		DueAt: at, CreatedAt: at}}))

	scope := tally.NewTestScope("", nil)
	var suite testsuite.WorkflowTestSuite
	suite.SetMetricsHandler(sdktally.NewMetricsHandler(scope))
	env := suite.NewTestActivityEnvironment()
	env.RegisterActivity(&activities.Activities{Store: s, Channel: notify.NewMulti(mail, hook)})
	return s, env, scope
}

func outbox(t *testing.T, s *store.Store) store.OutboxEntry {
	t.Helper()
	entries, err := s.ListNotifications(t.Context(), "", 10)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	return entries[0]
}

func failedCount(scope tally.TestScope, channel string) int64 {
	var n int64
	for _, c := range scope.Snapshot().Counters() {
		if c.Name() == "caseflow_notifications_failed" && c.Tags()["channel"] == channel && c.Tags()["kind"] == "escalation" {
			n += c.Value()
		}
	}
	return n
}

// A retry after the webhook failed re-sends over the webhook only: each
// channel delivers a notification once.
func TestDeliverySendsOncePerChannel(t *testing.T) {
	mail := &scriptedChannel{name: "email"}
	hook := &scriptedChannel{name: "webhook", script: []error{errors.New("connection refused")}}
	s, env, _ := deliverySetup(t, mail, hook)

	_, err := env.ExecuteActivity("DeliverNotifications", event)
	require.ErrorContains(t, err, "webhook: connection refused")
	e := outbox(t, s)
	require.Equal(t, complaint.DeliveryPending, e.Delivery)
	require.Equal(t, "webhook: connection refused", e.LastError)

	for range 2 { // the retry that delivers, then a stray one that finds nothing to do
		_, err = env.ExecuteActivity("DeliverNotifications", event)
		require.NoError(t, err)
	}
	require.Equal(t, 1, mail.sends("n1"), "e-mail sent once")
	require.Equal(t, 2, hook.sends("n1"), "webhook failed once, then delivered")
	e = outbox(t, s)
	require.Equal(t, complaint.DeliveryDelivered, e.Delivery)
	require.Empty(t, e.LastError)
}

// A permanent failure fails its channel at once; attempts running out fail
// the rest; each is counted by channel and kind.
func TestDeliveryFailures(t *testing.T) {
	cases := []struct {
		name    string
		script  []error
		attempt int // DeliverNotifications runs before FailNotifications
		lastErr string
	}{
		{name: "refused for good", script: []error{fmt.Errorf("410 Gone: %w", notify.ErrPermanent)}, attempt: 1,
			lastErr: "webhook: 410 Gone: permanent delivery failure"},
		{name: "down until the attempts ran out", attempt: 3,
			script:  []error{errors.New("connection refused"), errors.New("connection refused"), errors.New("503")},
			lastErr: "webhook: 503"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mail := &scriptedChannel{name: "email"}
			hook := &scriptedChannel{name: "webhook", script: tc.script}
			s, env, scope := deliverySetup(t, mail, hook)
			for range tc.attempt {
				_, _ = env.ExecuteActivity("DeliverNotifications", event)
			}
			for range 2 { // the second finds nothing left to fail
				_, err := env.ExecuteActivity("FailNotifications",
					activities.DeliveryFailure{Event: event, LastError: "activity error"})
				require.NoError(t, err)
			}
			e := outbox(t, s)
			require.Equal(t, complaint.DeliveryFailed, e.Delivery)
			require.Equal(t, tc.lastErr, e.LastError)
			require.Equal(t, int64(1), failedCount(scope, "webhook"))
			require.Zero(t, failedCount(scope, "email"))
			require.Equal(t, 1, mail.sends("n1"))
			states, err := s.ChannelStates(t.Context(), "n1")
			require.NoError(t, err)
			require.Equal(t, map[string]string{"email": complaint.DeliveryDelivered, "webhook": complaint.DeliveryFailed}, states)
		})
	}
}
