package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Service-level clocks in the test environment's skipped time: every
// warning, breach and escalation is a durable timer that the environment
// fires at its exact instant, and the mocked Notify and ApplyEvent
// activities record what the workflow did and when.

// clockStart is when the clock tests' workflows start, and the moment their
// complaints were received (a Sunday; the standard calendar runs 24/7).
var clockStart = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

type clockSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env   *testsuite.TestWorkflowEnvironment
	start time.Time

	// What the mocks saw; activities may run concurrently.
	mu       sync.Mutex
	notified []activities.NotifyInput
	applied  []activities.CaseEvent
	upserts  []saUpsert
	sent     int // updates sent, for unique update ids
	// The stock's answers (loans_test.go); nil answers as a store would
	// that has the unit and the parts.
	lend    func(store.Lending) (complaint.LentUnit, error)
	lent    []store.Lending
	issue   func(store.PartsIssue) (store.PartsIssued, error)
	issued  []store.PartsIssue
	returns []activities.ReturnLoanInput
}

// saUpsert is one UpsertTypedSearchAttributes call. Every publish sends all
// clock attributes, set or unset, so a clock key missing from an upsert
// means it was unset.
type saUpsert struct {
	at     time.Time
	values map[string]any
}

// snapshot is the case as a query saw it at a set moment.
type snapshot struct {
	taken bool
	complaint.Case
}

func TestServiceLevelClocks(t *testing.T) { suite.Run(t, new(clockSuite)) }

func (s *clockSuite) SetupTest() { s.startAt(clockStart) }

// startAt gives the test a fresh environment whose workflow starts at start.
func (s *clockSuite) startAt(start time.Time) {
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.start = start
	s.env.SetStartTime(start)
	s.notified, s.applied, s.upserts, s.sent = nil, nil, nil, 0
	s.lend, s.lent, s.issue, s.issued, s.returns = nil, nil, nil, nil, nil
	s.env.RegisterActivity(&activities.Activities{})
	withoutPrevention(s.env)
	s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return("CMP-2026-000099", nil)
	s.env.OnActivity(mocked.ApplyEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvent) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.applied = append(s.applied, in)
			return nil
		})
	// The clocks record their own events together, as a local activity.
	s.env.OnActivity(mocked.ApplyEvents, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvents) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			// Local activities get their arguments without serialization:
			// copy the case before the workflow changes it again.
			raw, err := json.Marshal(in.Case)
			if err != nil {
				return err
			}
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
	s.env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(nil)
	s.mockStock()
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.notified = append(s.notified, in)
			return true, nil
		})
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		values := map[string]any{}
		for key, value := range args.Get(0).(temporal.SearchAttributes).GetUntypedValues() {
			values[key.GetName()] = value
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.upserts = append(s.upserts, saUpsert{at: s.env.Now(), values: values})
	}).Return(nil)
}

// clockInput is a minor complaint of the category, received when the
// workflow starts, under the policy.
func (s *clockSuite) clockInput(category complaint.Category, p sla.Policy) workflows.ComplaintInput {
	return workflows.ComplaintInput{
		ID: "case-sla",
		Register: complaint.Register{
			CustomerID: "C-9", CustomerName: "Huaxin Clinic", ContactName: "Ma", Description: "pump stopped",
			Channel: complaint.ChannelPhone, Category: category, Severity: complaint.SeverityMinor,
			OrderNumber: "SO-9", PartNumber: "P-9",
		},
		ReceivedAt:   s.start,
		RegisteredBy: agent,
		Policy:       p,
	}
}

func (s *clockSuite) at(d time.Duration) time.Time { return s.start.Add(d) }

// stepAt sends the step d after the start and records what it answered.
func (s *clockSuite) stepAt(d time.Duration, st step) *outcome {
	out := &outcome{step: st}
	s.sent++
	id := fmt.Sprintf("clock-step-%d", s.sent)
	s.env.RegisterDelayedCallback(func() {
		out.before = s.query()
		s.env.UpdateWorkflow(st.name, id, recordInto(out), signed(st, id))
	}, d)
	return out
}

// caseAt queries the case d after the start.
func (s *clockSuite) caseAt(d time.Duration) *snapshot {
	snap := &snapshot{}
	s.env.RegisterDelayedCallback(func() {
		if !s.env.IsWorkflowCompleted() {
			snap.Case, snap.taken = s.query(), true
		}
	}, d)
	return snap
}

// run runs the case until end after the start, when it is cancelled unless
// it has closed, and returns the case it ended with.
func (s *clockSuite) run(in workflows.ComplaintInput, end time.Duration) complaint.Case {
	var last complaint.Case
	s.env.RegisterDelayedCallback(func() {
		if !s.env.IsWorkflowCompleted() {
			last = s.query()
			s.env.CancelWorkflow()
		}
	}, end)
	execute(s.env, in)
	s.Require().True(s.env.IsWorkflowCompleted())
	var closed complaint.Case
	if err := s.env.GetWorkflowResult(&closed); err == nil {
		return closed
	}
	return last
}

func (s *clockSuite) query() complaint.Case {
	v, err := s.env.QueryWorkflow(workflows.QueryCase.Name)
	s.Require().NoError(err)
	var cs complaint.Case
	s.Require().NoError(v.Get(&cs))
	return cs
}

