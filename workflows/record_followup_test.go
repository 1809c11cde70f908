package workflows_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
	"github.com/caseflow/caseflow/workflows"
)

// recordFollowups records a follow-up from its opening through a survey
// answered with a low score (the recovery call starts as a child), and
// feedback from its logging to its answer.
func recordFollowups(ctx context.Context, t *testing.T, c client.Client, taskQueue string) {
	t.Run("followup-survey-answered", func(t *testing.T) {
		in := workflows.FollowupInput{OpenedBy: followupAgent, Plan: followup.Plan{ID: "record-survey",
			Body: complaint.FollowupOpenBody{Kind: complaint.FollowupAnnualSurvey, CustomerID: recordCustomer,
				DueAt: time.Now().Add(72 * time.Hour).UTC()}}}
		wid := complaint.FollowupWorkflowID(in.Plan.ID)
		in, err := in.Signed(testKeys, wid)
		require.NoError(t, err)
		start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: wid, TaskQueue: taskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, workflows.FollowupWorkflow, in)
		reg, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateFollowupRegistration.Name,
				WaitForStage: client.WorkflowUpdateStageCompleted}})
		require.NoError(t, err)
		var f complaint.Followup
		require.NoError(t, reg.Get(ctx, &f))
		sendStep(ctx, t, c, wid, "done-1", doneCall(complaint.FollowupDoneBody{Note: "called", SendSurvey: true}))
		require.Eventually(t, func() bool {
			v, err := c.QueryWorkflow(ctx, wid, "", workflows.QueryFollowup.Name)
			return err == nil && v.Get(&f) == nil && f.Survey != nil
		}, 10*time.Second, 50*time.Millisecond)
		require.Equal(t, complaint.SurveySent, f.Survey.State)
		sendStep(ctx, t, c, wid, "survey-1", answer(in.Plan.ID, 1, 2))
		require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &f))
		require.Equal(t, complaint.SurveyAnswered, f.Survey.State)
		writeHistory(ctx, t, c, wid, sealedRecordPath("followup-survey-answered"))
	})
	t.Run("feedback-answered", func(t *testing.T) {
		in := workflows.FeedbackInput{ID: "record-feedback", LoggedBy: followupAgent,
			Body: complaint.FeedbackBody{Kind: complaint.FeedbackEnquiry, FromCustomerID: recordCustomer,
				Text: "when is the next service?", RoutedTo: complaint.DepartmentAfterSales}}
		wid := complaint.FeedbackWorkflowID(in.ID)
		in, err := in.Signed(testKeys, wid)
		require.NoError(t, err)
		start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: wid, TaskQueue: taskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, workflows.FeedbackWorkflow, in)
		reg, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateFeedbackRegistration.Name,
				WaitForStage: client.WorkflowUpdateStageCompleted}})
		require.NoError(t, err)
		var fb complaint.Feedback
		require.NoError(t, reg.Get(ctx, &fb))
		require.NotEmpty(t, fb.Number)
		sendStep(ctx, t, c, wid, "answer-1", req(workflows.UpdateFeedbackAnswer.Name, followupAgent,
			complaint.FeedbackAnswerBody{Answer: "in March"}))
		require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &fb))
		require.Equal(t, complaint.FeedbackAnswered, fb.Stage)
		writeHistory(ctx, t, c, wid, sealedRecordPath("feedback-answered"))
	})
}

// recordCustomer has an e-mail address, so its survey is sent.
const recordCustomer = "C-REC"

func sendStep(ctx context.Context, t *testing.T, c client.Client, wid, id string, st step) {
	t.Helper()
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: wid, UpdateID: id, UpdateName: st.name,
		Args: []any{signed(st, id)}, WaitForStage: client.WorkflowUpdateStageCompleted})
	require.NoError(t, err, st.name)
	require.NoError(t, h.Get(ctx, nil), st.name)
}

// acceptingMail is an e-mail channel that accepts every message.
type acceptingMail struct{}

func (acceptingMail) Name() string                                       { return "email" }
func (acceptingMail) Send(context.Context, complaint.Notification) error { return nil }
