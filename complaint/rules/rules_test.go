package rules_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/sla"
)

var (
	now        = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	agent      = complaint.Actor{UserID: "as1", Department: complaint.DepartmentAfterSales, Roles: []string{complaint.RoleAgent}}
	technician = complaint.Actor{UserID: "t1", Department: complaint.DepartmentTechnical, Roles: []string{complaint.RoleAgent}}
	producer   = complaint.Actor{UserID: "p1", Department: complaint.DepartmentProduction, Roles: []string{complaint.RoleAgent}}
	engineer   = complaint.Actor{UserID: "e1", Department: complaint.DepartmentTechnical, Roles: []string{complaint.RoleEngineer}}
	salesman   = complaint.Actor{UserID: "s1", Department: complaint.DepartmentSales, Roles: []string{complaint.RoleAgent}}
)

func approver(dept string) complaint.Actor {
	return complaint.Actor{UserID: "a-" + dept, Department: dept, Roles: []string{complaint.RoleApprover}}
}

// newCase is a registered case of the category and severity, under a
// round-the-clock policy with the default warnings and escalation.
func newCase(category complaint.Category, severity complaint.Severity) *rules.State {
	s := &rules.State{Case: complaint.Case{ID: "c1", Stage: complaint.StageConfirm, ReceivedAt: now,
		Register: complaint.Register{CustomerID: "acme", CustomerName: "Acme", ContactName: "Li",
			Description: "leaks", Category: category, Severity: severity, Channel: complaint.ChannelPhone}},
		Policy: sla.Policy{Name: "standard", Response: sla.Duration(2 * time.Hour), Onsite: sla.Duration(4 * time.Hour),
			Resolution: sla.Duration(24 * time.Hour), WarningPoints: sla.DefaultWarningPoints(), Escalation: sla.DefaultEscalation()}}
	s.StartClocks()
	return s
}

// take admits and applies a step the way the workflow does.
func take[B any](t *testing.T, s *rules.State, step rules.Step[B], a complaint.Actor, b B) {
	t.Helper()
	require.NoError(t, step.Admit(s, a, b, now))
	step.Apply(s, a, b, now)
	s.RefreshClocks()
	s.AllowedSteps = rules.AllowedSteps(s.Case)
}

func refusal(t *testing.T, err error) *rules.Refusal {
	t.Helper()
	var r *rules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	return r
}

func TestEachStageTakesItsSteps(t *testing.T) {
	resolved := complaint.Case{Stage: complaint.StageRemediate, Resolution: &complaint.Resolution{}}
	for _, tc := range []struct {
		policy string
		c      complaint.Case
		want   []string
	}{
		{"a new case is confirmed, contacted or withdrawn", complaint.Case{Stage: complaint.StageConfirm},
			[]string{"contact", "confirm", "withdraw"}},
		{"a confirmed case is analysed", complaint.Case{Stage: complaint.StageAnalyze},
			[]string{"contact", "analysis", "withdraw"}},
		{"negotiation takes proposals and the agreement", complaint.Case{Stage: complaint.StageNegotiate},
			[]string{"contact", "proposals", "agreement", "withdraw"}},
		{"an agreement under approval takes decisions", complaint.Case{Stage: complaint.StageApprove},
			[]string{"contact", "approvals", "withdraw"}},
		{"remediation is resolved before it closes", complaint.Case{Stage: complaint.StageRemediate},
			[]string{"contact", "progress", "corrective-actions", "resolve", "withdraw"}},
		{"a resolved case closes", resolved,
			[]string{"contact", "progress", "corrective-actions", "close", "withdraw"}},
		{"a closed case takes nothing", complaint.Case{Stage: complaint.StageClosed}, []string{}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.Equal(t, tc.want, rules.AllowedSteps(tc.c))
		})
	}
}

func TestAStepOutOfItsStageIsRefusedWithWhatTheCaseTakes(t *testing.T) {
	s := newCase(complaint.CategoryOther, complaint.SeverityMinor)
	r := refusal(t, rules.Close.Admit(s, agent, complaint.CloseBody{CustomerConfirmed: true}, now))
	require.Equal(t, rules.WrongStage, r.Kind)
	require.Equal(t, complaint.StageConfirm, r.Conflict.Stage)
	require.Equal(t, []string{"contact", "confirm", "withdraw", "pause"}, r.Conflict.AllowedSteps)
}