func (s *clockSuite) taken(snap *snapshot) complaint.Clocks {
	s.T().Helper()
	s.Require().True(snap.taken, "the probe did not run")
	s.Require().NotNil(snap.Clocks, "the case has no clocks")
	return *snap.Clocks
}

func (s *clockSuite) ok(out *outcome) complaint.Case {
	s.T().Helper()
	s.Require().NoError(out.rejected, "step %s refused", out.step.name)
	s.Require().NoError(out.failed, "step %s failed", out.step.name)
	s.Require().True(out.accepted, "step %s not accepted", out.step.name)
	return out.value
}

// sameTime requires got to be the instant want.
func (s *clockSuite) sameTime(want time.Time, got *time.Time, msgAndArgs ...any) {
	s.T().Helper()
	s.Require().NotNil(got, msgAndArgs...)
	s.Equal(want.UTC(), got.UTC(), msgAndArgs...)
}

func firing(clock, kind string, level int) string { return fmt.Sprintf("%s %s %d", clock, kind, level) }

// requireNotified requires exactly the wanted Notify calls of the clocks
// (all clocks when none are named): each (clock, kind, level) once, at its
// instant.
func (s *clockSuite) requireNotified(want map[string]time.Time, clocks ...string) {
	s.T().Helper()
	got := map[string][]time.Time{}
	for _, n := range s.notifications() {
		if n.Kind == complaint.NotificationDispatch {
			continue // field service's, not a clock's (TestDispatch…)
		}
		if len(clocks) == 0 || slices.Contains(clocks, n.Clock) {
			k := firing(n.Clock, n.Kind, n.Level)
			got[k] = append(got[k], n.At.UTC())
		}
	}
	wanted := map[string][]time.Time{}
	for k, t := range want {
		wanted[k] = []time.Time{t.UTC()}
	}
	s.Equal(wanted, got)
}

func (s *clockSuite) notifications() []activities.NotifyInput {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notified)
}

// notification is the one Notify call of (clock, kind, level).
func (s *clockSuite) notification(clock, kind string, level int) activities.NotifyInput {
	s.T().Helper()
	for _, n := range s.notifications() {
		if n.Clock == clock && n.Kind == kind && n.Level == level {
			return n
		}
	}
	s.FailNow("no notification " + firing(clock, kind, level))
	return activities.NotifyInput{}
}

// clockEvents are the timeline events the clocks committed, as
// "<kind> <clock> <level> @<when>", where formats the moment. Each must be
// signed by the system actor, carry the clock's due in its payload and have
// its sequence number.
func (s *clockSuite) clockEvents(when func(time.Time) string) []string {
	s.T().Helper()
	s.mu.Lock()
	applied := slices.Clone(s.applied)
	s.mu.Unlock()
	var out []string
	for i, ce := range applied {
		s.Equal(ce.Case.Version, ce.Event.Seq)
		if i > 0 {
			s.Equal(applied[i-1].Event.Seq+1, ce.Event.Seq, "event sequence numbers follow each other")
		}
		switch ce.Event.Kind {
		case complaint.EventClockWarning, complaint.EventClockBreached, complaint.EventClockEscalated:
		default:
			continue
		}
		s.Equal("caseflow", ce.Event.Actor.UserID)
		var p struct {
			Clock string    `json:"clock"`
			Level int       `json:"level"`
			DueAt time.Time `json:"due_at"`
		}
		s.Require().NoError(json.Unmarshal(ce.Event.Payload, &p))
		s.False(p.DueAt.IsZero(), "event %s has its clock's due", ce.Event.Kind)
		out = append(out, fmt.Sprintf("%s %s %d @%s", ce.Event.Kind, p.Clock, p.Level, when(ce.Event.OccurredAt)))
	}
	return out
}

// sinceStart formats a moment as its offset from the start.
func (s *clockSuite) sinceStart(t time.Time) string { return t.Sub(s.start).String() }

// attributesAt are the search attributes as the last upsert at or before d
// after the start left them.
func (s *clockSuite) attributesAt(d time.Duration) map[string]any {
	s.T().Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	var last map[string]any
	for _, u := range s.upserts {
		if !u.at.After(s.at(d)) {
			last = u.values
		}
	}
	s.Require().NotNil(last, "no upsert by %s", d)
	return last
}

var (
	warnedTo = func(dept string) []activities.Recipient {
		return []activities.Recipient{{Role: "agent", Department: "after_sales"}, {Role: "engineer", Department: dept}}
	}
	afterSalesManager = []activities.Recipient{{Role: "supervisor", Department: "after_sales"}}
	generalManager    = []activities.Recipient{
		{Role: "supervisor", Department: "after_sales"}, {Role: "approver", Department: "after_sales"},
	}
)

const (
	warning    = "warning"
	escalation = "escalation"
)

