// Package worker builds the Temporal worker that runs case workflows and
// their activities.
package worker

import (
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/workflows"
)

// SetCacheSize bounds how many case workflows the process keeps in memory
// between their workflow tasks (Temporal's sticky cache, shared by every
// worker in the process); a workflow that was dropped replays its history
// on its next task. Call it before the first worker starts.
func SetCacheSize(workflows int) {
	sdkworker.SetStickyWorkflowCacheSize(workflows)
}

// New returns a worker on taskQueue with every workflow and activity registered.
func New(c client.Client, taskQueue string, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{
		// On shutdown, let running activities finish and report, instead of
		// leaving them to time out on the server before they are retried.
		WorkerStopTimeout: 15 * time.Second,
	})
	for _, wf := range Workflows() {
		w.RegisterWorkflow(wf)
	}
	w.RegisterActivity(acts)
	return w
}

// Workflows are every workflow the worker runs: what a replayer of their
// recorded histories registers too.
func Workflows() []any {
	return []any{
		workflows.ComplaintWorkflow,
		workflows.ReconcileWorkflow,
		workflows.StockAlertWorkflow,
		workflows.RmaWorkflow,
		workflows.CapaWorkflow,
		workflows.MonthlyReviewWorkflow,
		workflows.ScheduledReviewWorkflow,
		workflows.FollowupWorkflow,
		workflows.PlanFollowupsWorkflow,
		workflows.FeedbackWorkflow,
	}
}
