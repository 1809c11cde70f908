// Package worker builds the Temporal worker that runs case workflows and
// their activities.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/workflows"
)

// New returns a worker on taskQueue with every workflow and activity registered.
func New(c client.Client, taskQueue string, acts *activities.Activities) sdkworker.Worker {
	w := sdkworker.New(c, taskQueue, sdkworker.Options{})
	w.RegisterWorkflow(workflows.ComplaintWorkflow)
	w.RegisterActivity(acts)
	return w
}