// 1. The response clock: warnings at 50 % and 80 % of 2 h, the breach at
// 2 h, escalation levels at the breach, an hour and four hours after it; a
// contact stops it.
func (s *clockSuite) TestResponseClock() {
	cases := []struct {
		name      string
		contactAt time.Duration // 0: no contact
		want      map[string]time.Duration
		events    []string
		state     complaint.ClockState
		breached  bool
		level     int
		warnings  int
	}{
		{
			name: "without a contact it breaches and escalates through every level",
			want: map[string]time.Duration{
				firing(sla.Response, warning, 1): time.Hour, firing(sla.Response, warning, 2): 96 * time.Minute,
				firing(sla.Response, escalation, 1): 2 * time.Hour, firing(sla.Response, escalation, 2): 3 * time.Hour,
				firing(sla.Response, escalation, 3): 6 * time.Hour,
			},
			events: []string{
				"clock_warning response 1 @1h0m0s", "clock_warning response 2 @1h36m0s",
				"clock_breached response 0 @2h0m0s", "clock_escalated response 1 @2h0m0s",
				"clock_escalated response 2 @3h0m0s", "clock_escalated response 3 @6h0m0s",
			},
			state: complaint.ClockBreached, breached: true, level: 3, warnings: 2,
		},
		{
			name:      "a contact at 1h30m meets it",
			contactAt: 90 * time.Minute,
			want:      map[string]time.Duration{firing(sla.Response, warning, 1): time.Hour},
			events:    []string{"clock_warning response 1 @1h0m0s"},
			state:     complaint.ClockMet, warnings: 1,
		},
		{
			name:      "a contact after the breach ends the escalation but the clock stays breached",
			contactAt: 150 * time.Minute,
			want: map[string]time.Duration{
				firing(sla.Response, warning, 1): time.Hour, firing(sla.Response, warning, 2): 96 * time.Minute,
				firing(sla.Response, escalation, 1): 2 * time.Hour,
			},
			events: []string{
				"clock_warning response 1 @1h0m0s", "clock_warning response 2 @1h36m0s",
				"clock_breached response 0 @2h0m0s", "clock_escalated response 1 @2h0m0s",
			},
			state: complaint.ClockBreached, breached: true, level: 1, warnings: 2,
		},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			s.startAt(clockStart)
			// Non-quality: no on-site clock; 7 h is before the resolution's
			// first warning at 12 h.
			in := s.clockInput(complaint.CategoryNonQuality, sla.Standard())
			var contacted *outcome
			if tc.contactAt > 0 {
				contacted = s.stepAt(tc.contactAt, contact())
			}
			early := s.caseAt(time.Minute)
			final := s.run(in, 7*time.Hour)

			first := s.taken(early).Response
			s.Equal(complaint.ClockRunning, first.State)
			s.sameTime(s.at(2*time.Hour), first.DueAt)
			s.Equal("standard", early.SLAPolicy)

			want := map[string]time.Time{}
			for k, d := range tc.want {
				want[k] = s.at(d)
			}
			s.requireNotified(want)
			s.Equal(tc.events, s.clockEvents(s.sinceStart))

			s.Require().NotNil(final.Clocks)
			r := final.Clocks.Response
			s.Equal(tc.state, r.State)
			s.sameTime(s.at(2*time.Hour), r.DueAt)
			s.Equal(tc.warnings, r.WarningsSent)
			s.Equal(tc.level, r.EscalationLevel)
			if tc.breached {
				s.sameTime(s.at(2*time.Hour), r.BreachedAt)
			} else {
				s.Nil(r.BreachedAt)
			}
			if tc.contactAt > 0 {
				s.sameTime(s.at(tc.contactAt), r.StoppedAt)
				answered := s.ok(contacted).Clocks.Response
				s.Equal(tc.state, answered.State, "the contact answers with the stopped clock")
				s.sameTime(s.at(tc.contactAt), answered.StoppedAt)
			} else {
				s.Nil(r.StoppedAt)
			}
		})
	}
}

// Every notification names the case, the clock's due and whom it reaches;
// "responsible" falls back to after-sales before analysis.
func (s *clockSuite) TestResponseNotificationsReachTheirRecipients() {
	s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 7*time.Hour)
	want := []struct {
		kind       string
		level      int
		recipients []activities.Recipient
	}{
		{warning, 1, warnedTo("after_sales")},
		{warning, 2, warnedTo("after_sales")},
		// The engineers hear of the breach with the manager: the
		// department's, while the case has none assigned.
		{escalation, 1, append(afterSalesManager, rules.Recipient{Role: "engineer", Department: "after_sales"})},
		{escalation, 2, afterSalesManager}, // supervisor of "responsible", before analysis
		{escalation, 3, generalManager},
	}
	for _, w := range want {
		n := s.notification(sla.Response, w.kind, w.level)
		s.Equal(w.recipients, n.Recipients, "%s %d", w.kind, w.level)
		s.Equal("case-sla", n.ComplaintID)
		s.Equal("CMP-2026-000099", n.CaseNumber)
		s.Equal(s.at(2*time.Hour).UTC(), n.DueAt.UTC())
	}
	// The store gets the case as the breach left it.
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.applied, func(ce activities.CaseEvent) bool {
		return ce.Event.Kind == complaint.EventClockBreached
	})
	s.Require().GreaterOrEqual(i, 0)
	breach := s.applied[i]
	s.Equal(s.at(2*time.Hour).UTC(), breach.Event.OccurredAt.UTC())
	s.Equal(complaint.ClockBreached, breach.Case.Clocks.Response.State)
	s.sameTime(s.at(2*time.Hour), breach.Case.Clocks.Response.BreachedAt)
	s.Equal(2, breach.Case.Clocks.Response.WarningsSent)
	s.Equal(complaint.EventClockEscalated, s.applied[i+1].Event.Kind, "level 1 follows at once")
	s.Equal(1, s.applied[i+1].Case.Clocks.Response.EscalationLevel)
}

