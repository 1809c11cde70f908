package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/sla"
)

// The clocks' way of recording before fireOnceVersion, kept so that the
// cases that ran it replay.

// fireInPlace is fire before fireOnceVersion, kept for the cases that ran
// it: it changes the clock before its writes, delivers under the lock until
// delivery succeeds, and gives up on the first failed write.
func (w *complaintWorkflow) fireInPlace(ctx workflow.Context, c *sla.Run, ev sla.Event) error {
	now := workflow.Now(ctx)
	var events []complaint.Event
	var passed []sla.Event
	for ev.Kind != "" && !ev.At.After(now) {
		kind, err := w.apply(ctx, c, ev, now)
		if err != nil {
			return err
		}
		payload, _ := json.Marshal(map[string]any{"clock": c.Name, "level": ev.Level, "due_at": c.Due})
		events = append(events, complaint.Event{Kind: kind, Actor: systemActor, Payload: payload, OccurredAt: now})
		passed = append(passed, ev)
		ev = w.state.Next(c)
	}
	if err := w.commitClockEvents(ctx, events); err != nil {
		return err
	}
	countClockEvents(ctx, c.Name, passed)
	return nil
}

// commitClockEvents records the clocks' events like commit records a step,
// but in one local activity: at a deadline the whole change is one workflow
// task, which keeps escalations on time when many deadlines coincide. Only
// fireInPlace uses it.
func (w *complaintWorkflow) commitClockEvents(ctx workflow.Context, events []complaint.Event) error {
	for i := range events {
		w.state.Version++
		events[i].Seq = w.state.Version
	}
	w.state.RefreshClocks()
	w.state.AllowedSteps = rules.AllowedSteps(w.state.Case)
	if err := workflow.ExecuteLocalActivity(recordContext(ctx), acts.ApplyEvents,
		activities.CaseEvents{Case: w.state.Case, Events: events}).Get(ctx, nil); err != nil {
		return fmt.Errorf("apply clock events: %w", err)
	}
	return w.publish(ctx)
}

// apply changes the clock for one event, notifies its recipients, and names
// the timeline event (fireInPlace).
func (w *complaintWorkflow) apply(ctx workflow.Context, c *sla.Run, ev sla.Event, now time.Time) (string, error) {
	kind, recipients := rules.Pass(w.state.Policy, c, &w.state.Case, ev)
	if len(recipients) == 0 {
		return kind, nil
	}
	in := activities.NotifyInput{
		ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber, Clock: c.Name, Kind: ev.Kind, Level: ev.Level,
		DueAt: c.Due, At: now, Recipients: recipients,
	}
	// Recorded in the outbox within this workflow task, delivered after
	// when a channel is configured.
	var deliver bool
	if err := workflow.ExecuteLocalActivity(recordContext(ctx), acts.RecordNotifications, in).Get(ctx, &deliver); err != nil {
		return kind, err
	}
	if !deliver {
		return kind, nil
	}
	return kind, workflow.ExecuteActivity(notifyContext(ctx), acts.DeliverNotifications, in).Get(ctx, nil)
}

// recordContext sets the options of the clocks' writes, local activities.
// A local activity's ScheduleToCloseTimeout defaults to its
// StartToCloseTimeout (go.temporal.io/sdk internal/internal_activity.go,
// getValidatedLocalActivityOptions), retries included: with only a 5 s
// StartToClose, an outage of more than a few seconds failed the write for
// good. So the budget is explicit and short, three attempts within 10 s, to
// ride over a blip inside the workflow task; past it fireOnce retries on a
// durable timer.
func recordContext(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    5 * time.Second,
		ScheduleToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    3,
		},
	})
}

// notifyContext sets the options of fireInPlace's delivery: retried with
// backoff until it succeeds; the outbox keeps it exactly once.
func notifyContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}
