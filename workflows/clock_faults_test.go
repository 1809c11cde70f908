package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/uber-go/tally/v4"
	sdktally "go.temporal.io/sdk/contrib/tally"
	"go.temporal.io/sdk/log"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Faults under the clocks: the store refusing writes for a while, and a
// notification channel that never answers.

// faults says, at a moment of the test's time, whether the store refuses
// the clocks' writes and what delivery answers.
type faults struct {
	outbox, timeline func(at time.Duration) bool // true: the write fails
	deliver          error
}

// faultLog is what the fault tests' mocks saw beyond the clock suite's.
type faultLog struct {
	recordedAt map[string][]time.Duration // firing → when its outbox write succeeded
	deliveries map[string][]time.Duration // firing → delivery attempts
	failed     []activities.DeliveryFailure
	failedAt   []time.Duration
}

var storeDown = errors.New("dial tcp 127.0.0.1:5432: connect: connection refused")

// startWithFaults gives the test a fresh environment like startAt, its
// store and delivery activities mocked (by method reference) to fail as f
// says, and returns what they saw and the metrics scope.
func (s *clockSuite) startWithFaults(f faults) (*faultLog, tally.TestScope) {
	scope := tally.NewTestScope("", nil)
	s.SetMetricsHandler(sdktally.NewMetricsHandler(scope))
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.start = clockStart
	s.env.SetStartTime(clockStart)
	s.notified, s.applied, s.upserts, s.sent = nil, nil, nil, 0
	fl := &faultLog{recordedAt: map[string][]time.Duration{}, deliveries: map[string][]time.Duration{}}
	since := func() time.Duration { return s.env.Now().Sub(s.start) }
	var a *activities.Activities
	s.env.RegisterActivity(a)
	withoutPrevention(s.env)
	s.env.OnActivity(a.RegisterCase, mock.Anything, mock.Anything).Return("CMP-2026-000099", nil)
	s.env.OnActivity(a.ApplyEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvent) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.applied = append(s.applied, in)
			return nil
		})
	s.env.OnActivity(a.ApplyEvents, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvents) error {
			if f.timeline != nil && f.timeline(since()) {
				return storeDown
			}
			raw, err := json.Marshal(in.Case) // see startAt
			if err != nil {
				return err
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			for _, ev := range in.Events {
				var c complaint.Case
				if err := json.Unmarshal(raw, &c); err != nil {
					return err
				}
				c.Version = ev.Seq
				s.applied = append(s.applied, activities.CaseEvent{Case: c, Event: ev})
			}
			return nil
		})
	s.env.OnActivity(a.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			if f.outbox != nil && f.outbox(since()) {
				return false, storeDown
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			s.notified = append(s.notified, in)
			k := firing(in.Clock, in.Kind, in.Level)
			fl.recordedAt[k] = append(fl.recordedAt[k], since())
			return true, nil
		})
	s.env.OnActivity(a.DeliverNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			k := firing(in.Clock, in.Kind, in.Level)
			fl.deliveries[k] = append(fl.deliveries[k], since())
			return f.deliver
		})
	s.env.OnActivity(a.FailNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.DeliveryFailure) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			fl.failed = append(fl.failed, in)
			fl.failedAt = append(fl.failedAt, since())
			return nil
		})
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Return(nil)
	return fl, scope
}

func window(from, length time.Duration) func(time.Duration) bool {
	return func(at time.Duration) bool { return at >= from && at < from+length }
}

func counted(scope tally.TestScope, name string, tags map[string]string) int64 {
	var n int64
	for _, c := range scope.Snapshot().Counters() {
		if c.Name() != name {
			continue
		}
		match := true
		for k, v := range tags {
			match = match && c.Tags()[k] == v
		}
		if match {
			n += c.Value()
		}
	}
	return n
}

