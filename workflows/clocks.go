package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// clocksVersion marks the change that added service-level clocks, so cases
// registered before it replay without them.
const (
	clocksChangeID = "service-level-clocks"
	clocksVersion  = 1
)

// fireOnceVersion marks the change that records a clock's events all or
// nothing, retrying until the store takes them, and delivers their
// notifications outside the steps' lock with bounded attempts. Cases whose
// clocks fired before it keep the old way (see fireInPlace).
const (
	fireOnceChangeID = "clock-events-retried-delivered-apart"
	fireOnceVersion  = 1
)

// clockRun is the running state of one service-level clock. Its target runs
// in the policy's calendar time: elapsed counts only open hours, and a pause
// adds nothing to it.
type clockRun struct {
	name     string
	target   time.Duration
	required bool
	// runningSince is when the clock last started or resumed; zero while
	// paused or stopped. elapsed is the calendar time run before it.
	runningSince time.Time
	elapsed      time.Duration
	pausedSince  time.Time
	paused       time.Duration
	due          time.Time // while running
	stoppedAt    time.Time
	breachedAt   time.Time
	warnings     int // warnings sent
	escalations  int // escalation levels sent
	// changes counts state changes, to wake the clock's timer loop.
	changes int
	// delivering counts deliveries of its notifications still under way;
	// the workflow waits for them before it completes.
	delivering int
}

func (c *clockRun) running() bool { return !c.runningSince.IsZero() }
func (c *clockRun) stopped() bool { return !c.stoppedAt.IsZero() }
func (c *clockRun) breached() bool {
	return !c.breachedAt.IsZero()
}

// clockEvent is what a clock does next.
type clockEvent struct {
	kind  string // notify.KindWarning, notify.KindEscalation, "breach", or "" for nothing
	level int    // 1-based
	at    time.Time
}

const eventBreach = "breach"

// startClocks starts the three clocks from the moment the complaint was
// received, with the policy copied into the workflow at registration.
func (w *complaintWorkflow) startClocks(ctx workflow.Context) {
	received := w.state.ReceivedAt
	w.clocks = []*clockRun{
		{name: sla.Response, target: w.policy.Target(sla.Response), required: true},
		{name: sla.Onsite, target: w.policy.Target(sla.Onsite), required: w.state.OnsiteNeeded()},
		{name: sla.Resolution, target: w.policy.Target(sla.Resolution), required: true},
	}
	for _, c := range w.clocks {
		if c.required {
			w.runClock(c, received)
		}
	}
	w.state.Clocks = &complaint.Clocks{}
	w.refreshClocks()
	w.state.AllowedSteps = allowedSteps(w.state)
	for _, c := range w.clocks {
		workflow.Go(ctx, func(ctx workflow.Context) {
			// Notifications name the case number, known once registered.
			if workflow.Await(ctx, func() bool { return w.registered }) == nil {
				w.watchClock(ctx, c)
			}
		})
	}
}

func (w *complaintWorkflow) clock(name string) *clockRun {
	for _, c := range w.clocks {
		if c.name == name {
			return c
		}
	}
	return nil
}

// runClock (re)starts a clock at t and computes its deadline.
func (w *complaintWorkflow) runClock(c *clockRun, t time.Time) {
	c.runningSince = t
	c.due = w.calendarAdd(t, c.target-c.elapsed)
	c.changes++
}

// stopClock stops a clock for good at t (the step that meets it).
func (w *complaintWorkflow) stopClock(c *clockRun, t time.Time) {
	if c == nil || c.stopped() || !c.required {
		return
	}
	if c.running() {
		c.elapsed += w.calendarElapsed(c.runningSince, t)
		c.runningSince = time.Time{}
	} else if !c.pausedSince.IsZero() {
		// Stopped while paused: the pause ends here and counts as paused.
		c.paused += w.calendarElapsed(c.pausedSince, t)
		c.pausedSince = time.Time{}
	}
	c.stoppedAt = t
	c.changes++
	if c.name == sla.Resolution {
		w.state.Paused = nil
	}
}

func (w *complaintWorkflow) pauseClock(c *clockRun, t time.Time) {
	c.elapsed += w.calendarElapsed(c.runningSince, t)
	c.runningSince, c.due, c.pausedSince = time.Time{}, time.Time{}, t
	c.changes++
}

func (w *complaintWorkflow) resumeClock(c *clockRun, t time.Time) {
	c.paused += w.calendarElapsed(c.pausedSince, t)
	c.pausedSince = time.Time{}
	w.runClock(c, t)
}

