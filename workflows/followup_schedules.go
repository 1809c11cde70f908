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

// The follow-up schedules: the daily plan at 07:00 and the yearly plan at
// 08:00 on 2 January (the day after New Year's Day), in the company's zone.
const (
	DailyFollowupScheduleID  = plannerPrefix + "daily"
	YearlyFollowupScheduleID = plannerPrefix + "yearly"
)

// calendarSchedule is one schedule that starts a workflow at an hour of
// the day, on a day of a month (0: every day, every month).
type calendarSchedule struct {
	id, note               string
	hour, dayOfMonth, mnth int
	workflow               any
	workflowName           string
	args                   []any
}

func (s calendarSchedule) spec(timeZone string) client.ScheduleSpec {
	every := func(n, first, last int) []client.ScheduleRange {
		if n == 0 {
			return []client.ScheduleRange{{Start: first, End: last}}
		}
		return []client.ScheduleRange{{Start: n}}
	}
	return client.ScheduleSpec{
		Calendars: []client.ScheduleCalendarSpec{{
			Second: []client.ScheduleRange{{Start: 0}}, Minute: []client.ScheduleRange{{Start: 0}},
			Hour: []client.ScheduleRange{{Start: s.hour}}, DayOfMonth: every(s.dayOfMonth, 1, 31),
			Month: every(s.mnth, 1, 12), DayOfWeek: []client.ScheduleRange{{Start: 0, End: 6}},
		}},
		TimeZoneName: timeZone,
	}
}

func followupSchedules() []calendarSchedule {
	return []calendarSchedule{
		{id: DailyFollowupScheduleID, hour: 7, workflow: PlanFollowupsWorkflow, workflowName: "PlanFollowupsWorkflow",
			args: []any{PlanFollowupsInput{Plan: PlanDaily}},
			note: "opens the calls owed after deliveries [1.(1).G]"},
		{id: YearlyFollowupScheduleID, hour: 8, dayOfMonth: 2, mnth: 1, workflow: PlanFollowupsWorkflow,
			workflowName: "PlanFollowupsWorkflow", args: []any{PlanFollowupsInput{Plan: PlanYearly}},
			note: "opens the year's satisfaction surveys and key-customer visits [1.(2).E, 2.(5).1]"},
	}
}

// EnsureFollowupSchedules creates the follow-up schedules, or puts each
// back when it exists with another time, zone, workflow or task queue;
// `caseflow migrate` and `caseflow dev` call it on every start.
func EnsureFollowupSchedules(ctx context.Context, c client.Client, taskQueue, timeZone string) error {
	for _, s := range followupSchedules() {
		if err := ensureCalendarSchedule(ctx, c, s, taskQueue, timeZone); err != nil {
			return err
		}
	}
	return nil
}

func ensureCalendarSchedule(ctx context.Context, c client.Client, s calendarSchedule, taskQueue, timeZone string) error {
	action := &client.ScheduleWorkflowAction{ID: s.id, Workflow: s.workflow, Args: s.args, TaskQueue: taskQueue}
	spec := s.spec(timeZone)
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: s.id, Spec: spec, Action: action, Overlap: enumspb.SCHEDULE_OVERLAP_POLICY_SKIP,
		// A worker down at the hour still runs the plan when it is back.
		CatchupWindow: 7 * 24 * time.Hour, Note: s.note,
	})
	if !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		if err != nil {
			return fmt.Errorf("create schedule %s: %w", s.id, err)
		}
		return nil
	}
	handle := c.ScheduleClient().GetHandle(ctx, s.id)
	desc, err := handle.Describe(ctx)
	if err != nil {
		return fmt.Errorf("describe schedule %s: %w", s.id, err)
	}
	if current, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction); ok &&
		s.same(desc.Schedule.Spec, current, taskQueue, timeZone) {
		return nil
	}
	err = handle.Update(ctx, client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			sched := in.Description.Schedule
			sched.Spec, sched.Action = &spec, action
			return &client.ScheduleUpdate{Schedule: &sched}, nil
		},
	})
	if err != nil {
		return fmt.Errorf("update schedule %s: %w", s.id, err)
	}
	return nil
}

// same reports whether a described schedule is s: its hour, day and month,
// zone, workflow and task queue.
func (s calendarSchedule) same(spec *client.ScheduleSpec, action *client.ScheduleWorkflowAction, taskQueue, timeZone string) bool {
	if spec == nil || len(spec.Calendars) != 1 || len(spec.Intervals) != 0 || spec.TimeZoneName != timeZone {
		return false
	}
	cal := spec.Calendars[0]
	first := func(r []client.ScheduleRange, every bool) int {
		if len(r) != 1 || (every && r[0].End <= r[0].Start) {
			return -1
		}
		if every {
			return 0
		}
		return r[0].Start
	}
	return first(cal.Hour, false) == s.hour && first(cal.DayOfMonth, s.dayOfMonth == 0) == s.dayOfMonth &&
		first(cal.Month, s.mnth == 0) == s.mnth && action.Workflow == s.workflowName && action.TaskQueue == taskQueue
}
