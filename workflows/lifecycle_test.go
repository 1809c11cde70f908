package workflows_test

import (
	"context"
	"time"

	"github.com/stretchr/testify/mock"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// The lifecycle's paths from registration to closure.

func (s *complaintSuite) TestSevereQualityCaseThroughARejectedRoundToClosure() {
	s.mockStore()
	outs := s.play(severeQuality(),
		contact(),
		confirm(),
		analysis(technician, complaint.LiabilityCompany),
		propose(producer),
		propose(technician),
		agree(complaint.AgreementReplace, complaint.DepartmentQuality, complaint.DepartmentProduction),
		approve(complaint.DepartmentQuality),
		reject(complaint.DepartmentProduction, "replacement stock is not available"),
		agree(complaint.AgreementRepair, complaint.DepartmentQuality, complaint.DepartmentProduction),
		approve(complaint.DepartmentProduction),
		approve(complaint.DepartmentQuality),
		progress(),
		correctiveAction(),
		resolve(),
		closeCase(5),
	)
	wantStages := []complaint.Stage{"confirm", "analyze", "negotiate", "negotiate", "negotiate", "approve", "approve",
		"negotiate", "approve", "approve", "remediate", "remediate", "remediate", "remediate", "closed"}
	for i, out := range outs {
		cs := s.ok(out)
		s.Equal(wantStages[i], cs.Stage, "after step %d (%s)", i, out.step.name)
		s.Equal(int64(i+2), cs.Version, "after step %d", i)
	}

	s.Equal([]string{workflows.UpdateContact.Name, workflows.UpdateConfirm.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
		workflows.UpdateVisits.Name}, outs[0].value.AllowedSteps)
	s.Equal([]string{workflows.UpdateContact.Name, workflows.UpdateApprovals.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
		workflows.UpdateVisits.Name}, outs[5].value.AllowedSteps)
	s.Equal([]string{workflows.UpdateContact.Name, workflows.UpdateProgress.Name, workflows.UpdateCorrectiveActions.Name,
		workflows.UpdateResolve.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
		workflows.UpdateVisits.Name}, outs[12].value.AllowedSteps)
	s.Equal([]string{workflows.UpdateContact.Name, workflows.UpdateProgress.Name, workflows.UpdateCorrectiveActions.Name,
		workflows.UpdateClose.Name, workflows.UpdateWithdraw.Name, workflows.UpdateEngineers.Name,
		workflows.UpdateVisits.Name}, outs[13].value.AllowedSteps)

	final := s.final()
	s.True(s.env.IsWorkflowCompleted())
	s.Equal(complaint.StageClosed, final.Stage)
	s.Empty(final.AllowedSteps)
	s.Equal(complaint.DepartmentProduction, final.ResponsibleDepartment)
	s.Len(final.Contacts, 1)
	s.Len(final.Proposals, 2)
	s.Equal(complaint.DepartmentProduction, final.Proposals[0].Department)
	s.Require().Len(final.ApprovalRounds, 2)
	first, second := final.ApprovalRounds[0], final.ApprovalRounds[1]
	s.Equal(complaint.RoundRejected, first.Outcome)
	s.Equal("replacement stock is not available", first.Reason)
	s.Equal(complaint.AgreementReplace, first.Agreement.Type)
	s.Len(first.Decisions, 2)
	s.Equal(complaint.RoundApproved, second.Outcome)
	s.Equal(complaint.AgreementRepair, second.Agreement.Type)
	s.Equal(2, final.Agreement.Round)
	s.Len(final.Progress, 1)
	s.Len(final.CorrectiveActions, 1)
	s.NotNil(final.Resolution)
	s.Require().NotNil(final.Closure)
	s.Equal(complaint.OutcomeResolved, final.Closure.Outcome)
	s.Equal(5, *final.Closure.Satisfaction)

	// The store saw every step, in order, each with the next sequence number
	// and the snapshot taken after it.
	s.Equal([]string{complaint.EventContacted, complaint.EventConfirmed, complaint.EventAnalyzed,
		complaint.EventMeasuresProposed, complaint.EventMeasuresProposed, complaint.EventAgreed,
		complaint.EventApproved, complaint.EventRejected, complaint.EventAgreed, complaint.EventApproved,
		complaint.EventApproved, complaint.EventProgressReported, complaint.EventCorrectiveActionSet,
		complaint.EventResolved, complaint.EventClosed}, s.kinds())
	for i, ce := range s.applied {
		s.Equal(int64(i+2), ce.Event.Seq)
		s.Equal(ce.Event.Seq, ce.Case.Version)
		s.Equal(outs[i].value.Stage, ce.Case.Stage)
	}
	s.Equal("Sun", s.applied[11].Event.Actor.Name)
	s.JSONEq(`{"decision":"reject","comment":"replacement stock is not available"}`, string(s.applied[7].Event.Payload))

	s.Equal("closed", s.searchAttributes["CaseStage"])
	s.Equal("production", s.searchAttributes["ResponsibleDepartment"])
}

func (s *complaintSuite) TestMinorCaseGoesFromAgreementStraightToRemediation() {
	s.mockStore()
	outs := s.play(minorQuality(),
		confirm(),
		analysis(technician, complaint.LiabilityCompany),
		agree(complaint.AgreementRepair), // no proposals or approvals needed
		resolve(),
		closeCase(3),
	)
	s.Equal(complaint.StageRemediate, s.ok(outs[2]).Stage)
	s.Empty(outs[2].value.ApprovalRounds)
	s.Equal(0, outs[2].value.Agreement.Round)
	s.Equal(complaint.StageClosed, s.ok(outs[4]).Stage)
	s.True(s.env.IsWorkflowCompleted())
}

func (s *complaintSuite) TestAcceptedExplanationClosesACaseTheCompanyIsNotAtFaultFor() {
	s.mockStore()
	outs := s.play(severeOther(),
		confirm(),
		analysis(producer, complaint.LiabilityCustomer),
		agree(complaint.AgreementExplanationAccepted),
	)
	cs := s.ok(outs[2])
	s.Equal(complaint.StageClosed, cs.Stage)
	s.Require().NotNil(cs.Closure)
	s.Equal(complaint.OutcomeExplanationAccepted, cs.Closure.Outcome)
	s.Empty(cs.ApprovalRounds)
	s.Equal([]string{"inspection report IR-7"}, cs.Analysis.Evidence)
	s.True(s.env.IsWorkflowCompleted())
}

func (s *complaintSuite) TestWithdrawClosesACaseFromEveryOpenStage() {
	for _, stage := range []string{"confirm", "analyze", "negotiate", "approve", "remediate", "resolved"} {
		s.Run(stage, func() {
			s.SetupTest()
			s.mockStore()
			outs := s.play(severeQuality(), append(toStage(stage), withdraw())...)
			cs := s.ok(outs[len(outs)-1])
			s.Equal(complaint.StageClosed, cs.Stage)
			s.Require().NotNil(cs.Closure)
			s.True(cs.Closure.Withdrawn)
			s.Equal(complaint.OutcomeWithdrawn, cs.Closure.Outcome)
			s.Equal(complaint.EventWithdrawn, s.kinds()[len(s.applied)-1])
			for _, round := range cs.ApprovalRounds {
				s.NotEqual(complaint.RoundPending, round.Outcome, "no round stays open")
			}
			if stage == "approve" {
				s.Equal(complaint.RoundWithdrawn, cs.ApprovalRounds[0].Outcome)
			}
			s.True(s.env.IsWorkflowCompleted())
		})
	}
}

func (s *complaintSuite) TestConfirmCorrectsTheRegisterAndItsSearchAttributes() {
	s.mockStore()
	category, severity, order, qty, defective := complaint.CategoryNonQuality, complaint.SeverityMinor, "SO-9", 10, 2
	outs := s.play(severeQuality(), req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{
		Note: "installation fault, one unit", Category: &category, Severity: &severity,
		OrderNumber: &order, Quantity: &qty, DefectiveQuantity: &defective,
	}))
	cs := s.ok(outs[0])
	s.Equal(complaint.CategoryNonQuality, cs.Category)
	s.Equal(complaint.SeverityMinor, cs.Severity)
	s.Equal("SO-9", cs.OrderNumber)
	s.Equal(2, *cs.DefectiveQuantity)
	s.Equal("Acme", cs.CustomerName, "fields not in the body stay")
	s.Equal("installation fault, one unit", cs.Confirmation.Note)
	s.Equal("non_quality", s.searchAttributes["CaseCategory"])
	s.Equal("minor", s.searchAttributes["CaseSeverity"])
	s.Equal("analyze", s.searchAttributes["CaseStage"])
}

