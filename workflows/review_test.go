package workflows_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/workflows"
)

type reviewSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env      *testsuite.TestWorkflowEnvironment
	stored   review.Review
	notices  []activities.NotifyInput
	noticeAt []time.Time
	closed   bool
}

func TestMonthlyReviewWorkflow(t *testing.T) { suite.Run(t, new(reviewSuite)) }

var reviewStart = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) // 08:00 in Shanghai

func supervisorOf(dept string) complaint.Actor {
	return complaint.Actor{UserID: "lead-" + dept, Name: "Lead", Department: dept, Roles: []string{complaint.RoleSupervisor}}
}

func (s *reviewSuite) SetupTest() {
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.env.SetStartTime(reviewStart)
	s.notices, s.noticeAt, s.closed = nil, nil, false
	s.stored = review.Review{State: complaint.ReviewOpen, Figures: review.Figures{Month: "2026-11", Cases: 40}}
	for _, d := range complaint.Departments() {
		s.stored.Accountability = append(s.stored.Accountability, review.Accountability{Department: d})
	}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(mocked.ComputeReview, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ReviewRun) (review.Review, error) {
			s.Equal(activities.ReviewRun{Month: "2026-11", TimeZone: "Asia/Shanghai"}, in)
			return s.stored, nil
		})
	s.env.OnActivity(mocked.DecideAccountability, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ReviewDecision) (review.Review, error) {
			for i := range s.stored.Accountability {
				if row := &s.stored.Accountability[i]; row.Department == in.Decision.Department {
					row.Decision, row.Note, row.DecidedBy = in.Decision.Decision, in.Decision.Note, in.By.UserID
				}
			}
			return s.stored, nil
		})
	s.env.OnActivity(mocked.CloseReview, mock.Anything, mock.Anything).Return(
		func(context.Context, activities.ReviewRun) error { s.closed = true; return nil })
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			s.notices = append(s.notices, in)
			s.noticeAt = append(s.noticeAt, s.env.Now().UTC())
			return false, nil
		})
}

func decision(dept, choice string) step {
	return req(workflows.UpdateReviewDecision.Name, supervisorOf(dept), complaint.AccountabilityDecision{
		Department: dept, AccountabilityBody: complaint.AccountabilityBody{Decision: choice, Note: "noted"}})
}

// decideAt sends each decision at its offset and records the outcomes.
func (s *reviewSuite) decideAt(decisions map[time.Duration]step) map[time.Duration]error {
	outs := map[time.Duration]error{}
	for at, st := range decisions {
		s.env.RegisterDelayedCallback(func() {
			id := st.name + at.String()
			s.env.UpdateWorkflow(st.name, id, &testsuite.TestUpdateCallback{
				OnAccept: func() {}, OnReject: func(err error) { outs[at] = err },
				OnComplete: func(_ any, err error) {
					if err != nil {
						outs[at] = err
					}
				},
			}, signed(st, id))
		}, at)
	}
	return outs
}

// TestTheReviewRemindsWeeklyAndClosesOnceAllDecided: every supervisor
// hears at once; those who have not decided hear again each week; the
// review closes on the last decision.
func (s *reviewSuite) TestTheReviewRemindsWeeklyAndClosesOnceAllDecided() {
	decisions := map[time.Duration]step{}
	for i, d := range complaint.Departments() {
		if d != complaint.DepartmentSales {
			decisions[time.Duration(i+1)*time.Hour] = decision(d, complaint.AccountabilityNoAction)
		}
	}
	decisions[10*24*time.Hour] = decision(complaint.DepartmentSales, complaint.AccountabilityNoAction)
	outs := s.decideAt(decisions)
	s.env.ExecuteWorkflow(workflows.MonthlyReviewWorkflow, workflows.ReviewInput{Month: "2026-11",
		TimeZone: "Asia/Shanghai"})

	s.Require().True(s.env.IsWorkflowCompleted())
	s.Require().NoError(s.env.GetWorkflowError())
	for at, err := range outs {
		s.NoError(err, "decision at %s", at)
	}
	s.True(s.closed)
	var r review.Review
	s.Require().NoError(s.env.GetWorkflowResult(&r))
	s.Equal(complaint.ReviewClosed, r.State)
	s.Require().Len(s.notices, 2)
	s.Equal(complaint.NotificationReviewReady, s.notices[0].Kind)
	s.Len(s.notices[0].Recipients, len(complaint.Departments()), "every department's supervisor")
	s.Equal(complaint.NotificationReviewReminder, s.notices[1].Kind)
	s.Equal(reviewStart.Add(7*24*time.Hour), s.noticeAt[1], "a week later")
	s.Equal([]string{complaint.DepartmentSales}, []string{s.notices[1].Recipients[0].Department},
		"only the department that has not decided")
	s.Equal(complaint.RoleSupervisor, s.notices[1].Recipients[0].Role)
}

// TestOnlyADepartmentsOwnSupervisorDecides.
func (s *reviewSuite) TestOnlyADepartmentsOwnSupervisorDecides() {
	other := req(workflows.UpdateReviewDecision.Name, supervisorOf(complaint.DepartmentSales),
		complaint.AccountabilityDecision{Department: complaint.DepartmentQuality,
			AccountabilityBody: complaint.AccountabilityBody{Decision: complaint.AccountabilityPenalty, Note: "x"}})
	outs := s.decideAt(map[time.Duration]step{time.Hour: other})
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, 2*time.Hour)
	s.env.ExecuteWorkflow(workflows.MonthlyReviewWorkflow, workflows.ReviewInput{Month: "2026-11",
		TimeZone: "Asia/Shanghai"})
	var appErr *temporal.ApplicationError
	s.Require().True(errors.As(outs[time.Hour], &appErr), "%v", outs[time.Hour])
	s.Equal(workflows.ErrTypeForbidden, appErr.Type())
	s.Empty(s.stored.Accountability[4].Decision)
}

// TestTheScheduleReviewsTheMonthBeforeInShanghai: at 00:30 on 1 December
// in Shanghai (still 30 November in UTC) the scheduled run reviews
// November, as a review workflow of its own.
func TestTheScheduleReviewsTheMonthBeforeInShanghai(t *testing.T) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2026, 11, 30, 16, 30, 0, 0, time.UTC))
	env.RegisterActivity(&activities.Activities{TimeZone: "Asia/Shanghai"})
	env.RegisterWorkflow(workflows.MonthlyReviewWorkflow)
	var started workflows.ReviewInput
	env.OnWorkflow(workflows.MonthlyReviewWorkflow, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in workflows.ReviewInput) (review.Review, error) {
			started = in
			return review.Review{}, nil
		})
	env.ExecuteWorkflow(workflows.ScheduledReviewWorkflow)
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	var month string
	require.NoError(t, env.GetWorkflowResult(&month))
	require.Equal(t, "2026-11", month)
	require.Equal(t, workflows.ReviewInput{Month: "2026-11", TimeZone: "Asia/Shanghai"}, started)
}
