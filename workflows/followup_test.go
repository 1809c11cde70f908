package workflows_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/workflows"
)

// Actors of follow-ups.
var (
	followupAgent = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
	branchAgent = complaint.Actor{UserID: "b1", Name: "Wu", Department: complaint.DepartmentBranchOffice,
		Roles: []string{complaint.RoleAgent}}
)

type followupSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env       *testsuite.TestWorkflowEnvironment
	applied   []activities.FollowupEvent
	appliedAt []time.Time
	notices   []activities.NotifyInput
	noticeAt  []time.Time
	children  []workflows.FollowupInput
	surveys   int
}

func TestFollowupWorkflow(t *testing.T) { suite.Run(t, new(followupSuite)) }

// 09:00 in Shanghai on 30 November 2026.
var followupStart = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)

func (s *followupSuite) SetupTest() {
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.env.SetStartTime(followupStart)
	s.applied, s.appliedAt, s.notices, s.noticeAt, s.children, s.surveys = nil, nil, nil, nil, nil, 0
	s.env.RegisterActivity(&activities.Activities{})
	// The follow-up under test runs under a name of its own, so that the
	// follow-ups it starts (FollowupWorkflow, the same function) are mocked.
	s.env.RegisterWorkflowWithOptions(func(ctx workflow.Context, in workflows.FollowupInput) (complaint.Followup, error) {
		return workflows.FollowupWorkflow(ctx, in)
	}, workflow.RegisterOptions{Name: followupUnderTest})
	s.env.RegisterWorkflow(workflows.FollowupWorkflow)
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Return(nil)
	record := func(in activities.FollowupEvent) {
		data, _ := json.Marshal(in)
		var c activities.FollowupEvent
		_ = json.Unmarshal(data, &c)
		s.applied = append(s.applied, c)
		s.appliedAt = append(s.appliedAt, s.env.Now().UTC())
	}
	s.env.OnActivity(mocked.RegisterFollowup, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.FollowupEvent) error { record(in); return nil })
	s.env.OnActivity(mocked.ApplyFollowupEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.FollowupEvent) error { record(in); return nil })
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			s.notices = append(s.notices, in)
			s.noticeAt = append(s.noticeAt, s.env.Now().UTC())
			return true, nil
		})
	s.env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(nil)
	s.env.OnActivity(mocked.SendSurvey, mock.Anything, mock.Anything).Return(
		func(_ context.Context, r activities.SurveyRequest) (followup.SurveyDelivery, error) {
			s.surveys++
			now := s.env.Now().UTC()
			return followup.SurveyDelivery{Sent: true, SentAt: now, ExpiresAt: now.Add(r.ValidFor)}, nil
		})
	s.env.OnWorkflow(workflows.FollowupWorkflow, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in workflows.FollowupInput) (complaint.Followup, error) {
			s.children = append(s.children, in)
			return complaint.Followup{}, nil
		}).Maybe()
}

// manual is a post-close call opened by hand, due in three days.
func manual() workflows.FollowupInput {
	return workflows.FollowupInput{OpenedBy: followupAgent, Plan: followup.Plan{ID: "m1",
		Body: complaint.FollowupOpenBody{Kind: complaint.FollowupPostCloseCall, CustomerID: "C-1", ComplaintID: "c-9",
			DueAt: followupStart.Add(72 * time.Hour)}}}
}

func (s *followupSuite) execute(in workflows.FollowupInput) {
	wid := complaint.FollowupWorkflowID(in.Plan.ID)
	s.env.SetStartWorkflowOptions(startOptions(wid))
	if !in.BySystem {
		var err error
		in, err = in.Signed(testKeys, wid)
		s.Require().NoError(err)
	}
	s.env.ExecuteWorkflow(followupUnderTest, in)
}

const followupUnderTest = "FollowupUnderTest"

type followupOutcome struct {
	rejected, failed error
	value            complaint.Followup
}

// play runs a follow-up with each step at its offset from the start; the
// test cancels it at end if it has not completed.
func (s *followupSuite) play(in workflows.FollowupInput, end time.Duration, steps map[time.Duration]step) map[time.Duration]*followupOutcome {
	outs := map[time.Duration]*followupOutcome{}
	for at, st := range steps {
		out := &followupOutcome{}
		outs[at] = out
		s.env.RegisterDelayedCallback(func() {
			id := fmt.Sprintf("%s-%d", st.name, at)
			s.env.UpdateWorkflow(st.name, id, &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { out.rejected = err },
				OnComplete: func(v any, err error) {
					if err != nil {
						out.failed = err
						return
					}
					out.value = v.(workflows.FollowupStepResult).Followup
				},
			}, signed(st, id))
		}, at)
	}
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, end)
	s.execute(in)
	return outs
}

func (s *followupSuite) kinds() []string {
	var out []string
	for _, a := range s.applied {
		out = append(out, a.Event.Kind)
	}
	return out
}

func (s *followupSuite) last() complaint.Followup { return s.applied[len(s.applied)-1].Followup }

