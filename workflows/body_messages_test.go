package workflows_test

import (
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// The workflow refuses a bad body, whoever sends the update, with the very
// fields and words the API answers (app's TestEveryBodyRuleEndToEnd asserts
// these over HTTP): both check it with complaint.BodyProblems.
func (s *complaintSuite) TestTheWorkflowWordsABadBodyAsTheAPIDoes() {
	s.mockStore()
	bad := []struct {
		step step
		want map[string]string
	}{
		{req(workflows.UpdateContact.Name, agent, complaint.ContactBody{}), map[string]string{"note": "is required"}},
		{req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{CustomerName: new(""),
			Category: new(complaint.Category("rust")), ShipDate: new("31/12/2026")}), map[string]string{
			"customer_name": "must not be empty",
			"category":      "must be one of: quality, non_quality, other",
			"ship_date":     "must be a date YYYY-MM-DD",
		}},
		{req(workflows.UpdateAnalysis.Name, technician, complaint.AnalysisBody{RootCause: "misuse",
			ResponsibleDepartment: complaint.DepartmentAfterSales, Liability: complaint.LiabilityCustomer}),
			map[string]string{
				"evidence":    "is required unless liability is company",
				"explanation": "is required unless liability is company",
			}},
		{req(workflows.UpdateApprovals.Name, approver(complaint.DepartmentQuality),
			complaint.ApprovalBody{Decision: complaint.DecisionReject}),
			map[string]string{"comment": "is required when decision is reject"}},
	}
	// Each bad body comes in the stage that takes its step, before the step
	// that moves the case on.
	path := toStage("approve")
	steps := []step{bad[0].step, bad[1].step, path[0], bad[2].step}
	steps = append(steps, path[1:]...)
	steps = append(steps, bad[3].step)
	outs := s.play(severeQuality(), steps...)
	for i, at := range []int{0, 1, 3, len(steps) - 1} {
		s.Equal(bad[i].want, s.fieldProblems(s.refused(outs[at], workflows.ErrTypeInvalid)), bad[i].step.name)
	}
}