// Only the first contact is the response: a later one leaves the clock as
// the first stopped it.
func (s *clockSuite) TestALaterContactLeavesTheResponseClock() {
	first := s.stepAt(30*time.Minute, contact())
	second := s.stepAt(3*time.Hour, contact())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 4*time.Hour)

	s.ok(first)
	s.Len(s.ok(second).Contacts, 2)
	r := final.Clocks.Response
	s.Equal(complaint.ClockMet, r.State)
	s.sameTime(s.at(30*time.Minute), r.StoppedAt)
	s.requireNotified(map[string]time.Time{})
}

// 2. The on-site clock: quality complaints need a visit by default, others
// only when the register says so; confirm may change that, and the onsite
// step stops it.
func (s *clockSuite) TestOnsiteClock() {
	yes, no := true, false
	cases := []struct {
		name     string
		category complaint.Category
		needs    *bool // register needs_onsite
		policy   sla.Policy
		confirm  *bool         // confirm's needs_onsite at 30m, when set
		onsiteAt time.Duration // the onsite step, when set
		end      time.Duration // the case is cancelled then
		state    complaint.ClockState
		due      time.Duration // 0: none
		want     map[string]time.Duration
	}{
		{name: "quality, standard: 4 h, stopped by onsite", category: complaint.CategoryQuality,
			policy: sla.Standard(), onsiteAt: time.Hour, end: 10 * time.Hour,
			state: complaint.ClockMet, due: 4 * time.Hour},
		{name: "quality, medical: 3 h, stopped by onsite", category: complaint.CategoryQuality,
			policy: sla.Medical(), onsiteAt: time.Hour, end: 10 * time.Hour,
			state: complaint.ClockMet, due: 3 * time.Hour},
		{name: "quality, medical, no visit: warns and breaches on the 3 h target", category: complaint.CategoryQuality,
			policy: sla.Medical(), end: 3*time.Hour + 30*time.Minute,
			state: complaint.ClockBreached, due: 3 * time.Hour,
			want: map[string]time.Duration{
				firing(sla.Onsite, warning, 1): 90 * time.Minute, firing(sla.Onsite, warning, 2): 144 * time.Minute,
				firing(sla.Onsite, escalation, 1): 3 * time.Hour,
			}},
		{name: "non-quality: not required", category: complaint.CategoryNonQuality,
			policy: sla.Standard(), end: 10 * time.Hour, state: complaint.ClockNotRequired},
		{name: "non-quality the register says needs a visit", category: complaint.CategoryNonQuality, needs: &yes,
			policy: sla.Standard(), onsiteAt: 4*time.Hour + 30*time.Minute, end: 10 * time.Hour, state: complaint.ClockBreached,
			due: 4 * time.Hour,
			want: map[string]time.Duration{
				firing(sla.Onsite, warning, 1): 2 * time.Hour, firing(sla.Onsite, warning, 2): 192 * time.Minute,
				firing(sla.Onsite, escalation, 1): 4 * time.Hour,
			}},
		{name: "quality the register says needs no visit", category: complaint.CategoryQuality, needs: &no,
			policy: sla.Standard(), end: 10 * time.Hour, state: complaint.ClockNotRequired},
		{name: "quality, confirm says no visit: dropped", category: complaint.CategoryQuality,
			policy: sla.Standard(), confirm: &no, end: 10 * time.Hour, state: complaint.ClockNotRequired},
		{name: "non-quality, confirm says a visit: runs from the receipt", category: complaint.CategoryNonQuality,
			policy: sla.Standard(), confirm: &yes, onsiteAt: 3 * time.Hour, end: 10 * time.Hour,
			state: complaint.ClockMet, due: 4 * time.Hour,
			want: map[string]time.Duration{firing(sla.Onsite, warning, 1): 2 * time.Hour}},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			s.startAt(clockStart)
			in := s.clockInput(tc.category, tc.policy)
			in.Register.NeedsOnsite = tc.needs
			s.stepAt(10*time.Minute, contact()) // the response clock stays quiet
			var confirmed, visited *outcome
			if tc.confirm != nil {
				confirmed = s.stepAt(30*time.Minute, req(workflows.UpdateConfirm.Name, agent,
					complaint.ConfirmBody{Note: "checked", NeedsOnsite: tc.confirm}))
			}
			if tc.onsiteAt > 0 {
				visited = s.stepAt(tc.onsiteAt, req(workflows.UpdateOnsite.Name, engineer, complaint.OptionalNoteBody{Note: "arrived"}))
			}
			early := s.caseAt(20 * time.Minute)
			final := s.run(in, tc.end)

			startRequired := tc.category == complaint.CategoryQuality
			if tc.needs != nil {
				startRequired = *tc.needs
			}
			first := s.taken(early).Onsite
			if startRequired {
				s.Equal(complaint.ClockRunning, first.State)
				s.sameTime(s.at(tc.policy.Target(sla.Onsite)), first.DueAt)
				s.Contains(early.AllowedSteps, workflows.UpdateOnsite.Name)
			} else {
				s.Equal(complaint.ClockNotRequired, first.State)
				s.Nil(first.DueAt)
				s.NotContains(early.AllowedSteps, workflows.UpdateOnsite.Name)
			}
			if confirmed != nil {
				cs := s.ok(confirmed)
				if *tc.confirm {
					s.Equal(complaint.ClockRunning, cs.Clocks.Onsite.State)
					s.sameTime(s.at(tc.due), cs.Clocks.Onsite.DueAt)
					s.Contains(cs.AllowedSteps, workflows.UpdateOnsite.Name)
				} else {
					s.Equal(complaint.ClockNotRequired, cs.Clocks.Onsite.State)
					s.Nil(cs.Clocks.Onsite.DueAt)
					s.NotContains(cs.AllowedSteps, workflows.UpdateOnsite.Name)
				}
			}
			if visited != nil {
				cs := s.ok(visited)
				s.sameTime(s.at(tc.onsiteAt), cs.Clocks.Onsite.StoppedAt)
				s.NotContains(cs.AllowedSteps, workflows.UpdateOnsite.Name)
				s.NotContains(s.attributesAt(tc.onsiteAt), "OnsiteDueAt", "a stopped clock has no due to search")
			}

			s.Require().NotNil(final.Clocks)
			o := final.Clocks.Onsite
			s.Equal(tc.state, o.State)
			if tc.due > 0 {
				s.sameTime(s.at(tc.due), o.DueAt)
			} else {
				s.Nil(o.DueAt)
			}
			want := map[string]time.Time{}
			for k, d := range tc.want {
				want[k] = s.at(d)
			}
			s.requireNotified(want, sla.Onsite)
		})
	}
}