func TestTheWorkflowChecksTheDepartmentsOfTheOneTable(t *testing.T) {
	for _, step := range complaint.Steps() {
		for _, dept := range complaint.Departments() {
			for _, role := range complaint.Roles() {
				a := complaint.Actor{Department: dept, Roles: []string{role}}
				want := false
				for _, g := range complaint.StepGrants(step) {
					if len(g.Departments) == 0 {
						want = want || contains(g.Roles, role)
					} else {
						want = want || contains(g.Departments, dept)
					}
				}
				require.Equal(t, want, complaint.MayTake(step, a), "%s by %s %s", step, role, dept)
			}
		}
	}
	require.NotEmpty(t, complaint.StepGrants(complaint.StepApprovals))
	require.Empty(t, complaint.StepGrants("no-such-step"))
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestWhoMayTakeAStep(t *testing.T) {
	for _, tc := range []struct {
		policy string
		step   string
		actor  complaint.Actor
		may    bool
	}{
		{"after-sales contacts the customer", complaint.StepContact, agent, true},
		{"sales supplies the order facts at confirm", complaint.StepConfirm, salesman, true},
		{"production does not confirm a complaint", complaint.StepConfirm, producer, false},
		{"production proposes measures", complaint.StepProposals, producer, true},
		{"sales proposes measures too [3.(2).3]", complaint.StepProposals, salesman, true},
		{"after-sales proposes no measures", complaint.StepProposals, agent, false},
		{"an approver of any department decides", complaint.StepApprovals, approver(complaint.DepartmentQuality), true},
		{"an agent does not approve", complaint.StepApprovals, technician, false},
		{"a field engineer reports progress", complaint.StepProgress, engineer, true},
		{"a field engineer checks in on site", complaint.StepOnsite, engineer, true},
		{"quality sets corrective actions", complaint.StepCorrectiveActions,
			complaint.Actor{Department: complaint.DepartmentQuality}, true},
		{"after-sales sets no corrective action", complaint.StepCorrectiveActions, agent, false},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.Equal(t, tc.may, complaint.MayTake(tc.step, tc.actor))
		})
	}
}

func TestAnalysis(t *testing.T) {
	companyFault := complaint.AnalysisBody{RootCause: "seal", ResponsibleDepartment: complaint.DepartmentProduction,
		Liability: complaint.LiabilityCompany}
	customerFault := complaint.AnalysisBody{RootCause: "misuse", ResponsibleDepartment: complaint.DepartmentTechnical,
		Liability: complaint.LiabilityCustomer, Explanation: "operated dry", Evidence: []string{"log.pdf"}}
	for _, tc := range []struct {
		policy   string
		category complaint.Category
		actor    complaint.Actor
		body     complaint.AnalysisBody
		kind     rules.RefusalKind
		fields   map[string]string
	}{
		{"technical analyses a quality complaint [3.(2).2]", complaint.CategoryQuality, technician, companyFault, "", nil},
		{"production may not analyse a quality complaint", complaint.CategoryQuality, producer, companyFault,
			rules.Forbidden, nil},
		{"after-sales analyses a non-quality complaint", complaint.CategoryNonQuality, agent, companyFault, "", nil},
		{"a customer at fault is told why, with evidence", complaint.CategoryOther, agent, customerFault, "", nil},
		{"a finding without explanation and evidence is refused", complaint.CategoryOther, agent,
			complaint.AnalysisBody{RootCause: "misuse", ResponsibleDepartment: complaint.DepartmentTechnical,
				Liability: complaint.LiabilityCustomer, Explanation: " ", Evidence: []string{"  "}},
			rules.Invalid, map[string]string{
				"explanation": "is required when the company is not at fault",
				"evidence":    "needs at least one item when the company is not at fault",
			}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			s := newCase(tc.category, complaint.SeverityMinor)
			take(t, s, rules.Confirm, agent, complaint.ConfirmBody{})
			err := rules.Analysis.Admit(s, tc.actor, tc.body, now)
			if tc.kind == "" {
				require.NoError(t, err)
				rules.Analysis.Apply(s, tc.actor, tc.body, now)
				require.Equal(t, complaint.StageNegotiate, s.Stage)
				require.Equal(t, tc.body.ResponsibleDepartment, s.ResponsibleDepartment)
				return
			}
			r := refusal(t, err)
			require.Equal(t, tc.kind, r.Kind)
			if tc.fields != nil {
				require.Equal(t, tc.fields, r.Fields)
			}
		})
	}
}

