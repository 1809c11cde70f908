package complaint_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

func ptr[T any](v T) *T { return &v }

// The step bodies' validate tags, as the API and the workflow both check
// them with BodyProblems.
func TestStepBodyTags(t *testing.T) {
	cases := []struct {
		name string
		body any
		want map[string]string // nil: valid
	}{
		{"contact", complaint.ContactBody{Note: "called"}, nil},
		{"contact without note", complaint.ContactBody{}, map[string]string{"note": "is required"}},

		{"confirm with nothing corrected", complaint.ConfirmBody{}, nil},
		{"confirm corrections", complaint.ConfirmBody{Category: ptr(complaint.CategoryNonQuality),
			Severity: ptr(complaint.SeveritySevere), ShipDate: ptr("2026-01-15"), Quantity: ptr(0)}, nil},
		{"confirm clears an optional field", complaint.ConfirmBody{ShipDate: ptr(""), ContactPhone: ptr("")}, nil},
		{"confirm blanks a required field", complaint.ConfirmBody{CustomerName: ptr("")},
			map[string]string{"customer_name": "must not be empty"}},
		{"confirm bad enums", complaint.ConfirmBody{Category: ptr(complaint.Category("rust")), Channel: ptr(complaint.Channel("fax"))},
			map[string]string{"category": "must be one of: quality, non_quality, other",
				"channel": "must be one of: phone, letter, email, website, visit, branch_office"}},
		{"confirm bad date and quantity", complaint.ConfirmBody{ShipDate: ptr("15/01/2026"), Quantity: ptr(-1)},
			map[string]string{"ship_date": "must be a date YYYY-MM-DD", "quantity": "must be at least 0"}},

		{"analysis, company at fault", complaint.AnalysisBody{RootCause: "seal", ResponsibleDepartment: "production",
			Liability: complaint.LiabilityCompany}, nil},
		{"analysis, customer at fault", complaint.AnalysisBody{RootCause: "misuse", ResponsibleDepartment: "after_sales",
			Liability: complaint.LiabilityCustomer, Evidence: []string{"photo"}, Explanation: "overpressure"}, nil},
		{"analysis, customer at fault without explanation", complaint.AnalysisBody{RootCause: "misuse",
			ResponsibleDepartment: "after_sales", Liability: complaint.LiabilityUndetermined},
			map[string]string{"evidence": "is required unless liability is company",
				"explanation": "is required unless liability is company"}},
		{"analysis, blank evidence item", complaint.AnalysisBody{RootCause: "misuse", ResponsibleDepartment: "after_sales",
			Liability: complaint.LiabilityCustomer, Evidence: []string{""}, Explanation: "overpressure"},
			map[string]string{"evidence[0]": "is required"}},
		{"analysis, bad department and liability", complaint.AnalysisBody{RootCause: "x", ResponsibleDepartment: "hr",
			Liability: "nobody", Evidence: []string{"photo"}, Explanation: "x"}, map[string]string{
			"responsible_department": "must be one of: after_sales, sales, technical, production, quality, branch_office",
			"liability":              "must be one of: company, customer, third_party, undetermined"}},

		{"proposal", complaint.ProposalBody{Measures: "rework"}, nil},
		{"proposal without measures", complaint.ProposalBody{}, map[string]string{"measures": "is required"}},

		{"agreement", complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "fix",
			ApprovingDepartments: []string{"quality", "production"}}, nil},
		{"agreement without approvers", complaint.AgreementBody{Type: complaint.AgreementRefund, Description: "money back"}, nil},
		{"agreement bad type", complaint.AgreementBody{Type: "barter", Description: "x"},
			map[string]string{"type": "must be one of: repair, replace, refund, credit, explanation_accepted, other"}},
		{"agreement repeats a department", complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "x",
			ApprovingDepartments: []string{"quality", "quality"}},
			map[string]string{"approving_departments": "must not repeat a value"}},
		{"agreement unknown department", complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "x",
			ApprovingDepartments: []string{"finance"}},
			map[string]string{"approving_departments[0]": "must be one of: after_sales, sales, technical, production, quality, branch_office"}},

		{"approve", complaint.ApprovalBody{Decision: complaint.DecisionApprove}, nil},
		{"reject with reason", complaint.ApprovalBody{Decision: complaint.DecisionReject, Comment: "too costly"}, nil},
		{"reject without reason", complaint.ApprovalBody{Decision: complaint.DecisionReject},
			map[string]string{"comment": "is required when decision is reject"}},
		{"no decision", complaint.ApprovalBody{}, map[string]string{"decision": "is required"}},
		{"bad decision", complaint.ApprovalBody{Decision: "maybe"},
			map[string]string{"decision": "must be one of: approve, reject"}},

		{"note", complaint.NoteBody{Note: "done"}, nil},
		{"note missing", complaint.NoteBody{}, map[string]string{"note": "is required"}},

		{"corrective action", complaint.CorrectiveActionBody{Action: "train", OwnerDepartment: "quality", DueDate: "2026-12-31"}, nil},
		{"corrective action bad fields", complaint.CorrectiveActionBody{Action: "train", OwnerDepartment: "hr", DueDate: "soon"},
			map[string]string{"owner_department": "must be one of: after_sales, sales, technical, production, quality, branch_office",
				"due_date": "must be a date YYYY-MM-DD"}},

		{"close", complaint.CloseBody{CustomerConfirmed: true}, nil},
		{"close satisfied 1", complaint.CloseBody{CustomerConfirmed: true, Satisfaction: ptr(1)}, nil},
		{"close satisfied 5", complaint.CloseBody{CustomerConfirmed: true, Satisfaction: ptr(5)}, nil},
		{"close satisfaction 0", complaint.CloseBody{CustomerConfirmed: true, Satisfaction: ptr(0)},
			map[string]string{"satisfaction": "must be at least 1"}},
		{"close satisfaction 6", complaint.CloseBody{CustomerConfirmed: true, Satisfaction: ptr(6)},
			map[string]string{"satisfaction": "must be at most 5"}},
		{"close unconfirmed", complaint.CloseBody{}, map[string]string{"customer_confirmed": "must be true"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, complaint.BodyProblems(c.body))
		})
	}
}

func TestConfirmCorrectsOnlyTheFieldsGiven(t *testing.T) {
	r := complaint.Register{CustomerID: "C-1", CustomerName: "Acme", Category: complaint.CategoryQuality,
		Severity: complaint.SeveritySevere, OrderNumber: "SO-1", Quantity: ptr(5)}
	got := complaint.ConfirmBody{Note: "checked", Severity: ptr(complaint.SeverityMinor), OrderNumber: ptr("SO-2"),
		DefectiveQuantity: ptr(1)}.Correct(r)
	want := r
	want.Severity, want.OrderNumber, want.DefectiveQuantity = complaint.SeverityMinor, "SO-2", ptr(1)
	require.Equal(t, want, got)
	require.Equal(t, "SO-1", r.OrderNumber, "the original is untouched")
}

func TestActorHasRole(t *testing.T) {
	a := complaint.Actor{Roles: []string{complaint.RoleApprover}}
	require.True(t, a.HasRole(complaint.RoleApprover))
	require.False(t, a.HasRole(complaint.RoleEngineer))
}
