package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// Helpers that drive a case through its steps in the test environment.

var (
	agent      = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales}
	technician = complaint.Actor{UserID: "t1", Name: "Wu", Department: complaint.DepartmentTechnical}
	producer   = complaint.Actor{UserID: "p1", Name: "Chen", Department: complaint.DepartmentProduction}
	inspector  = complaint.Actor{UserID: "q1", Name: "Zhou", Department: complaint.DepartmentQuality}
	engineer   = complaint.Actor{UserID: "e1", Name: "Sun", Department: complaint.DepartmentTechnical,
		Roles: []string{complaint.RoleEngineer}}
	salesperson = complaint.Actor{UserID: "s1", Name: "Zhao", Department: complaint.DepartmentSales}
)

func approver(dept string) complaint.Actor {
	return complaint.Actor{UserID: "a-" + dept, Name: "Head of " + dept, Department: dept,
		Roles: []string{complaint.RoleApprover}}
}

// step is one update to send; together marks it as sent at the same moment
// as the step before it.
type step struct {
	name     string
	arg      any
	together bool
}

func req[B any](name string, a complaint.Actor, body B) step {
	return step{name: name, arg: workflows.Step[B]{Actor: a, Body: body}}
}

func together(steps ...step) []step {
	for i := 1; i < len(steps); i++ {
		steps[i].together = true
	}
	return steps
}

func contact() step {
	return req(workflows.UpdateContact.Name, agent, complaint.ContactBody{Note: "called the customer back"})
}

func confirm() step {
	return req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{Note: "order facts checked with sales"})
}

func analysis(by complaint.Actor, liability complaint.Liability) step {
	b := complaint.AnalysisBody{RootCause: "seal aged early", ResponsibleDepartment: complaint.DepartmentProduction,
		Liability: liability}
	if liability != complaint.LiabilityCompany {
		b.Evidence = []string{"inspection report IR-7"}
		b.Explanation = "the pump was run outside its rated pressure"
	}
	return req(workflows.UpdateAnalysis.Name, by, b)
}

func propose(by complaint.Actor) step {
	return req(workflows.UpdateProposals.Name, by, complaint.ProposalBody{Measures: "replace the seal batch"})
}

func agree(t complaint.AgreementType, depts ...string) step {
	return req(workflows.UpdateAgreement.Name, agent, complaint.AgreementBody{Type: t,
		Description: "replace both pumps", ApprovingDepartments: depts})
}

func approve(dept string) step {
	return req(workflows.UpdateApprovals.Name, approver(dept), complaint.ApprovalBody{Decision: complaint.DecisionApprove})
}

func reject(dept, comment string) step {
	return req(workflows.UpdateApprovals.Name, approver(dept),
		complaint.ApprovalBody{Decision: complaint.DecisionReject, Comment: comment})
}

func progress() step {
	return req(workflows.UpdateProgress.Name, engineer, complaint.NoteBody{Note: "on site, pump replaced"})
}

func correctiveAction() step {
	return req(workflows.UpdateCorrectiveActions.Name, inspector, complaint.CorrectiveActionBody{
		Action: "incoming inspection of seals", OwnerDepartment: complaint.DepartmentQuality, DueDate: "2026-12-31"})
}

func resolve() step {
	return req(workflows.UpdateResolve.Name, agent, complaint.NoteBody{Note: "pumps replaced and tested"})
}

func closeCase(satisfaction int) step {
	return req(workflows.UpdateClose.Name, agent, complaint.CloseBody{CustomerConfirmed: true, Satisfaction: &satisfaction})
}

func withdraw() step {
	return req(workflows.UpdateWithdraw.Name, agent, complaint.NoteBody{Note: "the customer found a loose cable"})
}

// validStep is a step the case would take in a stage that allows it.
func validStep(name string) step {
	switch name {
	case workflows.UpdateContact.Name:
		return contact()
	case workflows.UpdateConfirm.Name:
		return confirm()
	case workflows.UpdateAnalysis.Name:
		return analysis(technician, complaint.LiabilityCompany)
	case workflows.UpdateProposals.Name:
		return propose(producer)
	case workflows.UpdateAgreement.Name:
		return agree(complaint.AgreementReplace, complaint.DepartmentQuality)
	case workflows.UpdateApprovals.Name:
		return approve(complaint.DepartmentQuality)
	case workflows.UpdateProgress.Name:
		return progress()
	case workflows.UpdateCorrectiveActions.Name:
		return correctiveAction()
	case workflows.UpdateResolve.Name:
		return resolve()
	case workflows.UpdateClose.Name:
		return closeCase(4)
	case workflows.UpdateWithdraw.Name:
		return withdraw()
	}
	panic("unknown step " + name)
}