// An on-site step on a case that needs no visit is refused.
func (s *clockSuite) TestOnsiteStepRefusedWithoutAnOnsiteClock() {
	out := s.stepAt(30*time.Minute, req(workflows.UpdateOnsite.Name, engineer, complaint.OptionalNoteBody{}))
	s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 50*time.Minute)
	s.Require().Error(out.rejected)
	s.Contains(out.rejected.Error(), "does not take onsite")
}

// toRemediation takes a minor non-quality case to remediation in its first
// hour, the response met at 10m, production found responsible.
func (s *clockSuite) toRemediation() {
	s.stepAt(10*time.Minute, contact())
	s.stepAt(20*time.Minute, confirm())
	s.stepAt(30*time.Minute, analysis(technician, complaint.LiabilityCompany))
	s.stepAt(40*time.Minute, agree(complaint.AgreementRepair))
}

func pause() step {
	return req(workflows.UpdatePause.Name, agent, complaint.PauseBody{Reason: "waiting for the customer's site access"})
}

func resume() step { return req(workflows.UpdateResume.Name, agent, complaint.OptionalNoteBody{}) }

func interim() step { return backupInterim("2026-12-05") }

// backupInterim lends a backup pump due back on the date.
func backupInterim(dueBack string) step {
	return req(workflows.UpdateInterim.Name, engineer, complaint.InterimBody{Kind: "backup_equipment", Description: "loan pump",
		Backup: &complaint.BackupRequest{Model: "BK-PUMP", DueBack: dueBack}})
}

// 3. The resolution clock: a pause moves the due; past it the case owes an
// interim solution, which ends the escalation; resolve stops the clock.
func (s *clockSuite) TestResolutionClockPausedBreachedAndInterim() {
	s.toRemediation()
	paused := s.stepAt(10*time.Hour, pause())
	whilePaused := s.caseAt(12 * time.Hour)
	resumed := s.stepAt(15*time.Hour, resume())
	late := s.caseAt(29*time.Hour + 30*time.Minute)
	provided := s.stepAt(30*time.Hour+30*time.Minute, interim())
	resolved := s.stepAt(34*time.Hour, resolve())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 40*time.Hour)

	cs := s.ok(paused)
	s.Equal(complaint.ClockPaused, cs.Clocks.Resolution.State)
	s.Require().NotNil(cs.Paused)
	s.Equal("waiting for the customer's site access", cs.Paused.Reason)
	s.Equal(s.at(10*time.Hour).UTC(), cs.Paused.Since.UTC())
	s.Contains(cs.AllowedSteps, workflows.UpdateResume.Name)
	s.NotContains(cs.AllowedSteps, workflows.UpdatePause.Name)

	p := s.taken(whilePaused).Resolution
	s.Equal(complaint.ClockPaused, p.State)
	s.Equal(0, p.WarningsSent, "a paused clock does not warn: its first warning was due at 12h")

	cs = s.ok(resumed)
	r := cs.Clocks.Resolution
	s.Equal(complaint.ClockRunning, r.State)
	s.sameTime(s.at(29*time.Hour), r.DueAt, "24 h plus the 5 h pause")
	s.Equal(int64(18000), r.PausedSeconds)
	s.Nil(cs.Paused)
	s.Contains(cs.AllowedSteps, workflows.UpdatePause.Name)
	s.Equal(s.at(29*time.Hour).UTC(), s.attributesAt(15 * time.Hour)["ResolveDueAt"].(time.Time).UTC())

	s.taken(late)
	cs = late.Case
	s.Equal(complaint.ClockBreached, cs.Clocks.Resolution.State)
	s.sameTime(s.at(29*time.Hour), cs.Clocks.Resolution.BreachedAt)
	s.True(cs.InterimRequired)
	s.Contains(cs.AllowedSteps, workflows.UpdateInterim.Name)

	cs = s.ok(provided)
	s.Require().NotNil(cs.Interim)
	s.Equal("backup_equipment", cs.Interim.Kind)
	s.NotContains(cs.AllowedSteps, workflows.UpdateInterim.Name)

	cs = s.ok(resolved)
	s.Equal(complaint.ClockBreached, cs.Clocks.Resolution.State, "resolved late: still breached")
	s.sameTime(s.at(34*time.Hour), cs.Clocks.Resolution.StoppedAt)

	// Warnings at 12 h and 19h12m of calendar time, counting the 10 h before
	// the pause; escalation at 29 h and 30 h, and none at 33 h after the
	// interim solution at 30h30m.
	s.requireNotified(map[string]time.Time{
		firing(sla.Resolution, warning, 1):    s.at(17 * time.Hour),
		firing(sla.Resolution, warning, 2):    s.at(24*time.Hour + 12*time.Minute),
		firing(sla.Resolution, escalation, 1): s.at(29 * time.Hour),
		firing(sla.Resolution, escalation, 2): s.at(30 * time.Hour),
	})
	for _, n := range s.notifications() {
		s.Equal(s.at(29*time.Hour).UTC(), n.DueAt.UTC(), "%s %d names the due after the pause", n.Kind, n.Level)
	}
	// After analysis "responsible" is the case's department.
	s.Equal(warnedTo(complaint.DepartmentProduction), s.notification(sla.Resolution, warning, 1).Recipients)
	s.Equal([]activities.Recipient{{Role: "supervisor", Department: complaint.DepartmentProduction}},
		s.notification(sla.Resolution, escalation, 2).Recipients)
	s.Equal([]string{
		"clock_warning resolution 1 @17h0m0s", "clock_warning resolution 2 @24h12m0s",
		"clock_breached resolution 0 @29h0m0s", "clock_escalated resolution 1 @29h0m0s",
		"clock_escalated resolution 2 @30h0m0s",
	}, s.clockEvents(s.sinceStart))

	r = final.Clocks.Resolution
	s.Equal(complaint.ClockBreached, r.State)
	s.Equal(2, r.EscalationLevel)
	s.Equal(2, r.WarningsSent)
	s.Equal(int64(18000), r.PausedSeconds)
}