func doneCall(body complaint.FollowupDoneBody) step {
	return req(workflows.UpdateFollowupDone.Name, followupAgent, body)
}

func answer(id string, satisfaction, recommend int) step {
	return req(workflows.UpdateSurveyAnswer.Name, followup.SurveyActor(id),
		complaint.SurveyAnswerBody{Satisfaction: satisfaction, WouldRecommend: &recommend, Comment: "fine"})
}

// TestAnOpenFollowupRemindsThenEscalates: the owner's department is
// reminded a day before the due time and the after-sales supervisors hear
// of it at the due time, each exactly then.
func (s *followupSuite) TestAnOpenFollowupRemindsThenEscalates() {
	s.play(manual(), 5*24*time.Hour, nil)
	s.Equal([]string{complaint.EventFollowupOpened, complaint.EventFollowupDueSoon, complaint.EventFollowupOverdue},
		s.kinds())
	s.Require().Len(s.notices, 2)
	s.Equal(complaint.NotificationFollowupDueSoon, s.notices[0].Kind)
	s.Equal(followupStart.Add(48*time.Hour), s.noticeAt[0], "a day before the due time")
	s.Equal([]activities.Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales}},
		s.notices[0].Recipients)
	s.Equal(complaint.NotificationFollowupOverdue, s.notices[1].Kind)
	s.Equal(followupStart.Add(72*time.Hour), s.noticeAt[1], "at the due time")
	s.Equal([]activities.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}},
		s.notices[1].Recipients)
	s.True(s.last().Overdue)
	s.Equal("m1", s.notices[1].CaseNumber, "the outbox keeps each follow-up's notices apart")
}

// TestDoneBeforeTheReminderStopsTheClock: a call made on the first day
// owes nobody a reminder, and without a survey the workflow ends.
func (s *followupSuite) TestDoneBeforeTheReminderStopsTheClock() {
	s.play(manual(), 5*24*time.Hour, map[time.Duration]step{
		time.Hour: doneCall(complaint.FollowupDoneBody{Note: "customer happy"})})
	s.True(s.env.IsWorkflowCompleted())
	s.NoError(s.env.GetWorkflowError())
	s.Equal([]string{complaint.EventFollowupOpened, complaint.EventFollowupDone}, s.kinds())
	s.Empty(s.notices)
	s.Zero(s.surveys)
}

// TestAFollowupAppearsWhenItsPlanSays: a system follow-up planned for
// later is recorded at that instant, not before.
func (s *followupSuite) TestAFollowupAppearsWhenItsPlanSays() {
	in := manual()
	in.Plan.AppearAt = followupStart.Add(72 * time.Hour)
	in.Plan.Body.DueAt = followupStart.Add(120 * time.Hour)
	s.play(in, 4*24*time.Hour, nil)
	s.Require().NotEmpty(s.applied)
	s.Equal(complaint.EventFollowupOpened, s.applied[0].Event.Kind)
	s.Equal(followupStart.Add(72*time.Hour), s.appliedAt[0])
	s.Equal(followupStart.Add(72*time.Hour), s.applied[0].Followup.OpenedAt)
}

// TestRefusedSteps reads like the policy: a visit is not done without its
// report, a complaint is raised only from issues found, production does
// not close a call, a branch office does not cancel after-sales' call, and
// a cancelled follow-up ends.
func (s *followupSuite) TestRefusedSteps() {
	visit := manual()
	visit.Plan.Body.Kind = complaint.FollowupKeyCustomerVisit
	outs := s.play(visit, 24*time.Hour, map[time.Duration]step{
		time.Minute:     doneCall(complaint.FollowupDoneBody{Note: "visited"}),
		2 * time.Minute: req(workflows.UpdateFollowupDone.Name, capaProduction, complaint.FollowupDoneBody{Note: "x", Report: "r"}),
		3 * time.Minute: doneCall(complaint.FollowupDoneBody{Note: "visited", Report: "r", RaiseComplaint: &complaint.FollowupComplaint{ContactName: "Li", Description: "leak"}}),
		4 * time.Minute: req(workflows.UpdateFollowupCancel.Name, branchAgent, complaint.FollowupCancelBody{Reason: "moved"}),
		5 * time.Minute: req(workflows.UpdateFollowupCancel.Name, followupAgent, complaint.FollowupCancelBody{Reason: "customer moved"}),
	})
	s.requireRefusal(outs[time.Minute].rejected, workflows.ErrTypeInvalid, "report")
	s.requireRefusal(outs[2*time.Minute].rejected, workflows.ErrTypeForbidden, "")
	s.requireRefusal(outs[3*time.Minute].rejected, workflows.ErrTypeInvalid, "raise_complaint")
	s.requireRefusal(outs[4*time.Minute].rejected, workflows.ErrTypeForbidden, "")
	s.NoError(outs[5*time.Minute].rejected)
	s.Equal(complaint.FollowupCancelled, outs[5*time.Minute].value.Stage)
	s.True(s.env.IsWorkflowCompleted(), "a cancelled follow-up ends")
	s.Equal([]string{complaint.EventFollowupOpened, complaint.EventFollowupCancelled}, s.kinds())
}

