package workflows_test

import (
	"errors"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// Steps that did not come from the API, as the Web UI or any Temporal client
// could send them, are refused by the validator and change nothing.
func (s *complaintSuite) TestStepsWithoutTheAPIsSignatureAreRefused() {
	s.mockStore()
	forged := withdraw()
	mallory := approve(complaint.DepartmentQuality)
	// Signed by the API for someone else, then given another actor.
	stolen := signedWith(testKeys, mallory, "stolen").(workflows.ApprovalRequest)
	stolen.Actor.Name = "Mallory (forged)"
	stolen.Actor.UserID = "mallory"
	tests := []struct {
		name string
		step step
		id   string
		arg  any
	}{
		{"unsigned withdraw", forged, "unsigned", forged.arg},
		{"withdraw signed with another key", forged, "other-key", signedWith(otherKeys, forged, "other-key")},
		{"signature of another update id", forged, "replayed", signedWith(testKeys, forged, "another-id")},
		{"signature of another step", forged, "other-step", signedWith(testKeys, step{name: workflows.UpdateContact.Name, arg: forged.arg}, "other-step")},
		{"signed approval with a forged actor", mallory, "stolen", stolen},
	}
	outs := make([]*outcome, len(tests))
	for i, tt := range tests {
		outs[i] = &outcome{step: tt.step}
		s.env.RegisterDelayedCallback(func() {
			outs[i].before = s.queryCase()
			s.env.UpdateWorkflow(tt.step.name, tt.id, recordInto(outs[i]), tt.arg)
		}, time.Duration(i+1)*time.Minute)
	}
	// A signed step still goes through afterwards.
	valid := &outcome{step: confirm()}
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(valid.step.name, "valid", recordInto(valid), signed(valid.step, "valid"))
	}, time.Hour)
	s.env.RegisterDelayedCallback(func() { s.last = s.queryCase(); s.env.CancelWorkflow() }, 2*time.Hour)
	execute(s.env, input())

	for i, tt := range tests {
		s.Run(tt.name, func() {
			appErr := s.refused(outs[i], workflows.ErrTypeForbidden)
			s.Contains(appErr.Error(), "not verified")
			s.Equal(outs[0].before, outs[i].before, "a refused step changed the case")
		})
	}
	s.Equal(complaint.StageAnalyze, s.ok(valid).Stage)
	s.Equal([]string{complaint.EventConfirmed}, s.kinds())
}

// A workflow started by anything but the API fails before it registers the case.
func (s *complaintSuite) TestAStartWithoutTheAPIsSignatureFailsBeforeTheStore() {
	in := input()
	wid := complaint.WorkflowID(in.ID)
	signedIn, err := in.Signed(testKeys, wid)
	s.Require().NoError(err)
	otherIn, err := in.Signed(otherKeys, wid)
	s.Require().NoError(err)
	elsewhere, err := in.Signed(testKeys, complaint.WorkflowID("another-case"))
	s.Require().NoError(err)
	forged := signedIn
	forged.RegisteredBy = approver(complaint.DepartmentQuality)
	tests := []struct {
		name string
		in   workflows.ComplaintInput
	}{
		{"unsigned", in},
		{"another key", otherIn},
		{"signed for another workflow id", elsewhere},
		{"another registering actor", forged},
	}
	for _, tt := range tests {
		s.Run(tt.name, func() {
			s.SetupTest()
			s.env.SetStartWorkflowOptions(startOptions(wid))
			s.env.OnActivity(mocked.RegisterCase, mock.Anything, mock.Anything).Return("CMP-1", nil).Maybe()
			s.env.ExecuteWorkflow(workflows.ComplaintWorkflow, tt.in)
			s.Require().True(s.env.IsWorkflowCompleted())
			err := s.env.GetWorkflowError()
			var appErr *temporal.ApplicationError
			s.Require().True(errors.As(err, &appErr), "not an application error: %v", err)
			s.Equal(workflows.ErrTypeForbidden, appErr.Type())
			s.True(appErr.NonRetryable())
			s.env.AssertNotCalled(s.T(), "RegisterCase", mock.Anything, mock.Anything)
		})
	}
}
