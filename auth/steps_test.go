package auth_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// TestEveryStepIsAuthorizedByTheOneTable: the route table's rule for each
// step is the case vocabulary's, so the API and the workflow's re-check
// (complaint.MayTake) read the same departments, and an API caller the
// table allows is never refused by the workflow for its department.
func TestEveryStepIsAuthorizedByTheOneTable(t *testing.T) {
	for _, step := range complaint.Steps() {
		action := auth.Action("complaint." + step)
		require.Contains(t, auth.Policy, action, "step %s has no action", step)
		for _, dept := range complaint.Departments() {
			for _, role := range complaint.Roles() {
				p := auth.Principal{Department: auth.Department(dept), Roles: []auth.Role{auth.Role(role)}}
				a := complaint.Actor{Department: dept, Roles: []string{role}}
				want := slices.ContainsFunc(complaint.StepGrants(step), func(g complaint.Grant) bool {
					return (len(g.Departments) == 0 || slices.Contains(g.Departments, dept)) && slices.Contains(g.Roles, role)
				})
				allowed := auth.Authorize(p, action) == nil
				require.Equal(t, want, allowed, "%s by %s of %s", step, role, dept)
				if allowed {
					require.True(t, complaint.MayTake(step, a), "the workflow refuses %s by %s of %s", step, role, dept)
				}
			}
		}
	}
}

// Every step's action is in the table under the name StepAction derives.
func TestEveryStepHasItsAction(t *testing.T) {
	for _, step := range complaint.Steps() {
		_, ok := auth.Policy[auth.StepAction(step)]
		require.True(t, ok, step)
	}
	require.Equal(t, auth.StepCorrective, auth.StepAction(complaint.StepCorrectiveActions))
}
