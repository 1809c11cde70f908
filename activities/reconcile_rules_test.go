package activities

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/caseflow/caseflow/complaint"
)

func TestTermination(t *testing.T) {
	at := time.Date(2026, 11, 29, 6, 0, 0, 0, time.UTC)
	terminated := &historypb.HistoryEvent{EventTime: timestamppb.New(at),
		Attributes: &historypb.HistoryEvent_WorkflowExecutionTerminatedEventAttributes{
			WorkflowExecutionTerminatedEventAttributes: &historypb.WorkflowExecutionTerminatedEventAttributes{
				Reason: "duplicate of CMP-2026-000007", Identity: "ops@example.com"}}}
	cancelRequested := &historypb.HistoryEvent{EventTime: timestamppb.New(at.Add(-time.Second)),
		Attributes: &historypb.HistoryEvent_WorkflowExecutionCancelRequestedEventAttributes{
			WorkflowExecutionCancelRequestedEventAttributes: &historypb.WorkflowExecutionCancelRequestedEventAttributes{
				Cause: "customer called twice", Identity: "webui"}}}
	canceled := &historypb.HistoryEvent{EventTime: timestamppb.New(at),
		Attributes: &historypb.HistoryEvent_WorkflowExecutionCanceledEventAttributes{
			WorkflowExecutionCanceledEventAttributes: &historypb.WorkflowExecutionCanceledEventAttributes{}}}
	timedOut := &historypb.HistoryEvent{EventTime: timestamppb.New(at),
		Attributes: &historypb.HistoryEvent_WorkflowExecutionTimedOutEventAttributes{
			WorkflowExecutionTimedOutEventAttributes: &historypb.WorkflowExecutionTimedOutEventAttributes{}}}
	anonymous := &historypb.HistoryEvent{EventTime: timestamppb.New(at),
		Attributes: &historypb.HistoryEvent_WorkflowExecutionTerminatedEventAttributes{
			WorkflowExecutionTerminatedEventAttributes: &historypb.WorkflowExecutionTerminatedEventAttributes{}}}

	for _, tc := range []struct {
		name   string
		status enumspb.WorkflowExecutionStatus
		events []*historypb.HistoryEvent
		want   complaint.Termination
		ok     bool
	}{
		{"terminated: reason and identity of the terminate", enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED,
			[]*historypb.HistoryEvent{terminated},
			complaint.Termination{Status: "terminated", By: complaint.Actor{Name: "ops@example.com"},
				Reason: "duplicate of CMP-2026-000007", At: at, RunID: "r"}, true},
		{"canceled: cause and identity of the request, time of the close", enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED,
			[]*historypb.HistoryEvent{cancelRequested, canceled},
			complaint.Termination{Status: "canceled", By: complaint.Actor{Name: "webui"},
				Reason: "customer called twice", At: at, RunID: "r"}, true},
		{"timed out: the system", enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT,
			[]*historypb.HistoryEvent{timedOut},
			complaint.Termination{Status: "timed_out", By: systemActor,
				Reason: "the workflow ran past its execution timeout", At: at, RunID: "r"}, true},
		{"no reason, no identity", enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED,
			[]*historypb.HistoryEvent{anonymous},
			complaint.Termination{Status: "terminated", By: complaint.Actor{Name: "unknown Temporal client"},
				Reason: "no reason given", At: at, RunID: "r"}, true},
		{"completed: the API closed it", enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED, nil, complaint.Termination{}, false},
		{"running: reopened since", enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING, nil, complaint.Termination{}, false},
		{"failed: a bug, not an operator", enumspb.WORKFLOW_EXECUTION_STATUS_FAILED, nil, complaint.Termination{}, false},
		{"continued as new", enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW, nil, complaint.Termination{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := termination(tc.status, "r", tc.events)
			require.Equal(t, tc.ok, ok)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestEndedQuery(t *testing.T) {
	require.Equal(t, "WorkflowType = 'ComplaintWorkflow' AND ExecutionStatus IN ('Terminated', 'Canceled', 'TimedOut')",
		endedQuery("ComplaintWorkflow"))
}