// negotiating is a case of the category and severity analysed with the
// company at fault.
func negotiating(t *testing.T, category complaint.Category, severity complaint.Severity) *rules.State {
	s := newCase(category, severity)
	take(t, s, rules.Confirm, agent, complaint.ConfirmBody{})
	take(t, s, rules.Analysis, technician, complaint.AnalysisBody{RootCause: "seal",
		ResponsibleDepartment: complaint.DepartmentProduction, Liability: complaint.LiabilityCompany})
	return s
}

func TestAgreement(t *testing.T) {
	repair := complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "replace the seal"}
	toApproval := repair
	toApproval.ApprovingDepartments = []string{complaint.DepartmentProduction, complaint.DepartmentQuality}
	t.Run("a minor case goes straight to remediation", func(t *testing.T) {
		s := negotiating(t, complaint.CategoryNonQuality, complaint.SeverityMinor)
		take(t, s, rules.Agreement, agent, repair)
		require.Equal(t, complaint.StageRemediate, s.Stage)
	})
	t.Run("a minor case names no approvers", func(t *testing.T) {
		s := negotiating(t, complaint.CategoryNonQuality, complaint.SeverityMinor)
		r := refusal(t, rules.Agreement.Admit(s, agent, toApproval, now))
		require.Equal(t, map[string]string{"approving_departments": "must be empty: a minor case needs no approval"}, r.Fields)
	})
	t.Run("a severe quality case needs production's and technical's measures first [3.(2).3]", func(t *testing.T) {
		s := negotiating(t, complaint.CategoryQuality, complaint.SeveritySevere)
		r := refusal(t, rules.Agreement.Admit(s, agent, toApproval, now))
		require.Equal(t, rules.Invalid, r.Kind)
		require.Empty(t, r.Fields, "the case is not ready: 409, no field to blame")
		require.Equal(t, "a severe quality case needs proposals from production, technical first", r.Message)
		take(t, s, rules.Proposal, producer, complaint.ProposalBody{Measures: "new seal supplier"})
		r = refusal(t, rules.Agreement.Admit(s, agent, toApproval, now))
		require.Equal(t, "a severe quality case needs proposals from technical first", r.Message)
		take(t, s, rules.Proposal, technician, complaint.ProposalBody{Measures: "redesign"})
		take(t, s, rules.Agreement, agent, toApproval)
		require.Equal(t, complaint.StageApprove, s.Stage)
		require.Equal(t, 1, s.CurrentRound().Number)
	})
	t.Run("a severe case goes to at least one approving department", func(t *testing.T) {
		s := negotiating(t, complaint.CategoryNonQuality, complaint.SeveritySevere)
		r := refusal(t, rules.Agreement.Admit(s, agent, repair, now))
		require.Contains(t, r.Fields, "approving_departments")
	})
	t.Run("an accepted explanation needs the company found not at fault", func(t *testing.T) {
		s := negotiating(t, complaint.CategoryNonQuality, complaint.SeverityMinor)
		r := refusal(t, rules.Agreement.Admit(s, agent, complaint.AgreementBody{
			Type: complaint.AgreementExplanationAccepted, Description: "accepted"}, now))
		require.Contains(t, r.Fields, "type")
	})
}

