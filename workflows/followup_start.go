package workflows

import (
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
)

// startFollowup starts a follow-up the system owes as a child its parent
// abandons, once: its id comes from what it is about, and a follow-up of
// that id that ran before (done, cancelled) is not started again. pending
// counts the start until the server took it, so the parent does not end
// before.
func startFollowup(ctx workflow.Context, in FollowupInput, pending *int) {
	*pending++
	workflow.Go(ctx, func(ctx workflow.Context) {
		defer func() { *pending-- }()
		if err := startFollowupChild(ctx, in); err != nil {
			workflow.GetLogger(ctx).Warn("follow-up not started", "followup", in.Plan.ID, "error", err)
		}
	})
}

// startFollowupChild starts the child and waits until the server took it;
// one already started or run is no error.
func startFollowupChild(ctx workflow.Context, in FollowupInput) error {
	ctx = workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:            complaint.FollowupWorkflowID(in.Plan.ID),
		ParentClosePolicy:     enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowIDReusePolicy: enumspb.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		StaticSummary:         FollowupSummary(in),
	})
	err := workflow.ExecuteChildWorkflow(ctx, FollowupWorkflow, in).GetChildWorkflowExecution().Get(ctx, nil)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if err != nil && !errors.As(err, &started) && !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
		return err
	}
	return nil
}

// surveyContext sets the options of sending a survey: a few attempts over
// a few minutes; past them the survey is recorded as not sent, which the
// owner sees, rather than waited on for ever.
func surveyContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    5 * time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    6,
		},
	})
}
