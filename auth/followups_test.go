package auth_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/feedback"
	"github.com/caseflow/caseflow/followup"
)

// grantedBy reports whether grants let role of dept in.
func grantedBy(grants []complaint.Grant, dept, role string) bool {
	return slices.ContainsFunc(grants, func(g complaint.Grant) bool {
		return (len(g.Departments) == 0 || slices.Contains(g.Departments, dept)) && slices.Contains(g.Roles, role)
	})
}

// TestEveryFollowupStepIsAuthorizedByItsTable: the route table's rule for
// opening a follow-up and for each of its steps is the follow-up rules'
// table, and a caller the table lets take a step on a follow-up its
// department owns is never refused by the workflow's re-check.
func TestEveryFollowupStepIsAuthorizedByItsTable(t *testing.T) {
	actions := map[string]auth.Action{complaint.FollowupStepOpen: auth.OpenFollowup}
	for _, step := range complaint.FollowupSteps() {
		actions[step] = auth.FollowupAction(step)
	}
	require.Equal(t, auth.OpenFollowup, auth.FollowupAction(complaint.FollowupStepOpen))
	for step, action := range actions {
		require.Contains(t, auth.Policy, action, "follow-up step %s has no action", step)
		for _, dept := range complaint.Departments() {
			for _, role := range complaint.Roles() {
				p := auth.Principal{Department: auth.Department(dept), Roles: []auth.Role{auth.Role(role)}}
				allowed := auth.Authorize(p, action) == nil
				require.Equal(t, grantedBy(followup.Grants(step), dept, role), allowed, "%s by %s of %s", step, role, dept)
				if allowed && step != complaint.FollowupStepOpen {
					f := complaint.Followup{Stage: complaint.FollowupOpen, OwnerDepartment: dept}
					a := complaint.Actor{Department: dept, Roles: []string{role}}
					require.True(t, followup.MayTake(step, f, a), "the workflow refuses %s by %s of %s", step, role, dept)
				}
			}
		}
	}
}

// TestEveryFeedbackStepIsAuthorizedByItsTable: logging and answering
// feedback follow the feedback rules' table, and a caller the table lets
// answer feedback routed to their department passes the workflow's check.
func TestEveryFeedbackStepIsAuthorizedByItsTable(t *testing.T) {
	actions := map[string]auth.Action{complaint.FeedbackStepLog: auth.LogFeedback,
		complaint.FeedbackStepAnswer: auth.FeedbackAction(complaint.FeedbackStepAnswer)}
	require.Equal(t, auth.LogFeedback, auth.FeedbackAction(complaint.FeedbackStepLog))
	for step, action := range actions {
		require.Contains(t, auth.Policy, action, "feedback step %s has no action", step)
		for _, dept := range complaint.Departments() {
			for _, role := range complaint.Roles() {
				p := auth.Principal{Department: auth.Department(dept), Roles: []auth.Role{auth.Role(role)}}
				allowed := auth.Authorize(p, action) == nil
				require.Equal(t, grantedBy(feedback.Grants(step), dept, role), allowed, "%s by %s of %s", step, role, dept)
				if allowed && step == complaint.FeedbackStepAnswer {
					fb := complaint.Feedback{Stage: complaint.FeedbackOpen, RoutedTo: dept}
					a := complaint.Actor{Department: dept, Roles: []string{role}}
					require.NoError(t, feedback.AdmitAnswer(&fb, a, complaint.FeedbackAnswerBody{Answer: "done"}),
						"the workflow refuses %s by %s of %s", step, role, dept)
				}
			}
		}
	}
}