// Resolved in time, the resolution clock is met and no interim is owed.
func (s *clockSuite) TestResolveMeetsTheResolutionClock() {
	s.toRemediation()
	resolved := s.stepAt(13*time.Hour, resolve())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 40*time.Hour)

	cs := s.ok(resolved)
	s.Equal(complaint.ClockMet, cs.Clocks.Resolution.State)
	s.sameTime(s.at(13*time.Hour), cs.Clocks.Resolution.StoppedAt)
	s.NotContains(cs.AllowedSteps, workflows.UpdatePause.Name)
	r := final.Clocks.Resolution
	s.Equal(complaint.ClockMet, r.State)
	s.Nil(r.BreachedAt)
	s.False(final.InterimRequired)
	s.NotContains(final.AllowedSteps, workflows.UpdateInterim.Name)
	s.requireNotified(map[string]time.Time{firing(sla.Resolution, warning, 1): s.at(12 * time.Hour)})
}

// Resolved while paused, the pause so far still counts as paused time.
func (s *clockSuite) TestResolveWhilePausedCountsThePause() {
	s.toRemediation()
	s.stepAt(10*time.Hour, pause())
	resolved := s.stepAt(12*time.Hour, resolve())
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 40*time.Hour)

	cs := s.ok(resolved)
	r := cs.Clocks.Resolution
	s.Equal(complaint.ClockMet, r.State)
	s.sameTime(s.at(12*time.Hour), r.StoppedAt)
	s.Equal(int64(7200), r.PausedSeconds)
	s.Nil(cs.Paused)
	s.NotContains(cs.AllowedSteps, workflows.UpdateResume.Name)
	s.Equal(int64(7200), final.Clocks.Resolution.PausedSeconds)
	s.requireNotified(map[string]time.Time{})
}

// shanghaiOffice is a policy on office hours in Shanghai: Monday to Friday
// 08:30–12:00 and 13:00–17:30, with the holidays.
func (s *clockSuite) shanghaiOffice(holidays ...string) sla.Policy {
	p := sla.Standard()
	p.Name = "shanghai-office"
	p.Calendar = sla.Calendar{TimeZone: "Asia/Shanghai", Holidays: holidays}
	spans := []sla.Span{{Start: "08:30", End: "12:00"}, {Start: "13:00", End: "17:30"}}
	for _, day := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		p.Calendar.Hours = append(p.Calendar.Hours, sla.WeekdayHours{Weekday: day, Spans: spans})
	}
	s.Require().Nil(p.Validate())
	return p
}

