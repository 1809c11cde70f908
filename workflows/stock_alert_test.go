package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

func TestAStockAlertTellsTheSupervisorsOnce(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterActivity(&activities.Activities{})
	var recorded []activities.NotifyInput
	env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			recorded = append(recorded, in)
			return true, nil
		})
	delivered := 0
	env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.NotifyInput) error { delivered++; return nil })
	env.ExecuteWorkflow(workflows.StockAlertWorkflow, workflows.StockAlertInput{AlertID: 7, PartNumber: "P-778",
		Warehouse: "main", Name: "seal kit", OnHand: 4, ReorderLevel: 5, At: time.Now()})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	require.Len(t, recorded, 1)
	n := recorded[0]
	require.Equal(t, complaint.NotificationReorder, n.Kind)
	require.Equal(t, 7, n.Level, "the alert keys the outbox")
	require.Equal(t, "supervisor", n.Recipients[0].Role)
	require.Equal(t, complaint.DepartmentAfterSales, n.Recipients[0].Department)
	require.Equal(t, "4", n.Facts["on_hand"])
	require.Equal(t, 1, delivered)
}
