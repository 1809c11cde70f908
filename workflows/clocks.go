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

// startClocks starts the three clocks from the moment the complaint was
// received, with the policy copied into the workflow at registration, and
// a watch over each.
func (w *complaintWorkflow) startClocks(ctx workflow.Context) {
	w.state.StartClocks()
	w.watchClocks(ctx)
}

// watchClocks watches every clock, once the case is registered:
// notifications name the case number.
func (w *complaintWorkflow) watchClocks(ctx workflow.Context) {
	for _, c := range w.state.Runs {
		workflow.Go(ctx, func(ctx workflow.Context) {
			if workflow.Await(ctx, func() bool { return w.registered }) == nil {
				w.watchClock(ctx, c)
			}
		})
	}
}

// deliveriesDone reports whether no clock's notifications are still being
// delivered.
func (w *complaintWorkflow) deliveriesDone() bool {
	for _, n := range w.delivering {
		if n > 0 {
			return false
		}
	}
	return true
}

// watchClock sleeps on a durable timer until the clock's next event, waking
// early when a step changes the clock, and fires the event when it is due.
func (w *complaintWorkflow) watchClock(ctx workflow.Context, c *sla.Run) {
	for {
		seen := c.Changes
		ev := w.state.Next(c)
		changed := func() bool { return c.Changes != seen || w.state.Stage == complaint.StageClosed }
		if ev.Kind == "" {
			if err := workflow.Await(ctx, changed); err != nil || w.state.Stage == complaint.StageClosed {
				return
			}
			continue
		}
		if wait := ev.At.Sub(workflow.Now(ctx)); wait > 0 {
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
				workflow.GetLogger(ctx).Error("service-level event failed", "clock", c.Name, "event", ev.Kind, "error", err)
			}
			return
		}
	}
}

// timerSummary labels a timer in the Web UI, e.g. "on-site deadline 4h".
func (w *complaintWorkflow) timerSummary(c *sla.Run, ev sla.Event) string {
	label := complaint.ClockLabel(c.Name)
	switch ev.Kind {
	case sla.EventWarning:
		return fmt.Sprintf("%s warning at %.0f%% of %s", label, 100*w.state.Policy.WarningPoints[ev.Level-1], shortDuration(c.Target))
	case sla.EventBreach:
		return fmt.Sprintf("%s deadline %s", label, shortDuration(c.Target))
	default:
		return fmt.Sprintf("%s escalation level %d", label, ev.Level)
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