// 4. Business hours: a complaint received on Friday at 16:45 in Shanghai
// has 45 minutes of its 2 h response that day and the rest on the next open
// day; its timers fire at those instants, none over the weekend.
func (s *clockSuite) TestResponseClockOnBusinessHours() {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	s.Require().NoError(err)
	local := func(day, hour, minute int) time.Time { return time.Date(2026, 11, day, hour, minute, 0, 0, shanghai) }
	received := local(27, 16, 45) // a Friday
	cases := []struct {
		name     string
		holidays []string
		open     int // the day of the next opening
		resolve  time.Time
	}{
		{name: "due on Monday", open: 30, resolve: local(30+2, 16, 45)},
		{name: "due on Tuesday after a Monday holiday", holidays: []string{"2026-11-30"}, open: 31,
			resolve: time.Date(2026, 12, 3, 16, 45, 0, 0, shanghai)},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			s.startAt(received)
			openDay := func(hour, minute int) time.Time { return local(tc.open, hour, minute) }
			weekend := s.caseAt(local(29, 12, 0).Sub(received)) // Sunday noon
			final := s.run(s.clockInput(complaint.CategoryNonQuality, s.shanghaiOffice(tc.holidays...)),
				openDay(11, 0).Sub(received))

			w := s.taken(weekend)
			s.Equal(complaint.ClockRunning, w.Response.State)
			s.Equal(0, w.Response.WarningsSent, "nothing fires over the weekend")
			s.sameTime(openDay(9, 45), w.Response.DueAt)
			s.sameTime(tc.resolve, w.Resolution.DueAt, "24 open hours: 45m, three days of 8 h, 7h15m")

			// 50 % is 15 minutes into the open day, 80 % 51 minutes; the
			// escalations run on the wall clock from the breach.
			s.requireNotified(map[string]time.Time{
				firing(sla.Response, warning, 1):    openDay(8, 45),
				firing(sla.Response, warning, 2):    openDay(9, 21),
				firing(sla.Response, escalation, 1): openDay(9, 45),
				firing(sla.Response, escalation, 2): openDay(10, 45),
			})
			inShanghai := func(t time.Time) string { return t.In(shanghai).Format("Mon 15:04") }
			day := openDay(0, 0).Format("Mon")
			s.Equal([]string{
				"clock_warning response 1 @" + day + " 08:45", "clock_warning response 2 @" + day + " 09:21",
				"clock_breached response 0 @" + day + " 09:45", "clock_escalated response 1 @" + day + " 09:45",
				"clock_escalated response 2 @" + day + " 10:45",
			}, s.clockEvents(inShanghai))
			s.Equal(complaint.ClockBreached, final.Clocks.Response.State)
			s.sameTime(openDay(9, 45), final.Clocks.Response.BreachedAt)
		})
	}
}

// 5. A case's deadlines come from the policy copied into its input, and
// only from it: each case keeps its own policy's due however long it runs.
// (Editing a stored policy and registering after it is the API's end-to-end
// test; here the workflow is shown to read nothing but its input.)
func (s *clockSuite) TestDeadlinesComeFromThePolicyInTheInput() {
	express := sla.Policy{Name: "express", Response: sla.Duration(30 * time.Minute), Onsite: sla.Duration(time.Hour),
		Resolution: sla.Duration(8 * time.Hour), WarningPoints: []float64{0.5},
		Escalation: []sla.EscalationLevel{{Level: 1, After: sla.Duration(10 * time.Minute),
			Recipients: []sla.Recipient{{Role: "supervisor", Department: "sales"}}}},
	}.WithDefaults()
	s.Require().Nil(express.Validate())
	cases := []struct {
		policy                     sla.Policy
		response, onsite, resolved time.Duration
		want                       map[string]time.Duration
	}{
		{sla.Standard(), 2 * time.Hour, 4 * time.Hour, 24 * time.Hour, map[string]time.Duration{
			firing(sla.Response, warning, 1): time.Hour, firing(sla.Response, warning, 2): 96 * time.Minute,
			firing(sla.Response, escalation, 1): 2 * time.Hour, firing(sla.Response, escalation, 2): 3 * time.Hour,
			firing(sla.Response, escalation, 3): 6 * time.Hour,
		}},
		{express, 30 * time.Minute, time.Hour, 8 * time.Hour, map[string]time.Duration{
			firing(sla.Response, warning, 1): 15 * time.Minute, firing(sla.Response, escalation, 1): 40 * time.Minute,
		}},
	}
	for _, tc := range cases {
		s.Run(tc.policy.Name, func() {
			s.startAt(clockStart)
			in := s.clockInput(complaint.CategoryQuality, tc.policy)
			early := s.caseAt(time.Minute)
			final := s.run(in, 100*time.Hour)

			for _, cl := range []complaint.Clocks{s.taken(early), *final.Clocks} {
				s.sameTime(s.at(tc.response), cl.Response.DueAt)
				s.sameTime(s.at(tc.onsite), cl.Onsite.DueAt)
				s.sameTime(s.at(tc.resolved), cl.Resolution.DueAt)
			}
			s.Equal(tc.policy.Name, final.SLAPolicy)
			want := map[string]time.Time{}
			for k, d := range tc.want {
				want[k] = s.at(d)
			}
			s.requireNotified(want, sla.Response)
		})
	}
}

// Without a policy a case runs no clocks at all.
func (s *clockSuite) TestNoPolicyNoClocks() {
	in := s.clockInput(complaint.CategoryQuality, sla.Policy{})
	early := s.caseAt(time.Minute)
	final := s.run(in, 100*time.Hour)
	s.Require().True(early.taken)
	s.Nil(early.Clocks)
	s.Nil(final.Clocks)
	s.Empty(final.SLAPolicy)
	s.Equal([]string{workflows.UpdateContact.Name, workflows.UpdateConfirm.Name, workflows.UpdateWithdraw.Name,
		workflows.UpdateEngineers.Name, workflows.UpdateVisits.Name}, final.AllowedSteps, "a quality case takes visits")
	s.requireNotified(map[string]time.Time{})
	s.NotContains(s.attributesAt(time.Minute), "ResponseDueAt")
}