var allSteps = []string{
	workflows.UpdateContact.Name, workflows.UpdateConfirm.Name, workflows.UpdateAnalysis.Name, workflows.UpdateProposals.Name,
	workflows.UpdateAgreement.Name, workflows.UpdateApprovals.Name, workflows.UpdateProgress.Name,
	workflows.UpdateCorrectiveActions.Name, workflows.UpdateResolve.Name, workflows.UpdateClose.Name, workflows.UpdateWithdraw.Name,
}

// outcome is what a step answered, and the case just before it was sent.
type outcome struct {
	step     step
	before   complaint.Case
	accepted bool
	rejected error // by the validator: nothing recorded
	failed   error // by the handler, after acceptance
	value    complaint.Case
	event    *complaint.Event // the event the step answered with
	answered time.Time        // on the workflow's clock
	upserts  int              // search-attribute upserts while it was handled
}

// mockStore stands in for the store activities and records the events applied.
func (s *complaintSuite) mockStore() {
	s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return("CMP-2026-000042", nil)
	apply := func(in activities.CaseEvent) {
		s.applied = append(s.applied, in)
		if s.onApply != nil {
			s.onApply(in)
		}
	}
	s.env.OnActivity(mocked.ApplyEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvent) error {
			apply(in)
			return nil
		})
	// The workflow's own write of answered steps' events, a burst at once;
	// recorded one event at a time, with the case as the store would keep
	// it after that event (the write is keyed by sequence number).
	s.env.OnActivity(mocked.ApplyEvents, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.CaseEvents) error {
			for _, ev := range in.Events {
				c := clone(in.Case)
				c.Version = ev.Seq
				apply(activities.CaseEvent{Case: c, Event: ev})
			}
			return nil
		})
}

// play runs a case: each step goes a minute after the one before (or with
// it, when together), so it sees the state the others left. The workflow ends
// when the case closes, or is cancelled an hour after the last step. Every
// step the validator refused on its own must have left the case unchanged.
func (s *complaintSuite) play(in workflows.ComplaintInput, steps ...step) []*outcome {
	outs := make([]*outcome, len(steps))
	at := time.Duration(0)
	for i, st := range steps {
		if !st.together {
			at += time.Minute
		}
		out := &outcome{step: st}
		outs[i] = out
		s.env.RegisterDelayedCallback(func() {
			out.before = s.queryCase()
			s.send(st, fmt.Sprintf("step-%d", i), out)
		}, at)
	}
	s.env.RegisterDelayedCallback(func() {
		s.last = s.queryCase()
		s.env.CancelWorkflow()
	}, at+time.Hour)
	execute(s.env, in)

	for i, out := range outs {
		alone := !out.step.together && (i+1 == len(outs) || !outs[i+1].step.together)
		if out.rejected != nil && alone {
			s.Equal(out.before, s.stateAfter(outs, i), "step %d (%s) was refused but changed the case", i, out.step.name)
		}
	}
	return outs
}

// stateAfter is the case as the next probe saw it.
func (s *complaintSuite) stateAfter(outs []*outcome, i int) complaint.Case {
	if i+1 < len(outs) {
		return outs[i+1].before
	}
	return s.final()
}

// final is the case the workflow ended with.
func (s *complaintSuite) final() complaint.Case {
	if !s.env.IsWorkflowCompleted() {
		return s.queryCase()
	}
	var cs complaint.Case
	if err := s.env.GetWorkflowResult(&cs); err != nil {
		return s.last // cancelled while open
	}
	return cs
}

func (s *complaintSuite) send(st step, id string, out *outcome) {
	cb := recordInto(out)
	complete := cb.OnComplete
	before := s.upsertCount
	cb.OnComplete = func(v any, err error) {
		out.answered = s.env.Now()
		out.upserts = s.upsertCount - before
		complete(v, err)
	}
	s.env.UpdateWorkflow(st.name, id, cb, signed(st, id))
}

