package app_test

import (
	"bytes"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/temporalembed"
	"github.com/caseflow/caseflow/workflows"
)

// reconcileSchedule describes the reconciler's schedule: every how long and
// on which task queue it starts the reconcile workflow.
func reconcileSchedule(t *testing.T, c client.Client) (time.Duration, string) {
	t.Helper()
	desc, err := c.ScheduleClient().GetHandle(t.Context(), workflows.ReconcileScheduleID).Describe(t.Context())
	require.NoError(t, err)
	require.Len(t, desc.Schedule.Spec.Intervals, 1)
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok)
	require.Equal(t, "ReconcileWorkflow", action.Workflow)
	return desc.Schedule.Spec.Intervals[0].Every, action.TaskQueue
}

// TestMigrateEnsuresReconcileSchedule: `caseflow migrate` creates the
// schedule, a second run is fine, and a run puts back a schedule someone
// changed.
func TestMigrateEnsuresReconcileSchedule(t *testing.T) {
	temporal, err := temporalembed.Start(t.Context(), temporalembed.Config{
		FrontendAddr: "127.0.0.1:0", DataDir: t.TempDir(), Namespace: "temporal-bootstrap",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	require.NoError(t, err)
	t.Cleanup(temporal.Stop)
	env := map[string]string{
		"TEMPORAL_ADDRESS":   temporal.FrontendAddr(),
		"TEMPORAL_NAMESPACE": "caseflow-prod",
		"DATABASE_URL":       "sqlite:" + filepath.Join(t.TempDir(), "cases.db"),
		"CASEFLOW_LOG_LEVEL": "error",
		"CASEFLOW_KEYRING":   testKeyring(t),
	}
	var out bytes.Buffer
	for range 2 {
		require.NoError(t, app.Run(t.Context(), []string{"migrate"}, envOf(env), &out, io.Discard))
	}
	c, err := client.DialContext(t.Context(), client.Options{HostPort: temporal.FrontendAddr(), Namespace: "caseflow-prod"})
	require.NoError(t, err)
	t.Cleanup(c.Close)
	every, queue := reconcileSchedule(t, c)
	require.Equal(t, time.Minute, every)
	require.Equal(t, "caseflow", queue)

	require.NoError(t, c.ScheduleClient().GetHandle(t.Context(), workflows.ReconcileScheduleID).Update(t.Context(),
		client.ScheduleUpdateOptions{DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Hour}}}
			return &client.ScheduleUpdate{Schedule: &s}, nil
		}}))
	every, _ = reconcileSchedule(t, c)
	require.Equal(t, time.Hour, every)
	require.NoError(t, app.Run(t.Context(), []string{"migrate"}, envOf(env), &out, io.Discard))
	every, _ = reconcileSchedule(t, c)
	require.Equal(t, time.Minute, every, "migrate puts the interval back")

	// The monthly review's: 08:00 on the 1st in the company's zone.
	desc, err := c.ScheduleClient().GetHandle(t.Context(), workflows.ReviewScheduleID).Describe(t.Context())
	require.NoError(t, err)
	require.Equal(t, "Asia/Shanghai", desc.Schedule.Spec.TimeZoneName)
	require.Len(t, desc.Schedule.Spec.Calendars, 1)
	cal := desc.Schedule.Spec.Calendars[0]
	require.Equal(t, 8, cal.Hour[0].Start)
	require.Equal(t, 1, cal.DayOfMonth[0].Start)
	action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
	require.True(t, ok)
	require.Equal(t, "ScheduledReviewWorkflow", action.Workflow)

	// The follow-ups': the daily plan at 07:00, the yearly at 08:00 on 2
	// January; one changed by hand is put back by the next migrate.
	yearly := c.ScheduleClient().GetHandle(t.Context(), workflows.YearlyFollowupScheduleID)
	require.NoError(t, yearly.Update(t.Context(), client.ScheduleUpdateOptions{
		DoUpdate: func(in client.ScheduleUpdateInput) (*client.ScheduleUpdate, error) {
			s := in.Description.Schedule
			s.Spec = &client.ScheduleSpec{Intervals: []client.ScheduleIntervalSpec{{Every: time.Hour}}}
			return &client.ScheduleUpdate{Schedule: &s}, nil
		}}))
	require.NoError(t, app.Run(t.Context(), []string{"migrate"}, envOf(env), &out, io.Discard))
	for id, want := range map[string][3]int{workflows.DailyFollowupScheduleID: {7, 1, 1},
		workflows.YearlyFollowupScheduleID: {8, 2, 1}} {
		desc, err := c.ScheduleClient().GetHandle(t.Context(), id).Describe(t.Context())
		require.NoError(t, err, id)
		require.Equal(t, "Asia/Shanghai", desc.Schedule.Spec.TimeZoneName, id)
		require.Len(t, desc.Schedule.Spec.Calendars, 1, id)
		require.Empty(t, desc.Schedule.Spec.Intervals, id)
		cal := desc.Schedule.Spec.Calendars[0]
		require.Equal(t, want, [3]int{cal.Hour[0].Start, cal.DayOfMonth[0].Start, cal.Month[0].Start}, id)
		action, ok := desc.Schedule.Action.(*client.ScheduleWorkflowAction)
		require.True(t, ok)
		require.Equal(t, "PlanFollowupsWorkflow", action.Workflow, id)
	}
}

// TestDevEnsuresReconcileSchedule: `caseflow dev` creates the schedule, and
// ensuring it again changes nothing.
func TestDevEnsuresReconcileSchedule(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	every, queue := reconcileSchedule(t, stack.Client)
	require.Equal(t, time.Minute, every)
	require.Equal(t, stack.Config.TaskQueue, queue)
	require.NoError(t, workflows.EnsureReconcileSchedule(t.Context(), stack.Client, stack.Config.TaskQueue))
	every, _ = reconcileSchedule(t, stack.Client)
	require.Equal(t, time.Minute, every)
}
