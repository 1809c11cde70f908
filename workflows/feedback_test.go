package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// feedbackRun runs feedback logged at followupStart, answered at answerAt
// (never when zero), and answers the events and notices it wrote.
func feedbackRun(t *testing.T, answerAt time.Duration) (kinds []string, notices []activities.NotifyInput, at []time.Time) {
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.SetStartTime(followupStart)
	env.RegisterActivity(&activities.Activities{})
	env.OnUpsertTypedSearchAttributes(mock.Anything).Return(nil)
	env.OnActivity(mocked.RegisterFeedback, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.FeedbackEvent) (activities.FeedbackNumber, error) {
			kinds = append(kinds, in.Event.Kind)
			return activities.FeedbackNumber{Number: "FB-2026-000001", Serial: 1}, nil
		})
	env.OnActivity(mocked.ApplyFeedbackEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.FeedbackEvent) error {
			kinds = append(kinds, in.Event.Kind)
			return nil
		})
	env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			notices = append(notices, in)
			at = append(at, env.Now().UTC())
			return false, nil
		})
	if answerAt > 0 {
		st := req(workflows.UpdateFeedbackAnswer.Name, followupAgent, complaint.FeedbackAnswerBody{Answer: "next week"})
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(st.name, "answer-1", &testsuite.TestUpdateCallback{OnAccept: func() {},
				OnReject: func(err error) { t.Errorf("answer rejected: %v", err) }, OnComplete: func(any, error) {}},
				signed(st, "answer-1"))
		}, answerAt)
	}
	env.RegisterDelayedCallback(func() { env.CancelWorkflow() }, 6*time.Hour)
	in := workflows.FeedbackInput{ID: "fb1", LoggedBy: followupAgent, Body: complaint.FeedbackBody{
		Kind: complaint.FeedbackEnquiry, Text: "when is the next service?", RoutedTo: complaint.DepartmentAfterSales}}
	wid := complaint.FeedbackWorkflowID(in.ID)
	env.SetStartWorkflowOptions(startOptions(wid))
	in, err := in.Signed(testKeys, wid)
	require.NoError(t, err)
	env.ExecuteWorkflow(workflows.FeedbackWorkflow, in)
	return kinds, notices, at
}

// TestUnansweredFeedbackEscalatesAtTheResponseTime: the department hears
// of it at once; two hours later, unanswered, its supervisors do.
func TestUnansweredFeedbackEscalatesAtTheResponseTime(t *testing.T) {
	kinds, notices, at := feedbackRun(t, 0)
	require.Equal(t, []string{complaint.EventFeedbackLogged, complaint.EventFeedbackOverdue}, kinds)
	require.Len(t, notices, 2)
	require.Equal(t, complaint.NotificationFeedbackReceived, notices[0].Kind)
	require.Equal(t, followupStart, at[0])
	require.Equal(t, complaint.NotificationFeedbackOverdue, notices[1].Kind)
	require.Equal(t, followupStart.Add(2*time.Hour), at[1], "the standard response time")
	require.Equal(t, "FB-2026-000001", notices[1].CaseNumber)
}

// TestAnsweredFeedbackDoesNotEscalate: answered within the hour, it ends.
func TestAnsweredFeedbackDoesNotEscalate(t *testing.T) {
	kinds, notices, _ := feedbackRun(t, time.Hour)
	require.Equal(t, []string{complaint.EventFeedbackLogged, complaint.EventFeedbackAnswered}, kinds)
	require.Len(t, notices, 1)
	require.Equal(t, complaint.NotificationFeedbackReceived, notices[0].Kind)
}