func (s *followupSuite) requireRefusal(err error, kind, field string) {
	s.T().Helper()
	var appErr *temporal.ApplicationError
	s.Require().ErrorAs(err, &appErr)
	s.Equal(kind, appErr.Type(), appErr.Error())
	if field != "" {
		var problems complaint.FieldProblems
		s.Require().NoError(appErr.Details(&problems))
		s.Contains(problems.Fields, field)
	}
}

// TestALowScoreCallsTheSupervisorAndOpensARecoveryCall: done with a survey
// sends it; the customer's answer of 2 is taken once, tells the after-sales
// supervisors and opens the recovery call; a second answer is refused.
func (s *followupSuite) TestALowScoreCallsTheSupervisorAndOpensARecoveryCall() {
	outs := s.play(manual(), 3*24*time.Hour, map[time.Duration]step{
		time.Hour:     doneCall(complaint.FollowupDoneBody{Note: "called back", SendSurvey: true}),
		2 * time.Hour: req(workflows.UpdateSurveyAnswer.Name, followupAgent, complaint.SurveyAnswerBody{Satisfaction: 5}),
		3 * time.Hour: answer("m1", 2, 3),
		4 * time.Hour: answer("m1", 5, 10),
	})
	s.requireRefusal(outs[2*time.Hour].rejected, workflows.ErrTypeForbidden, "")
	s.NoError(outs[3*time.Hour].rejected)
	// The answer ended the follow-up: a second one finds nothing to update
	// (the survey page reads the store first and says it was answered).
	s.Zero(outs[4*time.Hour].value.ID)
	s.True(s.env.IsWorkflowCompleted())
	s.Equal(1, s.surveys)
	s.Equal([]string{complaint.EventFollowupOpened, complaint.EventFollowupDone, complaint.EventSurveySent,
		complaint.EventSurveyAnswered}, s.kinds())
	got := s.last().Survey
	s.Require().NotNil(got)
	s.Equal(complaint.SurveyAnswered, got.State)
	s.Equal(2, got.Answer.Satisfaction)
	s.Require().Len(s.notices, 1)
	s.Equal(complaint.NotificationSurveyLowScore, s.notices[0].Kind)
	s.Equal(followupStart.Add(3*time.Hour), s.noticeAt[0])
	s.Require().Len(s.children, 1)
	child := s.children[0]
	s.Equal("recovery-m1", child.Plan.ID)
	s.Equal("m1", child.Plan.SourceID)
	s.Equal(complaint.FollowupRecoveryCall, child.Plan.Body.Kind)
	s.True(child.BySystem)
	s.Equal(followupStart.Add(3*time.Hour+24*time.Hour), child.Plan.Body.DueAt, "called back within a day")
}

// TestAGoodScoreEndsTheFollowup: 4 out of 5 tells nobody.
func (s *followupSuite) TestAGoodScoreEndsTheFollowup() {
	s.play(manual(), 3*24*time.Hour, map[time.Duration]step{
		time.Hour:     doneCall(complaint.FollowupDoneBody{Note: "called back", SendSurvey: true}),
		3 * time.Hour: answer("m1", 4, 9),
	})
	s.True(s.env.IsWorkflowCompleted())
	s.Empty(s.notices)
	s.Empty(s.children)
}

// TestAnUnansweredSurveyExpires: the link's expiry, 30 days after it was
// sent, closes the survey and ends the follow-up; nothing is taken after.
func (s *followupSuite) TestAnUnansweredSurveyExpires() {
	outs := s.play(manual(), 40*24*time.Hour, map[time.Duration]step{
		time.Hour: doneCall(complaint.FollowupDoneBody{Note: "called back", SendSurvey: true}),
	})
	s.NoError(outs[time.Hour].rejected)
	s.True(s.env.IsWorkflowCompleted())
	s.Equal([]string{complaint.EventFollowupOpened, complaint.EventFollowupDone, complaint.EventSurveySent,
		complaint.EventSurveyExpired}, s.kinds())
	s.Equal(followupStart.Add(time.Hour+30*24*time.Hour), s.appliedAt[len(s.appliedAt)-1])
}

// TestOpenersNobodyVouchedForAreRefused: an unsigned opening, and a
// system one without a planner as its parent, fail the workflow.
func (s *followupSuite) TestOpenersNobodyVouchedForAreRefused() {
	in := manual()
	wid := complaint.FollowupWorkflowID(in.Plan.ID)
	s.env.SetStartWorkflowOptions(startOptions(wid))
	s.env.ExecuteWorkflow(followupUnderTest, in)
	s.requireRefusal(s.env.GetWorkflowError(), workflows.ErrTypeForbidden, "")
	s.Empty(s.applied)
}

func (s *followupSuite) TestASystemOpeningWithoutAPlannerIsRefused() {
	in := manual()
	in.BySystem = true
	s.execute(in)
	s.requireRefusal(s.env.GetWorkflowError(), workflows.ErrTypeForbidden, "")
	s.Empty(s.applied)
}
