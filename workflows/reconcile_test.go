package workflows_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// The reconciler marks every case found, and a store write that fails is
// retried until it lands rather than given up.
func TestReconcileWorkflowRetriesUntilTheStoreTakesIt(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	acts := &activities.Activities{}
	env.RegisterActivity(acts)
	ended := []activities.EndedCase{
		{CaseID: "a", Termination: complaint.Termination{Status: complaint.EndTerminated, Reason: "duplicate"}},
		{CaseID: "b", Termination: complaint.Termination{Status: complaint.EndCanceled, Reason: "test"}},
	}
	env.OnActivity(acts.FindEndedCases, mock.Anything, mock.MatchedBy(func(in activities.ReconcileInput) bool {
		return in.WorkflowType == "ComplaintWorkflow" && in.MaxScan > 0 && in.MaxCases > 0
	})).Return(ended, nil)
	attempts := map[string]int{}
	env.OnActivity(acts.MarkCaseTerminated, mock.Anything, mock.Anything).Return(
		func(_ context.Context, e activities.EndedCase) error {
			attempts[e.CaseID]++
			if e.CaseID == "b" && attempts["b"] < 6 {
				return errors.New("connection refused")
			}
			return nil
		})
	env.ExecuteWorkflow(workflows.ReconcileWorkflow)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var n int
	require.NoError(t, env.GetWorkflowResult(&n))
	require.Equal(t, 2, n)
	require.Equal(t, map[string]int{"a": 1, "b": 6}, attempts)
}