func (s *complaintSuite) TestAStepSentWithTheStartWaitsForRegistration() {
	s.mockStore()
	var result updateResult
	s.env.RegisterDelayedCallback(func() { s.sendRegistrationUpdate(&result) }, 0)
	out := &outcome{step: contact()}
	s.env.RegisterDelayedCallback(func() { s.send(out.step, "early", out) }, 0)
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, time.Hour)
	execute(s.env, input())

	cs := s.ok(out)
	s.Equal("CMP-2026-000042", cs.CaseNumber)
	s.Equal(int64(2), cs.Version)
	s.Require().Len(s.applied, 1)
	s.Equal(int64(2), s.applied[0].Event.Seq)
}

func (s *complaintSuite) TestConcurrentStepsRunOneAtATime() {
	s.mockStore()
	steps := toStage("approve")
	steps = append(steps, together(contact(), approve(complaint.DepartmentQuality))...)
	outs := s.play(severeQuality(), steps...)
	s.Equal(complaint.StageApprove, s.ok(outs[len(outs)-2]).Stage)
	s.Equal(complaint.StageRemediate, s.ok(outs[len(outs)-1]).Stage)
	for i, ce := range s.applied {
		s.Equal(int64(i+2), ce.Event.Seq)
	}
}

func (s *complaintSuite) TestAStepTheCaseMovedPastWhileItWaitedIsRefused() {
	// Cases from before steps answered ahead of their store write: there a
	// step holds the lock until the store took its event, which lets
	// the next steps pass their validators meanwhile. (Since then only a
	// clock's event holds the lock that long; the re-check is the same.)
	s.env.OnGetVersion("generation", workflow.DefaultVersion, 8).Return(workflow.DefaultVersion)
	s.env.OnGetVersion("projection-coalesced", workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	s.mockStore()
	steps := toStage("negotiate")
	steps = append(steps, propose(producer), propose(technician))
	// The contact holds the lock while both agreements pass their validators;
	// whichever gets the lock next wins, and the other finds the case in
	// approval.
	steps = append(steps, together(contact(),
		agree(complaint.AgreementReplace, complaint.DepartmentQuality),
		agree(complaint.AgreementRefund, complaint.DepartmentQuality))...)
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	s.ok(outs[n-3])
	winner, late := outs[n-2], outs[n-1]
	if winner.failed != nil {
		winner, late = late, winner
	}
	s.Equal(complaint.StageApprove, s.ok(winner).Stage)
	s.True(late.accepted, "the validator accepted it")
	s.NoError(late.rejected)
	conflict := s.stageConflict(s.appError(late.failed, workflows.ErrTypeWrongStage))
	s.Equal(complaint.StageApprove, conflict.Stage)
	s.Equal(winner.step.arg.(workflows.AgreementRequest).Body.Type, s.final().Agreement.Type)
	s.Len(s.applied, n-1)
}

// A step answers without a store write of its own; the workflow writes a
// burst of steps' events at once, projectionDelay after the first of them,
// and the closing step's at once, before the case ends.
func (s *complaintSuite) TestTheWorkflowWritesABurstOfStepsOnce() {
	const delay = 5 * time.Second // workflows.projectionDelay
	s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return("CMP-2026-000042", nil)
	type write struct {
		seqs []int64
		at   time.Time
	}
	var writes []write
	s.env.OnActivity(mocked.ApplyEvents, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvents) error {
			w := write{at: s.env.Now()}
			for _, ev := range in.Events {
				w.seqs = append(w.seqs, ev.Seq)
			}
			s.Equal(in.Case.Version, w.seqs[len(w.seqs)-1], "the case as it stands after the last of them")
			writes = append(writes, w)
			return nil
		})
	steps := []step{contact(), confirm()}
	steps = append(steps, together(analysis(technician, complaint.LiabilityCompany), agree(complaint.AgreementRepair))...)
	steps = append(steps, resolve(), closeCase(4))
	outs := s.play(minorQuality(), steps...)
	for i, out := range outs {
		cs := s.ok(out)
		s.Require().NotNil(out.event, "step %d answers with its event", i)
		s.Equal(cs.Version, out.event.Seq)
	}
	s.Require().Len(writes, 5, "the analysis and the agreement sent together are written together")
	s.Equal([][]int64{{2}, {3}, {4, 5}, {6}, {7}}, [][]int64{writes[0].seqs, writes[1].seqs, writes[2].seqs,
		writes[3].seqs, writes[4].seqs})
	// The step that opens each burst: contact, confirm, analysis, resolve.
	for i, first := range []int{0, 1, 2, 4} {
		s.Equal(delay, writes[i].at.Sub(outs[first].answered), "write %d follows its burst's first step by the delay", i)
	}
	s.Equal(outs[5].answered, writes[4].at, "the closing step is written at once")
	s.True(s.env.IsWorkflowCompleted(), "the case ended after its last write")
}

// A step upserts the search attributes only when it changed one of them.
func (s *complaintSuite) TestAStepUpsertsOnlyChangedSearchAttributes() {
	s.mockStore()
	outs := s.play(severeQuality(), contact(), confirm(), analysis(technician, complaint.LiabilityCompany),
		propose(producer), propose(technician))
	var upserts []int
	for _, out := range outs {
		s.ok(out)
		upserts = append(upserts, out.upserts)
	}
	// contact: no clocks here, the stage stays; confirm: the stage;
	// analysis: the stage and the responsible department; proposals: none.
	s.Equal([]int{0, 1, 1, 0, 0}, upserts)
	s.Equal(string(complaint.StageNegotiate), s.searchAttributes["CaseStage"])
}