// requireOnsite starts or drops the on-site clock when confirm changes
// whether the case needs a visit.
func (w *complaintWorkflow) requireOnsite(needed bool) {
	c := w.clock(sla.Onsite)
	if c == nil || c.required == needed || c.stopped() {
		return
	}
	c.required = needed
	if needed {
		w.runClock(c, w.state.ReceivedAt)
	} else {
		c.runningSince, c.due = time.Time{}, time.Time{}
		c.changes++
	}
}

// deliveriesDone reports whether no clock's notifications are still being
// delivered.
func (w *complaintWorkflow) deliveriesDone() bool {
	for _, c := range w.clocks {
		if c.delivering > 0 {
			return false
		}
	}
	return true
}

// stopAllClocks stops every clock when the case closes.
func (w *complaintWorkflow) stopAllClocks(t time.Time) {
	for _, c := range w.clocks {
		w.stopClock(c, t)
	}
}

// next says what a clock does next, from its state alone.
func (w *complaintWorkflow) next(c *clockRun) clockEvent {
	if !c.required || c.stopped() || w.state.Stage == complaint.StageClosed {
		return clockEvent{}
	}
	if !c.breached() {
		if !c.running() {
			return clockEvent{} // paused
		}
		points := w.policy.WarningPoints
		if c.warnings < len(points) {
			at := time.Duration(points[c.warnings] * float64(c.target))
			warnAt := c.runningSince
			if at > c.elapsed {
				warnAt = w.calendarAdd(c.runningSince, at-c.elapsed)
			}
			if warnAt.Before(c.due) {
				return clockEvent{kind: "warning", level: c.warnings + 1, at: warnAt}
			}
		}
		return clockEvent{kind: eventBreach, at: c.due}
	}
	// Escalation goes on until the clock stops; past the resolution
	// deadline, an interim solution also ends it.
	if c.name == sla.Resolution && w.state.Interim != nil {
		return clockEvent{}
	}
	levels := w.policy.Escalation
	if c.escalations < len(levels) {
		l := levels[c.escalations]
		return clockEvent{kind: "escalation", level: l.Level, at: c.breachedAt.Add(time.Duration(l.After))}
	}
	return clockEvent{}
}

// watchClock sleeps on a durable timer until the clock's next event, waking
// early when a step changes the clock, and fires the event when it is due.
func (w *complaintWorkflow) watchClock(ctx workflow.Context, c *clockRun) {
	for {
		seen := c.changes
		ev := w.next(c)
		changed := func() bool { return c.changes != seen || w.state.Stage == complaint.StageClosed }
		if ev.kind == "" {
			if err := workflow.Await(ctx, changed); err != nil || w.state.Stage == complaint.StageClosed {
				return
			}
			continue
		}
		if wait := ev.at.Sub(workflow.Now(ctx)); wait > 0 {
			woke, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
				Timeout:      wait,
				TimerOptions: workflow.TimerOptions{Summary: w.timerSummary(c, ev)},
			}, changed)
			if err != nil {
				return
			}
			if woke {
				continue
			}
		}
		// Since fireOnceVersion, fire fails only when the workflow is
		// cancelled; before it, a failed write ended the watch here.
		if err := w.fire(ctx, c, ev); err != nil {
			if !temporal.IsCanceledError(err) {
				workflow.GetLogger(ctx).Error("service-level event failed", "clock", c.name, "event", ev.kind, "error", err)
			}
			return
		}
	}
}

// timerSummary labels a timer in the Web UI, e.g. "on-site deadline 4h".
func (w *complaintWorkflow) timerSummary(c *clockRun, ev clockEvent) string {
	label := map[string]string{sla.Response: "response", sla.Onsite: "on-site", sla.Resolution: "resolution"}[c.name]
	switch ev.kind {
	case "warning":
		return fmt.Sprintf("%s warning at %.0f%% of %s", label, 100*w.policy.WarningPoints[ev.level-1], shortDuration(c.target))
	case eventBreach:
		return fmt.Sprintf("%s deadline %s", label, shortDuration(c.target))
	default:
		return fmt.Sprintf("%s escalation level %d", label, ev.level)
	}
}

func shortDuration(d time.Duration) string {
	s := d.String()
	for _, suffix := range []string{"m0s", "h0m"} {
		if len(s) > len(suffix) && s[len(s)-len(suffix):] == suffix {
			s = s[:len(s)-len(suffix)+1]
		}
	}
	return s
}

func (w *complaintWorkflow) calendarAdd(t time.Time, d time.Duration) time.Time {
	due, err := w.policy.Calendar.Add(t, d)
	if err != nil {
		// The policy was validated before it was stored; a calendar with no
		// opening left falls back to absolute time rather than never firing.
		return t.Add(d)
	}
	return due
}

func (w *complaintWorkflow) calendarElapsed(from, to time.Time) time.Duration {
	d, err := w.policy.Calendar.Elapsed(from, to)
	if err != nil {
		return to.Sub(from)
	}
	return d
}