// recordInto is an update callback that records what became of a step.
func recordInto(out *outcome) *testsuite.TestUpdateCallback {
	return &testsuite.TestUpdateCallback{
		OnAccept: func() { out.accepted = true },
		OnReject: func(err error) { out.rejected = err },
		OnComplete: func(v any, err error) {
			if err != nil {
				out.failed = err
				return
			}
			switch r := v.(type) {
			case workflows.StepResult:
				out.value = clone(r.Case)
				out.event = r.Event
			case complaint.Case: // a reopen
				out.value = clone(r)
			}
		},
	}
}

// clone copies a case as a client receives it: the test environment hands
// over the handler's value itself, which shares slices with the workflow's state.
func clone(c complaint.Case) complaint.Case {
	data, err := json.Marshal(c)
	if err != nil {
		panic(err)
	}
	var copied complaint.Case
	if err := json.Unmarshal(data, &copied); err != nil {
		panic(err)
	}
	return copied
}

// ok requires the step to have been taken and returns the case it answered.
func (s *complaintSuite) ok(out *outcome) complaint.Case {
	s.T().Helper()
	s.Require().NoError(out.rejected, "step %s refused", out.step.name)
	s.Require().NoError(out.failed, "step %s failed", out.step.name)
	s.Require().True(out.accepted, "step %s not accepted", out.step.name)
	return out.value
}

// refused requires the validator to have refused the step with errType.
func (s *complaintSuite) refused(out *outcome, errType string) *temporal.ApplicationError {
	s.T().Helper()
	s.Require().Error(out.rejected, "step %s was not refused", out.step.name)
	s.False(out.accepted)
	return s.appError(out.rejected, errType)
}

func (s *complaintSuite) appError(err error, errType string) *temporal.ApplicationError {
	s.T().Helper()
	var appErr *temporal.ApplicationError
	s.Require().True(errors.As(err, &appErr), "not an application error: %v", err)
	s.Require().Equal(errType, appErr.Type(), appErr.Error())
	s.True(appErr.NonRetryable())
	return appErr
}

func (s *complaintSuite) stageConflict(appErr *temporal.ApplicationError) complaint.StageConflict {
	var conflict complaint.StageConflict
	s.Require().NoError(appErr.Details(&conflict))
	return conflict
}

func (s *complaintSuite) fieldProblems(appErr *temporal.ApplicationError) map[string]string {
	var problems complaint.FieldProblems
	s.Require().NoError(appErr.Details(&problems))
	return problems.Fields
}

// kinds lists the kinds of the events applied to the store, in order.
func (s *complaintSuite) kinds() []string {
	kinds := make([]string, len(s.applied))
	for i, ce := range s.applied {
		kinds[i] = ce.Event.Kind
	}
	return kinds
}

func severeQuality() workflows.ComplaintInput { return input() }

func minorQuality() workflows.ComplaintInput {
	in := input()
	in.Register.Severity = complaint.SeverityMinor
	return in
}

func severeOther() workflows.ComplaintInput {
	in := input()
	in.Register.Category = complaint.CategoryNonQuality
	return in
}

// toStage is the path of a severe quality case to each stage; "resolved" is
// remediation after resolve.
func toStage(stage string) []step {
	paths := map[string][]step{
		"confirm":   nil,
		"analyze":   {confirm()},
		"negotiate": {confirm(), analysis(technician, complaint.LiabilityCompany)},
		"approve": {confirm(), analysis(technician, complaint.LiabilityCompany), propose(producer), propose(technician),
			agree(complaint.AgreementReplace, complaint.DepartmentQuality)},
		"remediate": {confirm(), analysis(technician, complaint.LiabilityCompany), propose(producer), propose(technician),
			agree(complaint.AgreementReplace, complaint.DepartmentQuality), approve(complaint.DepartmentQuality)},
		"resolved": {confirm(), analysis(technician, complaint.LiabilityCompany), propose(producer), propose(technician),
			agree(complaint.AgreementReplace, complaint.DepartmentQuality), approve(complaint.DepartmentQuality), resolve()},
	}
	path, ok := paths[stage]
	if !ok {
		panic("unknown stage " + stage)
	}
	return path
}
