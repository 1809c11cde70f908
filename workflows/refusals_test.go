package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// Steps the workflow refuses. play checks that each refusal by a validator
// left the case as it was.

func (s *complaintSuite) TestStepsInTheWrongStageAreRefused() {
	allowed := map[string][]string{
		"confirm": {workflows.UpdateContact.Name, workflows.UpdateConfirm.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
		"analyze": {workflows.UpdateContact.Name, workflows.UpdateAnalysis.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
		"negotiate": {workflows.UpdateContact.Name, workflows.UpdateProposals.Name, workflows.UpdateAgreement.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
		"approve": {workflows.UpdateContact.Name, workflows.UpdateApprovals.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
		"remediate": {workflows.UpdateContact.Name, workflows.UpdateProgress.Name, workflows.UpdateCorrectiveActions.Name,
			workflows.UpdateResolve.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
		"resolved": {workflows.UpdateContact.Name, workflows.UpdateProgress.Name, workflows.UpdateCorrectiveActions.Name,
			workflows.UpdateClose.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
			workflows.UpdateVisits.Name},
	}
	for _, stage := range []string{"confirm", "analyze", "negotiate", "approve", "remediate", "resolved"} {
		s.Run(stage, func() {
			s.SetupTest()
			s.mockStore()
			path := toStage(stage)
			steps := slices.Clone(path)
			for _, name := range allSteps {
				if !slices.Contains(allowed[stage], name) {
					steps = append(steps, validStep(name))
				}
			}
			outs := s.play(severeQuality(), steps...)
			for _, out := range outs[:len(path)] {
				s.ok(out)
			}
			want := complaint.StageConflict{Stage: outs[len(path)].before.Stage, AllowedSteps: allowed[stage]}
			s.Equal(allowed[stage], outs[len(path)].before.AllowedSteps)
			for _, out := range outs[len(path):] {
				s.Equal(want, s.stageConflict(s.refused(out, workflows.ErrTypeWrongStage)), out.step.name)
			}
			s.Len(s.applied, len(path), "refused steps reach the store")
		})
	}
}

func (s *complaintSuite) TestAClosedCaseRefusesEveryStep() {
	s.mockStore()
	// Hold the withdrawal in its store activity, so the workflow is still
	// running, with the case closed, when the steps arrive.
	release := make(chan struct{})
	s.onApply = func(in activities.CaseEvent) {
		if in.Event.Kind == complaint.EventWithdrawn {
			<-release
		}
	}
	s.env.RegisterDelayedCallback(func() { s.send(withdraw(), "withdraw", &outcome{}) }, time.Minute)
	outs := map[string]*outcome{}
	s.env.RegisterDelayedCallback(func() {
		s.Equal(complaint.StageClosed, s.queryCase().Stage)
		for _, name := range allSteps {
			outs[name] = &outcome{step: validStep(name)}
			s.send(outs[name].step, "late-"+name, outs[name])
		}
	}, time.Minute+time.Millisecond)
	s.env.RegisterDelayedCallback(func() { close(release) }, time.Minute+2*time.Millisecond)
	execute(s.env, input())

	for _, name := range allSteps {
		conflict := s.stageConflict(s.refused(outs[name], workflows.ErrTypeWrongStage))
		s.Equal(complaint.StageClosed, conflict.Stage)
		s.Empty(conflict.AllowedSteps)
	}
	s.True(s.env.IsWorkflowCompleted())
	s.Equal([]string{complaint.EventWithdrawn}, s.kinds())
}

func (s *complaintSuite) TestASevereQualityAgreementNeedsProposalsFromProductionAndTechnical() {
	s.mockStore()
	steps := append(toStage("negotiate"),
		propose(producer),
		propose(inspector),
		agree(complaint.AgreementReplace, complaint.DepartmentQuality),
		propose(technician),
		agree(complaint.AgreementReplace, complaint.DepartmentQuality),
	)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	appErr := s.refused(outs[n-3], workflows.ErrTypeInvalid)
	s.Contains(appErr.Error(), "technical")
	s.False(appErr.HasDetails(), "no field is to blame")
	s.Equal(complaint.StageApprove, s.ok(outs[n-1]).Stage)
}

func (s *complaintSuite) TestASevereNonQualityAgreementNeedsNoProposals() {
	s.mockStore()
	outs := s.play(severeOther(), confirm(), analysis(producer, complaint.LiabilityCompany),
		agree(complaint.AgreementCredit, complaint.DepartmentSales))
	s.Equal(complaint.StageApprove, s.ok(outs[2]).Stage)
}

func (s *complaintSuite) TestAgreementsMustFitTheCase() {
	s.mockStore()
	steps := append(toStage("negotiate"), propose(producer), propose(technician),
		agree(complaint.AgreementExplanationAccepted), // the company is at fault
		agree(complaint.AgreementRepair),              // severe: no approving department
	)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	s.Equal(map[string]string{"type": "explanation_accepted needs an analysis that finds the company not at fault"},
		s.fieldProblems(s.refused(outs[n-2], workflows.ErrTypeInvalid)))
	s.Contains(s.fieldProblems(s.refused(outs[n-1], workflows.ErrTypeInvalid)), "approving_departments")
}

func (s *complaintSuite) TestAMinorAgreementNamesNoApprovers() {
	s.mockStore()
	outs := s.play(minorQuality(), confirm(), analysis(technician, complaint.LiabilityCompany),
		agree(complaint.AgreementRepair, complaint.DepartmentQuality))
	s.Contains(s.fieldProblems(s.refused(outs[2], workflows.ErrTypeInvalid)), "approving_departments")
}

func (s *complaintSuite) TestANotAtFaultFindingNeedsAnExplanationWithEvidence() {
	s.mockStore()
	noEvidence := complaint.AnalysisBody{RootCause: "misuse", ResponsibleDepartment: complaint.DepartmentAfterSales,
		Liability: complaint.LiabilityThirdParty}
	emptyEvidence := noEvidence
	emptyEvidence.Explanation, emptyEvidence.Evidence = "the installer wired it wrongly", []string{}
	blankEvidence := emptyEvidence
	blankEvidence.Evidence = []string{" "}
	outs := s.play(severeQuality(), confirm(),
		req(workflows.UpdateAnalysis.Name, technician, noEvidence),
		req(workflows.UpdateAnalysis.Name, technician, emptyEvidence),
		req(workflows.UpdateAnalysis.Name, technician, blankEvidence),
	)
	s.Equal(map[string]string{"explanation": "is required unless liability is company",
		"evidence": "is required unless liability is company"},
		s.fieldProblems(s.refused(outs[1], workflows.ErrTypeInvalid)))
	s.Equal(map[string]string{"evidence": "is required unless liability is company"},
		s.fieldProblems(s.refused(outs[2], workflows.ErrTypeInvalid)))
	s.Equal(map[string]string{"evidence": "needs at least one item when the company is not at fault"},
		s.fieldProblems(s.refused(outs[3], workflows.ErrTypeInvalid)))
	s.Equal(complaint.StageAnalyze, s.final().Stage)
}

func (s *complaintSuite) TestTheTechnicalDepartmentAnalysesQualityComplaints() {
	s.mockStore()
	outs := s.play(severeQuality(), confirm(),
		analysis(producer, complaint.LiabilityCompany),
		analysis(salesperson, complaint.LiabilityCompany),
		analysis(technician, complaint.LiabilityCompany),
	)
	s.Contains(s.refused(outs[1], workflows.ErrTypeForbidden).Error(), "technical department")
	s.refused(outs[2], workflows.ErrTypeForbidden)
	s.Equal(complaint.StageNegotiate, s.ok(outs[3]).Stage)
}

func (s *complaintSuite) TestApprovalsComeOnceFromEachDepartmentTheAgreementNames() {
	s.mockStore()
	steps := append(toStage("negotiate"), propose(producer), propose(technician),
		agree(complaint.AgreementReplace, complaint.DepartmentQuality, complaint.DepartmentProduction),
		approve(complaint.DepartmentTechnical),                                                                      // not asked
		req(workflows.UpdateApprovals.Name, inspector, complaint.ApprovalBody{Decision: complaint.DecisionApprove}), // no approver role
		reject(complaint.DepartmentQuality, ""),                                                                     // a rejection says why
		approve(complaint.DepartmentQuality),
		approve(complaint.DepartmentQuality), // again
		approve(complaint.DepartmentProduction),
	)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	s.Contains(s.refused(outs[n-6], workflows.ErrTypeForbidden).Error(), "not technical")
	s.refused(outs[n-5], workflows.ErrTypeForbidden)
	s.Equal(map[string]string{"comment": "is required when decision is reject"}, s.fieldProblems(s.refused(outs[n-4], workflows.ErrTypeInvalid)))
	s.Equal(complaint.StageApprove, s.ok(outs[n-3]).Stage)
	repeated := s.refused(outs[n-2], workflows.ErrTypeInvalid)
	s.Contains(repeated.Error(), "already decided")
	s.Equal(complaint.StageRemediate, s.ok(outs[n-1]).Stage)
}

func (s *complaintSuite) TestARejectionSendsTheCaseBackAndANewAgreementOpensANewRound() {
	s.mockStore()
	steps := append(toStage("approve"),
		reject(complaint.DepartmentQuality, "too expensive"),
		approve(complaint.DepartmentQuality), // the round is over
		agree(complaint.AgreementRepair, complaint.DepartmentQuality),
		approve(complaint.DepartmentQuality), // the same department decides again in the new round
	)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	back := s.ok(outs[n-4])
	s.Equal(complaint.StageNegotiate, back.Stage)
	s.Equal(complaint.RoundRejected, back.ApprovalRounds[0].Outcome)
	s.Equal("too expensive", back.ApprovalRounds[0].Reason)
	s.NotNil(back.ApprovalRounds[0].EndedAt)
	s.refused(outs[n-3], workflows.ErrTypeWrongStage)
	round2 := s.ok(outs[n-2])
	s.Require().Len(round2.ApprovalRounds, 2)
	s.Equal(complaint.RoundPending, round2.ApprovalRounds[1].Outcome)
	s.Equal(2, round2.Agreement.Round)
	done := s.ok(outs[n-1])
	s.Equal(complaint.StageRemediate, done.Stage)
	s.Equal(complaint.RoundApproved, done.ApprovalRounds[1].Outcome)
}

func (s *complaintSuite) TestCloseNeedsTheRemediationResolvedAndTheCustomerConfirmed() {
	s.mockStore()
	unconfirmed := req(workflows.UpdateClose.Name, agent, complaint.CloseBody{CustomerConfirmed: false})
	six := 6
	unhappy := req(workflows.UpdateClose.Name, agent, complaint.CloseBody{CustomerConfirmed: true, Satisfaction: &six})
	steps := append(toStage("remediate"), closeCase(4), resolve(), resolve(), unconfirmed, unhappy, closeCase(4))
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	early := s.refused(outs[n-6], workflows.ErrTypeWrongStage)
	s.Contains(early.Error(), "resolved first")
	s.Contains(s.stageConflict(early).AllowedSteps, workflows.UpdateResolve.Name)
	s.ok(outs[n-5])
	s.refused(outs[n-4], workflows.ErrTypeWrongStage) // resolved once
	s.Equal(map[string]string{"customer_confirmed": "must be true"},
		s.fieldProblems(s.refused(outs[n-3], workflows.ErrTypeInvalid)))
	s.Equal(map[string]string{"satisfaction": "must be at most 5"},
		s.fieldProblems(s.refused(outs[n-2], workflows.ErrTypeInvalid)))
	s.Equal(complaint.StageClosed, s.ok(outs[n-1]).Stage)
}

func (s *complaintSuite) TestConfirmRefusesAnInvalidCorrectedRegister() {
	s.mockStore()
	qty, blank := 1, ""
	outs := s.play(severeQuality(),
		req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{Quantity: &qty, DefectiveQuantity: new(2)}),
		req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{CustomerName: &blank}),
		req(workflows.UpdateConfirm.Name, producer, complaint.ConfirmBody{}),
	)
	s.Equal(map[string]string{"defective_quantity": "must not exceed quantity"},
		s.fieldProblems(s.refused(outs[0], workflows.ErrTypeInvalid)))
	s.Equal(map[string]string{"customer_name": "must not be empty"},
		s.fieldProblems(s.refused(outs[1], workflows.ErrTypeInvalid)))
	s.refused(outs[2], workflows.ErrTypeForbidden)
}

func (s *complaintSuite) TestRemediationStepsCheckWhoTakesThemAndWhen() {
	s.mockStore()
	past := req(workflows.UpdateCorrectiveActions.Name, inspector, complaint.CorrectiveActionBody{
		Action: "retrain", OwnerDepartment: complaint.DepartmentProduction, DueDate: "2026-11-01"})
	steps := append(toStage("remediate"),
		past,
		req(workflows.UpdateCorrectiveActions.Name, agent, complaint.CorrectiveActionBody{
			Action: "retrain", OwnerDepartment: complaint.DepartmentProduction, DueDate: "2026-12-01"}),
		req(workflows.UpdateProgress.Name, producer, complaint.NoteBody{Note: "parts shipped"}),
		req(workflows.UpdateProgress.Name, agent, complaint.NoteBody{Note: "parts shipped"}),
	)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	s.Equal(map[string]string{"due_date": "must not be in the past"},
		s.fieldProblems(s.refused(outs[n-4], workflows.ErrTypeInvalid)))
	s.refused(outs[n-3], workflows.ErrTypeForbidden)
	s.refused(outs[n-2], workflows.ErrTypeForbidden)
	s.ok(outs[n-1])
}

func TestPermittedIsTheRouteTable(t *testing.T) {
	cases := []struct {
		step  string
		actor complaint.Actor
		want  bool
	}{
		{workflows.UpdateConfirm.Name, agent, true},
		{workflows.UpdateConfirm.Name, salesperson, true},
		{workflows.UpdateConfirm.Name, producer, false},
		{workflows.UpdateAnalysis.Name, producer, true}, // the case decides further
		{workflows.UpdateAnalysis.Name, salesperson, false},
		{workflows.UpdateProposals.Name, inspector, true},
		{workflows.UpdateProposals.Name, salesperson, true},
		{workflows.UpdateProposals.Name, agent, false},
		{workflows.UpdateAgreement.Name, salesperson, true},
		{workflows.UpdateAgreement.Name, producer, false},
		{workflows.UpdateApprovals.Name, approver(complaint.DepartmentSales), true},
		{workflows.UpdateApprovals.Name, producer, false},
		{workflows.UpdateProgress.Name, engineer, true},
		{workflows.UpdateProgress.Name, producer, false},
		{workflows.UpdateCorrectiveActions.Name, technician, true},
		{workflows.UpdateClose.Name, technician, false},
		{"unknown", agent, false},
	}
	for _, c := range cases {
		require.Equal(t, c.want, complaint.MayTake(c.step, c.actor), "%s by %s", c.step, c.actor.Department)
	}
}