// A store outage while clock events come due: each is recorded once, when
// the store is back, with the instant it was due; the clock goes on to fire
// everything after it; the retries are counted.
func (s *clockSuite) TestStoreOutageRecordsEveryEventOnce() {
	const outage = 30 * time.Second
	cases := []struct {
		name             string
		outbox, timeline func(time.Duration) bool
		firing           string        // the firing caught in the outage
		back             time.Duration // when the store is back
	}{
		{name: "both writes down at the first warning", firing: firing(sla.Response, warning, 1),
			outbox: window(time.Hour, outage), timeline: window(time.Hour, outage), back: time.Hour + outage},
		{name: "the timeline down at the breach, after its escalation reached the outbox",
			firing: firing(sla.Response, escalation, 1), timeline: window(2*time.Hour, outage), back: 2*time.Hour + outage},
		{name: "the outbox down at the breach", firing: firing(sla.Response, escalation, 1),
			outbox: window(2*time.Hour, outage), back: 2*time.Hour + outage},
		{name: "ten minutes down around the second warning", firing: firing(sla.Response, warning, 2),
			outbox: window(95*time.Minute, 10*time.Minute), timeline: window(95*time.Minute, 10*time.Minute),
			back: 105 * time.Minute},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			fl, scope := s.startWithFaults(faults{outbox: tc.outbox, timeline: tc.timeline})
			final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 7*time.Hour)

			s.requireNotified(map[string]time.Time{
				firing(sla.Response, warning, 1): s.at(time.Hour), firing(sla.Response, warning, 2): s.at(96 * time.Minute),
				firing(sla.Response, escalation, 1): s.at(2 * time.Hour), firing(sla.Response, escalation, 2): s.at(3 * time.Hour),
				firing(sla.Response, escalation, 3): s.at(6 * time.Hour),
			})
			s.Equal([]string{
				"clock_warning response 1 @1h0m0s", "clock_warning response 2 @1h36m0s",
				"clock_breached response 0 @2h0m0s", "clock_escalated response 1 @2h0m0s",
				"clock_escalated response 2 @3h0m0s", "clock_escalated response 3 @6h0m0s",
			}, s.clockEvents(s.sinceStart), "each event once, in order, at the instant it was due")

			written := fl.recordedAt[tc.firing]
			s.Require().Len(written, 1)
			if tc.outbox != nil {
				s.GreaterOrEqual(written[0], tc.back, "recorded once the store is back")
				s.LessOrEqual(written[0], tc.back+time.Minute, "and within the longest backoff")
			}
			s.Positive(counted(scope, "caseflow_clock_event_retries", map[string]string{"clock": sla.Response}))

			r := final.Clocks.Response
			s.Equal(complaint.ClockBreached, r.State)
			s.Equal(2, r.WarningsSent)
			s.Equal(3, r.EscalationLevel)
		})
	}
}

// A dead channel: a step sent while delivery retries is recorded at once;
// delivery stops after its bounded attempts and what is left is marked
// failed; the case that closes meanwhile waits for that before it ends.
func (s *clockSuite) TestDeadChannelHoldsNothingUp() {
	fl, _ := s.startWithFaults(faults{deliver: errors.New("POST https://hooks.example/x: connection refused")})
	contacted := s.stepAt(time.Hour+time.Second, contact())
	after := s.caseAt(time.Hour + 2*time.Second)
	withdrawn := s.stepAt(time.Hour+5*time.Minute, withdraw())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 10*time.Hour)

	s.ok(contacted)
	r := s.taken(after).Response
	s.Equal(complaint.ClockMet, r.State, "the contact did not wait for the delivery")
	s.sameTime(s.at(time.Hour+time.Second), r.StoppedAt)
	s.ok(withdrawn)
	s.Equal(complaint.StageClosed, final.Stage)
	s.NoError(s.env.GetWorkflowError(), "the workflow ended by itself, not cancelled")

	w1 := firing(sla.Response, warning, 1)
	s.Equal(map[string][]time.Duration{w1: {
		time.Hour, time.Hour + 5*time.Second, time.Hour + 15*time.Second, time.Hour + 35*time.Second,
		time.Hour + 75*time.Second, time.Hour + 155*time.Second, time.Hour + 315*time.Second,
		time.Hour + 495*time.Second, time.Hour + 675*time.Second, time.Hour + 855*time.Second,
	}}, fl.deliveries, "ten attempts, 5 s doubling to 3 min apart")
	s.Require().Len(fl.failed, 1)
	s.Equal(w1, firing(fl.failed[0].Event.Clock, fl.failed[0].Event.Kind, fl.failed[0].Event.Level))
	s.Contains(fl.failed[0].LastError, "connection refused")
	s.Equal(time.Hour+855*time.Second, fl.failedAt[0])
	s.Equal([]string{"clock_warning response 1 @1h0m0s"}, s.clockEvents(s.sinceStart))
}

// A delivery that ends while a later event of its clock waits for the store
// is counted out: the case that closes afterwards still ends by itself.
func (s *clockSuite) TestDeliveryEndingDuringAnOutage() {
	// Warnings at 15m and 24m: the first's delivery gives up at 29m15s,
	// while the second waits for the store, down from 24m to 30m.
	p := sla.Standard()
	p.Name, p.Response = "half-hour", sla.Duration(30*time.Minute)
	s.Require().Nil(p.Validate())
	down := window(24*time.Minute, 6*time.Minute)
	fl, _ := s.startWithFaults(faults{outbox: down, timeline: down, deliver: errors.New("connection refused")})
	withdrawn := s.stepAt(45*time.Minute, withdraw())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, p), 10*time.Hour)

	s.ok(withdrawn)
	s.Equal(complaint.StageClosed, final.Stage)
	s.NoError(s.env.GetWorkflowError(), "the workflow ended by itself, not cancelled")
	s.Equal(29*time.Minute+15*time.Second, fl.failedAt[0])
	s.GreaterOrEqual(fl.recordedAt[firing(sla.Response, warning, 2)][0], 30*time.Minute)
}
