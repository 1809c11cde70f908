package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Retries of a clock's writes while the store is down: on a durable timer,
// 1 s doubling to a minute, for as long as it takes.
const (
	firstWriteRetry = time.Second
	maxWriteRetry   = time.Minute
)

// Delivery of one event's notifications: 10 attempts, 5 s doubling to 3 min
// apart, about 15 minutes in all (5+10+…+160 s, then 3×180 s, plus the
// attempts themselves); then what is left is marked failed.
const (
	deliveryAttempts   = 10
	firstDeliveryRetry = 5 * time.Second
	maxDeliveryRetry   = 3 * time.Minute
)

// firing is what a clock does at one instant, worked out before anything is
// written: the clock and the case as they will be once it is recorded, the
// timeline events, and the notifications of each event.
type firing struct {
	clock   clockRun
	state   complaint.Case
	events  []complaint.Event
	notices []activities.NotifyInput
	// Progress across attempts: the notices already in the outbox (and
	// whether each has a channel to go out on), and whether the events are.
	recorded []bool
	deliver  []bool
	applied  bool
}

// fireOnce is fire since fireOnceVersion: all or nothing. It works the
// events out on copies, writes the outbox and the timeline, and only then
// makes the copies the clock and the case; a failed write is logged,
// counted and retried on a durable timer until the store takes it (the
// outbox and the timeline are keyed, so a write that did land and is sent
// again is recorded once). Holding the lock meanwhile, steps wait; they
// could not be recorded without the store either. Delivery starts after,
// outside the lock.
func (w *complaintWorkflow) fireOnce(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	f := w.plan(c, ev, workflow.Now(ctx))
	retry := firstWriteRetry
	for attempt := 1; ; attempt++ {
		err := w.write(ctx, f)
		if err == nil {
			break
		}
		if temporal.IsCanceledError(err) {
			return err
		}
		workflow.GetLogger(ctx).Warn("service-level event not recorded; retrying",
			"clock", c.name, "event", ev.kind, "level", ev.level, "attempt", attempt, "retry_in", retry, "error", err)
		workflow.GetMetricsHandler(ctx).WithTags(map[string]string{"clock": c.name, "event": ev.kind}).
			Counter("caseflow_clock_event_retries").Inc(1)
		timer := workflow.NewTimerWithOptions(ctx, retry,
			workflow.TimerOptions{Summary: "retry recording " + w.timerSummary(c, ev)})
		if err := timer.Get(ctx, nil); err != nil {
			return err
		}
		retry = min(2*retry, maxWriteRetry)
	}
	// Deliveries of earlier events may have ended while this retried: the
	// count is the clock's live one, not the copy's.
	delivering := c.delivering
	*c = f.clock
	c.delivering = delivering
	w.state = f.state
	if err := w.publish(ctx); err != nil {
		return err
	}
	for i, in := range f.notices {
		if f.deliver[i] {
			w.deliverApart(w.root, c, in)
		}
	}
	return nil
}

// plan works out the event ev and any later ones already due at now (a
// breach and its first escalation fall together) on copies of the clock and
// the case.
func (w *complaintWorkflow) plan(c *clockRun, ev clockEvent, now time.Time) *firing {
	f := &firing{clock: *c, state: w.state}
	clocks := *w.state.Clocks
	f.state.Clocks = &clocks
	cl := &f.clock
	for ev.kind != "" && !ev.at.After(now) {
		kind, recipients := w.advance(cl, &f.state, ev)
		if len(recipients) > 0 {
			f.notices = append(f.notices, activities.NotifyInput{
				ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber, Clock: cl.name, Kind: ev.kind, Level: ev.level,
				DueAt: cl.due, At: now, Recipients: recipients,
			})
		}
		payload, _ := json.Marshal(map[string]any{"clock": cl.name, "level": ev.level, "due_at": cl.due})
		f.state.Version++
		f.events = append(f.events, complaint.Event{Seq: f.state.Version, Kind: kind, Actor: systemActor,
			Payload: payload, OccurredAt: now})
		ev = w.next(cl)
	}
	*f.state.Clocks = w.clocksView(func(name string) *clockRun {
		if name == cl.name {
			return cl
		}
		return w.clock(name)
	})
	f.state.AllowedSteps = allowedSteps(f.state)
	f.recorded, f.deliver = make([]bool, len(f.notices)), make([]bool, len(f.notices))
	return f
}

// write records what f has not yet recorded: the notifications into the
// outbox, then the events into the timeline. They are regular activities,
// not local ones: a local activity writes before its workflow task
// completes, so a worker killed in that task leaves writes behind that the
// next attempt may plan differently (a step arriving in the same task takes
// the lock first), and the store then holds events at sequence numbers the
// workflow gives to others. A regular activity runs only once the task that
// scheduled it is in the history.
func (w *complaintWorkflow) write(ctx workflow.Context, f *firing) error {
	for i, in := range f.notices {
		if f.recorded[i] {
			continue
		}
		if err := workflow.ExecuteActivity(clockWriteContext(ctx), acts.RecordNotifications, in).
			Get(ctx, &f.deliver[i]); err != nil {
			return fmt.Errorf("record %s %s %d notifications: %w", in.Clock, in.Kind, in.Level, err)
		}
		f.recorded[i] = true
	}
	if !f.applied {
		if err := workflow.ExecuteActivity(clockWriteContext(ctx), acts.ApplyEvents,
			activities.CaseEvents{Case: f.state, Events: f.events}).Get(ctx, nil); err != nil {
			return fmt.Errorf("apply clock events: %w", err)
		}
		f.applied = true
	}
	return nil
}

