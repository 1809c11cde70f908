package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
)

// ReviewScheduleID is the Temporal Schedule that starts the monthly review.
const ReviewScheduleID = "caseflow-monthly-review"

// reviewSpec is 08:00 on the first of every month in the company's zone.
func reviewSpec(timeZone string) client.ScheduleSpec {
	return client.ScheduleSpec{
		Calendars: []client.ScheduleCalendarSpec{{
			Second: []client.ScheduleRange{{Start: 0}}, Minute: []client.ScheduleRange{{Start: 0}},
			Hour: []client.ScheduleRange{{Start: 8}}, DayOfMonth: []client.ScheduleRange{{Start: 1}},
			Month:     []client.ScheduleRange{{Start: 1, End: 12}},
			DayOfWeek: []client.ScheduleRange{{Start: 0, End: 6}},
		}},
		TimeZoneName: timeZone,
	}
}

// EnsureReviewSchedule creates the monthly review's schedule, or puts it
// back when it exists with another time, zone, workflow or task queue;
// `caseflow migrate` and `caseflow dev` call it on every start.
func EnsureReviewSchedule(ctx context.Context, c client.Client, taskQueue, timeZone string) error {
	action := &client.ScheduleWorkflowAction{ID: "caseflow-monthly-review", Workflow: ScheduledReviewWorkflow,
		TaskQueue: taskQueue}
	spec := reviewSpec(timeZone)
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: ReviewScheduleID, Spec: spec, Action: action, Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		// A worker down on the first still runs the review when it is back.
		CatchupWindow: 7 * 24 * time.Hour,
		Note:          "reviews the previous month's complaints per department [3.(4)]",
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("create schedule %s: %w", ReviewScheduleID, err)
		}
		return nil
	}
	handle := c.ScheduleClient().GetHandle(ctx, ReviewScheduleID)
	desc, err := handle.Describe(ctx)
	if err != nil {
		return fmt.Errorf("describe schedule %s: %w", ReviewScheduleID, err)
	}
	if current, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction); ok &&
		sameReviewSchedule(desc.Schedule.Spec, current, taskQueue, timeZone) {
		return nil
	}
	err = handle.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec, s.Action = &spec, action
			return &client.ScheduleUpdate{Schedule: &s}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", ReviewScheduleID, err)
	}
	return nil
}

func sameReviewSchedule(spec *client.ScheduleSpec, action *client.ScheduleWorkflowAction, taskQueue, timeZone string) bool {
	if spec == nil || len(spec.Calendars) != 1 || len(spec.Intervals) != 0 || spec.TimeZoneName != timeZone {
		return false
	}
	cal := spec.Calendars[0]
	first := func(r []client.ScheduleRange) int {
		if len(r) != 1 {
			return -1
		}
		return r[0].Start
	}
	return first(cal.Hour) == 8 && first(cal.Minute) == 0 && first(cal.DayOfMonth) == 1 &&
		action.Workflow == "ScheduledReviewWorkflow" && action.TaskQueue == taskQueue
}

// startReview starts a month's review as a child this workflow abandons,
// once per month: a review already started (on demand, or by an earlier
// run) is left as it is.
func startReview(ctx workflow.Context, in ReviewInput) error {
	ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            complaint.ReviewWorkflowID(in.Month),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:         ReviewSummary(in),
	})
	err := workflow.ExecuteChildWorkflow(ctx, MonthlyReviewWorkflow, in).GetChildWorkflowExecution().Get(ctx, nil)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return err
	}
	return nil
}
