package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
)

// complaintWorkflowType is the type name ComplaintWorkflow is registered under.
const complaintWorkflowType = "ComplaintWorkflow"

// Bounds of one reconciler run; what is left waits for the next run.
const (
	reconcileMaxScan  = 1000
	reconcileMaxCases = 100
)

// ReconcileWorkflow brings the store up to date with case workflows ended
// outside the API (terminated or cancelled in the Web UI or CLI, or timed
// out): their cases are marked terminated with who and why, so the API stops
// offering steps an admin must first reopen. A Temporal Schedule runs it
// every minute (see reconcile_schedule.go). It never gives up on a failed
// store write: activities retry without limit, and the schedule skips runs
// while one is still retrying.
func ReconcileWorkflow(ctx workflow.Context) (int, error) {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// Listing reads at most reconcileMaxScan visibility rows and a few
		// histories; a lost attempt is retried after this.
		StartToCloseTimeout: 2 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
	var ended []activities.EndedCase
	if err := workflow.ExecuteActivity(ctx, acts.FindEndedCases, activities.ReconcileInput{
		WorkflowType: complaintWorkflowType, MaxScan: reconcileMaxScan, MaxCases: reconcileMaxCases,
	}).Get(ctx, &ended); err != nil {
		return 0, err
	}
	futures := make([]workflow.Future, len(ended))
	for i, e := range ended {
		futures[i] = workflow.ExecuteActivity(ctx, acts.MarkCaseTerminated, e)
	}
	for _, f := range futures {
		if err := f.Get(ctx, nil); err != nil {
			return 0, err
		}
	}
	if len(ended) > 0 {
		workflow.GetLogger(ctx).Info("cases marked terminated", "count", len(ended))
	}
	return len(ended), nil
}
