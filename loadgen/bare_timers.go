package loadgen

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/workflow"
)

// bareTimerWorkflow is the bare counterpart of a case's deadline: a timer,
// then a local activity in the task the timer wakes, as a clock records its
// escalation.
const bareTimerWorkflow = "loadgen-bare-timer"

// BareTimers is the report's name for the bare timers' lateness.
const BareTimers = "bare timer lateness"

// bareTimer sleeps until due and answers how late it woke by the workflow's
// clock, which is what a case's escalation records as its created_at.
func bareTimer(ctx workflow.Context, due time.Time) (time.Duration, error) {
	if d := due.Sub(workflow.Now(ctx)); d > 0 {
		if err := workflow.Sleep(ctx, d); err != nil {
			return 0, err
		}
	}
	late := workflow.Now(ctx).Sub(due)
	ctx = workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{StartToCloseTimeout: time.Minute})
	return late, workflow.ExecuteLocalActivity(ctx, bareRecord, due).Get(ctx, nil)
}

// bareRecord stands for the store write of an escalation.
func bareRecord(context.Context, time.Time) error { return nil }

// timers starts cfg.Deadlines bare timers due at one instant lead ahead (or
// spread as the deadlines are), records how late each woke under BareTimers
// and answers the first instant.
func (b *bareLoad) timers(ctx context.Context, cfg Config, lead time.Duration) time.Time {
	n, concurrency := cfg.Deadlines, cfg.Concurrency
	due := time.Now().Add(lead).Truncate(time.Second).UTC()
	runs := make([]client.WorkflowRun, n)
	phase(pace(ctx, n, 0, 0), concurrency, func(i int) bool {
		opts := b.options(fmt.Sprintf("loadgen-bare-timer-%s-%d", b.run, i))
		run, err := b.client.ExecuteWorkflow(ctx, opts, bareTimerWorkflow, cfg.dueAt(due, i))
		if err != nil {
			b.rec.failed(BareTimers, "start: "+reason(err))
			return false
		}
		runs[i] = run
		return true
	})
	phase(pace(ctx, n, 0, 0), concurrency, func(i int) bool {
		if runs[i] == nil {
			return false
		}
		var d time.Duration
		if err := runs[i].Get(ctx, &d); err != nil {
			b.rec.failed(BareTimers, reason(err))
			return false
		}
		b.rec.ok(BareTimers, d)
		return true
	})
	return due
}

// bareTimerLead is how far ahead the bare timers' instant lies: bare starts
// are quick.
func bareTimerLead(cfg Config) time.Duration {
	if cfg.DeadlineLead > 0 {
		return cfg.DeadlineLead
	}
	return 20*time.Second + time.Duration(cfg.Deadlines)*30*time.Millisecond
}
