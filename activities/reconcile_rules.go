package activities

import (
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/caseflow/caseflow/complaint"
)

// The rules of the reconciler, free of I/O so they are tested as a table.

// endedStatuses are the close statuses of a workflow ended outside the API,
// by the name the store records.
var endedStatuses = map[enumspb.WorkflowExecutionStatus]string{
	enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED: complaint.EndTerminated,
	enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED:   complaint.EndCanceled,
	enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT:  complaint.EndTimedOut,
}

// endedQuery finds the workflows of a type that ended outside the API.
func endedQuery(workflowType string) string {
	return "WorkflowType = '" + workflowType + "' AND ExecutionStatus IN ('Terminated', 'Canceled', 'TimedOut')"
}

// systemActor is who ends a workflow that timed out.
var systemActor = complaint.Actor{UserID: "temporal", Name: "Temporal (workflow timeout)"}

// termination reads who ended a run and why from its history events (its
// close event, and for a cancellation the request before it). It reports
// false when the status is not one the reconciler handles.
func termination(status enumspb.WorkflowExecutionStatus, runID string, events []*historypb.HistoryEvent) (complaint.Termination, bool) {
	name, ok := endedStatuses[status]
	if !ok {
		return complaint.Termination{}, false
	}
	t := complaint.Termination{Status: name, RunID: runID}
	for _, ev := range events {
		if attrs := ev.GetWorkflowExecutionTerminatedEventAttributes(); attrs != nil {
			t.By, t.Reason, t.At = identityActor(attrs.GetIdentity()), attrs.GetReason(), ev.GetEventTime().AsTime()
		}
		if attrs := ev.GetWorkflowExecutionCancelRequestedEventAttributes(); attrs != nil {
			t.By, t.Reason = identityActor(attrs.GetIdentity()), attrs.GetCause()
		}
		if ev.GetWorkflowExecutionCanceledEventAttributes() != nil || ev.GetWorkflowExecutionTimedOutEventAttributes() != nil {
			t.At = ev.GetEventTime().AsTime()
		}
	}
	if status == enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT {
		t.By, t.Reason = systemActor, "the workflow ran past its execution timeout"
	}
	if t.Reason == "" {
		t.Reason = "no reason given"
	}
	return t, true
}

// identityActor names the Temporal identity (the Web UI's user or a CLI's
// user@host) that ended a workflow; it is no caseflow user.
func identityActor(identity string) complaint.Actor {
	if identity == "" {
		identity = "unknown Temporal client"
	}
	return complaint.Actor{Name: identity}
}
