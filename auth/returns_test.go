package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/rma"
)

// TestEveryRMAStepIsAuthorizedByTheRMATable: the route table's rule for the
// request and each step of an RMA is the RMA rules' table, so the API and
// the workflow's re-check (rma.MayTake) agree for every department and role.
func TestEveryRMAStepIsAuthorizedByTheRMATable(t *testing.T) {
	actions := map[string]auth.Action{complaint.RMAStepRequest: auth.RequestReturn}
	for _, step := range complaint.RMASteps() {
		actions[step] = auth.ReturnAction(step)
	}
	for step, action := range actions {
		require.Contains(t, auth.Policy, action, "RMA step %s has no action", step)
		for _, dept := range complaint.Departments() {
			for _, role := range complaint.Roles() {
				p := auth.Principal{Department: auth.Department(dept), Roles: []auth.Role{auth.Role(role)}}
				a := complaint.Actor{Department: dept, Roles: []string{role}}
				require.Equal(t, rma.MayTake(step, a), auth.Authorize(p, action) == nil, "%s by %s of %s", step, role, dept)
			}
		}
	}
	require.Equal(t, auth.RequestReturn, auth.ReturnAction(complaint.RMAStepRequest))
}
