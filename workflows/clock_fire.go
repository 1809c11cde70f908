package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
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
	clock   sla.Run
	state   complaint.Case
	events  []complaint.Event
	notices []activities.NotifyInput
	// passed are the clock's events, counted in metrics once recorded.
	passed []sla.Event
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
func (w *complaintWorkflow) fireOnce(ctx workflow.Context, c *sla.Run, ev sla.Event) error {
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
			"clock", c.Name, "event", ev.Kind, "level", ev.Level, "attempt", attempt, "retry_in", retry, "error", err)
		workflow.GetMetricsHandler(ctx).WithTags(map[string]string{"clock": c.Name, "event": ev.Kind}).
			Counter("caseflow_clock_event_retries").Inc(1)
		timer := workflow.NewTimerWithOptions(ctx, retry,
			workflow.TimerOptions{Summary: "retry recording " + w.timerSummary(c, ev)})
		if err := timer.Get(ctx, nil); err != nil {
			return err
		}
		retry = min(2*retry, maxWriteRetry)
	}
	countClockEvents(ctx, c.Name, f.passed)
	*c = f.clock
	w.state.Case = f.state
	if err := w.publish(ctx); err != nil {
		return err
	}
	for i, in := range f.notices {
		if f.deliver[i] {
			w.deliverApart(w.root, c.Name, in)
		}
	}
	return nil
}

// plan works out the event ev and any later ones already due at now (a
// breach and its first escalation fall together) on copies of the clock and
// the case.
func (w *complaintWorkflow) plan(c *sla.Run, ev sla.Event, now time.Time) *firing {
	f := &firing{clock: *c, state: w.state.Case}
	clocks := *w.state.Clocks
	f.state.Clocks = &clocks
	cl := &f.clock
	for ev.Kind != "" && !ev.At.After(now) {
		kind, recipients := rules.Pass(w.state.Policy, cl, &f.state, ev)
		if len(recipients) > 0 {
			f.notices = append(f.notices, activities.NotifyInput{
				ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber, Clock: cl.Name, Kind: ev.Kind, Level: ev.Level,
				DueAt: cl.Due, At: now, Recipients: recipients,
			})
		}
		payload, _ := json.Marshal(map[string]any{"clock": cl.Name, "level": ev.Level, "due_at": cl.Due})
		f.state.Version++
		f.events = append(f.events, complaint.Event{Seq: f.state.Version, Kind: kind, Actor: systemActor,
			Payload: payload, OccurredAt: now})
		f.passed = append(f.passed, ev)
		ev = rules.Next(f.state, w.state.Policy, cl)
	}
	*f.state.Clocks = rules.ClocksView(func(name string) *sla.Run {
		if name == cl.Name {
			return cl
		}
		return w.state.Run(name)
	})
	f.state.AllowedSteps = rules.AllowedSteps(f.state)
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

// countClockEvents counts the breaches and escalations of a clock just
// recorded, labelled by the clock and the level only, and how late each
// escalation went out: the workflow's time now, once recorded, less the
// instant it was due (a worker or store down delays it). The SDK's handler
// records nothing while a workflow replays, and metrics add no commands.
func countClockEvents(ctx workflow.Context, clock string, passed []sla.Event) {
	metrics := workflow.GetMetricsHandler(ctx)
	now := workflow.Now(ctx)
	for _, ev := range passed {
		switch ev.Kind {
		case sla.EventBreach:
			metrics.WithTags(map[string]string{"clock": clock}).Counter("caseflow_clock_breaches").Inc(1)
		case sla.EventEscalation:
			tagged := metrics.WithTags(map[string]string{"clock": clock, "level": strconv.Itoa(ev.Level)})
			tagged.Counter("caseflow_clock_escalations").Inc(1)
			tagged.Timer("caseflow_clock_escalation_lateness").Record(max(now.Sub(ev.At), 0))
		}
	}
}

// deliverApart delivers one event's notifications in a coroutine of its
// own, outside the steps' lock, so a dead channel never holds up a step or
// another clock. Each notification goes out once per channel (the activity
// records each channel's outcome); after deliveryAttempts the rest is
// marked failed with its last error. The workflow waits for it before it
// completes (see deliveriesDone), so closing a case drops no delivery.
func (w *complaintWorkflow) deliverApart(ctx workflow.Context, key string, in activities.NotifyInput) {
	w.delivering[key]++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { w.delivering[key]-- }()
		deliver(ctx, in)
	})
}

// deliver delivers one event's notifications with bounded attempts, then
// marks what is left failed with its last error.
func deliver(ctx workflow.Context, in activities.NotifyInput) {
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
}

// notifyApart records a notice in the outbox, keyed so a retry records it
// once, and delivers it off the caller's lock in a coroutine of root;
// pending (when not nil) counts it until it is done, so the workflow does
// not end before.
func notifyApart(root workflow.Context, pending *int, notice activities.NotifyInput) {
	if pending != nil {
		*pending++
	}
	workflow.Go(root, func(ctx workflow.Context) {
		if pending != nil {
			defer func() { *pending-- }()
		}
		var left bool
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.RecordNotifications, notice).Get(ctx, &left); err != nil {
			return // cancelled: storeContext retries every other failure
		}
		if left {
			deliver(ctx, notice)
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
	if len(w.state.Runs) == 0 || w.version(ctx, dueBeforeStepsChangeID) == workflow.DefaultVersion {
		return nil
	}
	now := workflow.Now(ctx)
	for _, c := range w.state.Runs {
		if ev := w.state.Next(c); ev.Kind != "" && !ev.At.After(now) {
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
func (w *complaintWorkflow) fire(ctx workflow.Context, c *sla.Run, ev sla.Event) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	return w.fireLocked(ctx, c, ev)
}

// fireLocked is fire for a caller that holds the lock.
func (w *complaintWorkflow) fireLocked(ctx workflow.Context, c *sla.Run, ev sla.Event) error {
	// A step may have moved the clock while this waited for the lock.
	if cur := w.state.Next(c); cur.Kind != ev.Kind || cur.Level != ev.Level || !cur.At.Equal(ev.At) {
		return nil
	}
	if w.version(ctx, fireOnceChangeID) == fireOnceVersion {
		return w.fireOnce(ctx, c, ev)
	}
	return w.fireInPlace(ctx, c, ev)
}