func TestApprovalRounds(t *testing.T) {
	agreement := complaint.AgreementBody{Type: complaint.AgreementReplace, Description: "new pump",
		ApprovingDepartments: []string{complaint.DepartmentProduction, complaint.DepartmentQuality}}
	approve := complaint.ApprovalBody{Decision: complaint.DecisionApprove}
	reject := complaint.ApprovalBody{Decision: complaint.DecisionReject, Comment: "too costly"}
	severe := func(t *testing.T) *rules.State {
		s := negotiating(t, complaint.CategoryNonQuality, complaint.SeveritySevere)
		take(t, s, rules.Agreement, salesman, agreement)
		return s
	}
	t.Run("every named department approving sends the case to remediation", func(t *testing.T) {
		s := severe(t)
		take(t, s, rules.Approval, approver(complaint.DepartmentProduction), approve)
		require.Equal(t, complaint.StageApprove, s.Stage, "quality has not decided yet")
		take(t, s, rules.Approval, approver(complaint.DepartmentQuality), approve)
		require.Equal(t, complaint.StageRemediate, s.Stage)
		require.Equal(t, complaint.RoundApproved, s.ApprovalRounds[0].Outcome)
	})
	t.Run("one rejection sends it back to negotiation with the reason", func(t *testing.T) {
		s := severe(t)
		take(t, s, rules.Approval, approver(complaint.DepartmentQuality), reject)
		require.Equal(t, complaint.StageNegotiate, s.Stage)
		require.Equal(t, complaint.RoundRejected, s.ApprovalRounds[0].Outcome)
		require.Equal(t, "too costly", s.ApprovalRounds[0].Reason)
		take(t, s, rules.Agreement, agent, agreement)
		require.Equal(t, 2, s.CurrentRound().Number, "a new agreement opens the next round")
	})
	t.Run("a department the agreement does not name may not decide", func(t *testing.T) {
		s := severe(t)
		r := refusal(t, rules.Approval.Admit(s, approver(complaint.DepartmentSales), approve, now))
		require.Equal(t, rules.Forbidden, r.Kind)
	})
	t.Run("a department decides once per round", func(t *testing.T) {
		s := severe(t)
		take(t, s, rules.Approval, approver(complaint.DepartmentProduction), approve)
		r := refusal(t, rules.Approval.Admit(s, approver(complaint.DepartmentProduction), approve, now))
		require.Equal(t, rules.Invalid, r.Kind)
		require.Empty(t, r.Fields)
	})
	t.Run("withdrawing ends the open round as withdrawn", func(t *testing.T) {
		s := severe(t)
		take(t, s, rules.Withdraw, agent, complaint.NoteBody{Note: "customer withdrew"})
		require.Equal(t, complaint.StageClosed, s.Stage)
		require.Equal(t, complaint.RoundWithdrawn, s.ApprovalRounds[0].Outcome)
	})
}

func TestRemediationCloses(t *testing.T) {
	s := negotiating(t, complaint.CategoryNonQuality, complaint.SeverityMinor)
	take(t, s, rules.Agreement, agent, complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "fix"})
	r := refusal(t, rules.Close.Admit(s, agent, complaint.CloseBody{CustomerConfirmed: true}, now))
	require.Equal(t, "close needs the remediation resolved first", r.Message)

	past := complaint.CorrectiveActionBody{Action: "audit", OwnerDepartment: complaint.DepartmentQuality,
		DueDate: now.AddDate(0, 0, -1).Format(time.DateOnly)}
	r = refusal(t, rules.CorrectiveAction.Admit(s, technician, past, now))
	require.Equal(t, map[string]string{"due_date": "must not be in the past"}, r.Fields)

	take(t, s, rules.Resolve, agent, complaint.NoteBody{Note: "repaired"})
	take(t, s, rules.Close, agent, complaint.CloseBody{CustomerConfirmed: true})
	require.Equal(t, complaint.StageClosed, s.Stage)
	require.Equal(t, complaint.OutcomeResolved, s.Closure.Outcome)
	require.Empty(t, s.AllowedSteps)
	for _, c := range []complaint.Clock{s.Clocks.Response, s.Clocks.Resolution} {
		require.NotNil(t, c.StoppedAt, "closing stops every clock")
	}
}
