package workflows

import (
	"time"

	"go.temporal.io/sdk/workflow"
)

// sleepUntil waits for a timer at at, or until moved reports true; fired
// says which.
func sleepUntil(ctx workflow.Context, at time.Time, summary string, moved func() bool) (fired bool, err error) {
	timerCtx, cancel := workflow.WithCancel(ctx)
	defer cancel()
	timer := workflow.NewTimerWithOptions(timerCtx, max(at.Sub(workflow.Now(ctx)), 0),
		workflow.TimerOptions{Summary: summary})
	workflow.Go(ctx, func(ctx workflow.Context) { fired = timer.Get(ctx, nil) == nil })
	if err := workflow.Await(ctx, func() bool { return fired || moved() }); err != nil {
		return false, err
	}
	return fired && !moved(), nil
}
