package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
)

// ReconcileScheduleID is the Temporal Schedule that runs ReconcileWorkflow.
const ReconcileScheduleID = "caseflow-reconcile-ended-cases"

// reconcileEvery is how soon the store learns of a workflow ended outside
// the API.
const reconcileEvery = time.Minute

// EnsureReconcileSchedule creates the reconciler's schedule, or updates it
// when it exists with another interval, workflow or task queue; `caseflow
// migrate` and `caseflow dev` call it on every start.
func EnsureReconcileSchedule(ctx context.Context, c client.Client, taskQueue string) error {
	action := &client.ScheduleWorkflowAction{
		ID:        "caseflow-reconcile",
		Workflow:  ReconcileWorkflow,
		TaskQueue: taskQueue,
	}
	spec := client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: reconcileEvery}}}
	// A run still retrying a store write when the next tick comes is left
	// to catch up, and that tick skipped.
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID:      ReconcileScheduleID,
		Spec:    spec,
		Action:  action,
		Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		Note:    "marks cases whose workflow was terminated, cancelled or timed out as terminated in the case store",
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("create schedule %s: %w", ReconcileScheduleID, err)
		}
		return nil
	}
	handle := c.ScheduleClient().GetHandle(ctx, ReconcileScheduleID)
	desc, err := handle.Describe(ctx)
	if err != nil {
		return fmt.Errorf("describe schedule %s: %w", ReconcileScheduleID, err)
	}
	if current, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction); ok && sameSchedule(desc.Schedule.Spec, current, taskQueue) {
		return nil
	}
	err = handle.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec, s.Action = &spec, action
			if s.Policy == nil {
				s.Policy = &client.SchedulePolicies{}
			}
			s.Policy.Overlap = enumspb.SCHEDULE_OVERLAP_POLICY_SKIP
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", ReconcileScheduleID, err)
	}
	return nil
}

func sameSchedule(spec *client.ScheduleSpec, action *client.ScheduleWorkflowAction, taskQueue string) bool {
	return spec != nil && len(spec.Intervals) == 1 && spec.Intervals[0].Every == reconcileEvery &&
		len(spec.Calendars) == 0 && len(spec.CronExpressions) == 0 &&
		action.Workflow == "ReconcileWorkflow" && action.TaskQueue == taskQueue
}