// 6. The clocks' search attributes.
func (s *clockSuite) TestSearchAttributes() {
	s.Run("a breach", func() {
		s.startAt(clockStart)
		s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 150*time.Minute)

		s.mu.Lock()
		first := s.upserts[0]
		s.mu.Unlock()
		s.Equal(s.start.UTC(), first.at.UTC(), "published when the workflow starts")
		s.Equal(s.at(2*time.Hour).UTC(), first.values["ResponseDueAt"].(time.Time).UTC())
		s.Equal(s.at(24*time.Hour).UTC(), first.values["ResolveDueAt"].(time.Time).UTC())
		s.NotContains(first.values, "OnsiteDueAt", "no on-site clock")
		s.Equal(false, first.values["SLABreached"])
		s.Equal(false, first.values["AtRisk"])

		s.Equal(false, s.attributesAt(59 * time.Minute)["AtRisk"])
		s.Equal(true, s.attributesAt(time.Hour)["AtRisk"], "warned")
		breached := s.attributesAt(2 * time.Hour)
		s.Equal(true, breached["SLABreached"])
		s.Equal(false, breached["AtRisk"], "breached, no longer at risk")
		s.Equal(s.at(2*time.Hour).UTC(), breached["ResponseDueAt"].(time.Time).UTC(), "still running, late")
	})
	s.Run("a contact in time", func() {
		s.startAt(clockStart)
		s.stepAt(90*time.Minute, contact())
		s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 3*time.Hour)

		s.Equal(true, s.attributesAt(89 * time.Minute)["AtRisk"])
		met := s.attributesAt(90 * time.Minute)
		s.NotContains(met, "ResponseDueAt", "unset once stopped")
		s.Equal(false, met["AtRisk"])
		s.Equal(false, met["SLABreached"])
		s.Equal(s.at(24*time.Hour).UTC(), met["ResolveDueAt"].(time.Time).UTC())
		s.Equal(false, s.attributesAt(3 * time.Hour)["SLABreached"])
	})
	s.Run("an on-site clock", func() {
		s.startAt(clockStart)
		s.stepAt(10*time.Minute, contact())
		s.stepAt(time.Hour, req(workflows.UpdateOnsite.Name, engineer, complaint.OptionalNoteBody{}))
		s.run(s.clockInput(complaint.CategoryQuality, sla.Standard()), 2*time.Hour)

		s.Equal(s.at(4*time.Hour).UTC(), s.attributesAt(0)["OnsiteDueAt"].(time.Time).UTC())
		s.NotContains(s.attributesAt(time.Hour), "OnsiteDueAt")
	})
}

// 7. Closing the case stops every clock: nothing is sent after it, and the
// workflow ends.
func (s *clockSuite) TestWithdrawStopsEveryClock() {
	cases := []struct {
		name  string
		at    time.Duration
		want  map[string]time.Duration
		state complaint.ClockState // the response clock's
	}{
		{name: "after a warning", at: 70 * time.Minute, state: complaint.ClockMet,
			want: map[string]time.Duration{firing(sla.Response, warning, 1): time.Hour}},
		{name: "after a breach", at: 150 * time.Minute, state: complaint.ClockBreached,
			want: map[string]time.Duration{
				firing(sla.Response, warning, 1): time.Hour, firing(sla.Response, warning, 2): 96 * time.Minute,
				firing(sla.Response, escalation, 1): 2 * time.Hour, firing(sla.Onsite, warning, 1): 2 * time.Hour,
			}},
	}
	for _, tc := range cases {
		s.Run(tc.name, func() {
			s.startAt(clockStart)
			withdrawn := s.stepAt(tc.at, withdraw())
			final := s.run(s.clockInput(complaint.CategoryQuality, sla.Standard()), 100*time.Hour)

			s.ok(withdrawn)
			s.Equal(complaint.StageClosed, final.Stage)
			s.Empty(final.AllowedSteps)
			s.Equal(tc.state, final.Clocks.Response.State)
			for name, c := range map[string]complaint.Clock{
				sla.Response: final.Clocks.Response, sla.Onsite: final.Clocks.Onsite, sla.Resolution: final.Clocks.Resolution,
			} {
				s.sameTime(s.at(tc.at), c.StoppedAt, name)
			}
			want := map[string]time.Time{}
			for k, d := range tc.want {
				want[k] = s.at(d)
			}
			s.requireNotified(want)
			for _, n := range s.notifications() {
				s.False(n.At.After(s.at(tc.at)), "%s %s %d sent after the withdrawal", n.Clock, n.Kind, n.Level)
			}
		})
	}
}

// Once confirm assigns an engineer, warnings reach that engineer and
// after-sales, not every engineer of the department.
func (s *clockSuite) TestWarningsReachTheAssignedEngineer() {
	engineerID := "user-eng-7"
	s.stepAt(10*time.Minute, req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{AssignedEngineer: &engineerID}))
	cs := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 90*time.Minute)
	s.Equal(engineerID, cs.AssignedEngineer)
	warned := s.notification(sla.Response, warning, 1)
	s.Equal([]activities.Recipient{{Role: "agent", Department: "after_sales"}, {UserID: engineerID}}, warned.Recipients)
}
