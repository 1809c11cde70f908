package console_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestMyWorkListsWhatWaitsForTheUser: an approval waits for the departments
// its open round still needs, an assigned case for its engineer.
func TestMyWorkListsWhatWaitsForTheUser(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	now := time.Now().UTC()
	engineer := s.users["technical/engineer"]
	put := func(id string, stage complaint.Stage, edit func(*complaint.Case)) {
		c := complaint.Case{ID: id, Stage: stage, ReceivedAt: now, RegisteredAt: now,
			Register: complaint.Register{CustomerID: "C-1", CustomerName: "Acme", ContactName: "Li",
				Description: "leak", Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere}}
		edit(&c)
		_, err := s.store.RegisterCase(t.Context(), c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered,
			OccurredAt: now, Payload: []byte(`{}`)})
		require.NoError(t, err)
	}
	round := func(decided ...string) []complaint.ApprovalRound {
		r := complaint.ApprovalRound{Number: 1, Outcome: complaint.RoundPending, Agreement: complaint.Agreement{
			AgreementBody: complaint.AgreementBody{ApprovingDepartments: []string{"quality", "production"}}}}
		for _, d := range decided {
			r.Decisions = append(r.Decisions, complaint.ApprovalDecision{Department: d, Decision: complaint.DecisionApprove})
		}
		return []complaint.ApprovalRound{r}
	}
	put("needs-both", complaint.StageApprove, func(c *complaint.Case) {
		c.AllowedSteps, c.ApprovalRounds = []string{complaint.StepApprovals}, round()
	})
	put("quality-decided", complaint.StageApprove, func(c *complaint.Case) {
		c.AllowedSteps, c.ApprovalRounds = []string{complaint.StepApprovals}, round("quality")
	})
	put("assigned", complaint.StageRemediate, func(c *complaint.Case) {
		c.AllowedSteps, c.AssignedEngineer = []string{complaint.StepProgress}, engineer.ID
	})
	put("someone-elses", complaint.StageRemediate, func(c *complaint.Case) {
		c.AllowedSteps, c.AssignedEngineer = []string{complaint.StepProgress}, "another-engineer"
	})

	for _, tc := range []struct {
		user     string
		see, not []string
	}{
		{"quality/approver", []string{"needs-both"}, []string{"quality-decided", "assigned"}},
		{"production/approver", []string{"needs-both", "quality-decided"}, []string{"assigned"}},
		{"technical/engineer", []string{"assigned"}, []string{"someone-elses", "needs-both"}},
	} {
		t.Run(tc.user, func(t *testing.T) {
			b := s.browser(t)
			b.signIn(s.users[tc.user])
			status, page := b.get("/console/")
			require.Equal(t, http.StatusOK, status)
			for _, id := range tc.see {
				require.Contains(t, page, `data-case="`+id+`"`)
			}
			for _, id := range tc.not {
				require.NotContains(t, page, `data-case="`+id+`"`)
			}
		})
	}
}
