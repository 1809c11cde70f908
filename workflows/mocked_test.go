package workflows_test

import (
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// mocked names activities in OnActivity by method reference, so renaming an
// activity breaks the build of its mocks instead of leaving it unmocked.
var mocked *activities.Activities

// withoutPrevention mocks what a case starts beyond itself from the CAPA
// change on, for tests about something else: the search for earlier cases
// finds none, and a corrective action's own workflow (capa_test.go) and a
// closed case's post-close call (followup_test.go) complete at once.
func withoutPrevention(env *testsuite.TestWorkflowEnvironment) {
	env.RegisterWorkflow(workflows.FollowupWorkflow)
	env.OnWorkflow(workflows.FollowupWorkflow, mock.Anything, mock.Anything).Return(complaint.Followup{}, nil).Maybe()
	env.RegisterWorkflow(workflows.CapaWorkflow)
	env.OnActivity(mocked.FindRecurrence, mock.Anything, mock.Anything).Return(activities.Recurrence{}, nil).Maybe()
	env.OnWorkflow(workflows.CapaWorkflow, mock.Anything, mock.Anything).Return(complaint.Capa{}, nil).Maybe()
}