// deliverApart delivers one event's notifications in a coroutine of its
// own, outside the steps' lock, so a dead channel never holds up a step or
// another clock. Each notification goes out once per channel (the activity
// records each channel's outcome); after deliveryAttempts the rest is
// marked failed with its last error. The workflow waits for it before it
// completes (see deliveriesDone), so closing a case drops no delivery.
func (w *complaintWorkflow) deliverApart(ctx workflow.Context, c *clockRun, in activities.NotifyInput) {
	c.delivering++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { c.delivering-- }()
		err := workflow.ExecuteActivity(deliverContext(ctx, in), acts.DeliverNotifications, in).Get(ctx, nil)
		if err == nil || temporal.IsCanceledError(err) {
			return
		}
		workflow.GetLogger(ctx).Warn("notifications undelivered after every attempt; marking them failed",
			"clock", in.Clock, "kind", in.Kind, "level", in.Level, "attempts", deliveryAttempts)
		last := err.Error()
		var appErr *temporal.ApplicationError
		if errors.As(err, &appErr) {
			last = appErr.Error()
		}
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.FailNotifications,
			activities.DeliveryFailure{Event: in, LastError: last}).Get(ctx, nil); err != nil &&
			!temporal.IsCanceledError(err) {
			workflow.GetLogger(ctx).Error("undelivered notifications not marked failed",
				"clock", in.Clock, "kind", in.Kind, "level", in.Level, "error", err)
		}
	})
}

// clockWriteContext sets the options of fireOnce's writes: a few quick
// attempts, then fireOnce retries on a durable timer, logged and counted.
func clockWriteContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumAttempts:    3,
		},
	})
}

// deliverContext sets the options of fireOnce's delivery: bounded attempts.
func deliverContext(ctx workflow.Context, in activities.NotifyInput) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// One attempt sends every pending notification of the event over
		// every channel, each bounded by its channel's own timeout.
		StartToCloseTimeout: 2 * time.Minute,
		// It heartbeats after each notification, so an attempt lost with its
		// worker is retried within this, not after StartToCloseTimeout.
		HeartbeatTimeout: 30 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    firstDeliveryRetry,
			BackoffCoefficient: 2,
			MaximumInterval:    maxDeliveryRetry,
			MaximumAttempts:    deliveryAttempts,
		},
		Summary: fmt.Sprintf("deliver %s %s %d", in.Clock, in.Kind, in.Level),
	})
}

// dueBeforeStepsVersion marks the change that records the clocks' events
// already due before a step changes the case: a timer that fired in the
// same workflow task as a step (a worker down for a while, a store outage)
// used to lose the race for the lock, and a step that stopped its clock
// dropped events that were owed before it.
const (
	dueBeforeStepsChangeID = "clock-events-due-before-steps"
	dueBeforeStepsVersion  = 1
)

// fireDue records, under the lock the caller holds, every clock event due
// by now, before a step applies.
func (w *complaintWorkflow) fireDue(ctx workflow.Context) error {
	if len(w.clocks) == 0 || workflow.GetVersion(ctx, dueBeforeStepsChangeID, workflow.DefaultVersion,
		dueBeforeStepsVersion) == workflow.DefaultVersion {
		return nil
	}
	now := workflow.Now(ctx)
	for _, c := range w.clocks {
		if ev := w.next(c); ev.kind != "" && !ev.at.After(now) {
			if err := w.fireLocked(ctx, c, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// fire records a clock's warning, breach or escalation, and any later ones
// already due (a breach and its first escalation fall together): first the
// notifications (through the outbox), so that they go out as early as they
// can, then the timeline events. It runs under the steps' lock.
func (w *complaintWorkflow) fire(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	return w.fireLocked(ctx, c, ev)
}

// fireLocked is fire for a caller that holds the lock.
func (w *complaintWorkflow) fireLocked(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	// A step may have moved the clock while this waited for the lock.
	if cur := w.next(c); cur.kind != ev.kind || cur.level != ev.level || !cur.at.Equal(ev.at) {
		return nil
	}
	if workflow.GetVersion(ctx, fireOnceChangeID, workflow.DefaultVersion, fireOnceVersion) == fireOnceVersion {
		return w.fireOnce(ctx, c, ev)
	}
	return w.fireInPlace(ctx, c, ev)
}

// advance moves clock c and case state past the event ev, and names the
// timeline event and whom it notifies.
func (w *complaintWorkflow) advance(c *clockRun, state *complaint.Case, ev clockEvent) (string, []activities.Recipient) {
	switch ev.kind {
	case "warning":
		c.warnings++
		return complaint.EventClockWarning, w.warningRecipients()
	case eventBreach:
		c.breachedAt = c.due
		if c.name == sla.Resolution {
			state.InterimRequired = true
		}
		return complaint.EventClockBreached, nil
	default:
		c.escalations++
		return complaint.EventClockEscalated, w.resolve(w.policy.Escalation[c.escalations-1].Recipients)
	}
}
