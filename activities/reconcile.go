package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// ReconcileInput bounds one run of the reconciler.
type ReconcileInput struct {
	// WorkflowType is the case workflow's type name.
	WorkflowType string
	// MaxScan bounds the ended runs read from visibility (newest closed
	// first); MaxCases the cases marked per run. The next run continues.
	MaxScan  int
	MaxCases int
}

// EndedCase is a case whose current workflow run ended outside the API.
type EndedCase struct {
	CaseID      string
	Termination complaint.Termination
}

// FindEndedCases lists the case workflows that ended as terminated,
// cancelled or timed out while the store still shows their case open, and
// reads who ended each and why from its history. Visibility holds closed
// runs for the namespace's retention only and such endings are rare, so the
// query stays small; a case reopened since (its current run is running) is
// skipped.
func (a *Activities) FindEndedCases(ctx context.Context, in ReconcileInput) ([]EndedCase, error) {
	var ids []string
	seen := map[string]bool{}
	var token []byte
	for len(ids) < in.MaxScan {
		resp, err := a.Temporal.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{
			Query: endedQuery(in.WorkflowType), PageSize: int32(min(100, in.MaxScan)), NextPageToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("list ended workflows: %w", err)
		}
		for _, ex := range resp.GetExecutions() {
			id, ok := strings.CutPrefix(ex.GetExecution().GetWorkflowId(), complaint.WorkflowID(""))
			if ok && !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		if token = resp.GetNextPageToken(); len(token) == 0 {
			break
		}
	}
	open, err := a.Store.OpenAmong(ctx, ids)
	if err != nil {
		return nil, err
	}
	ended := []EndedCase{}
	for _, id := range open {
		if len(ended) == in.MaxCases {
			break
		}
		t, ok, err := a.currentEnding(ctx, complaint.WorkflowID(id))
		if err != nil {
			return nil, err
		}
		if ok {
			ended = append(ended, EndedCase{CaseID: id, Termination: t})
		}
	}
	return ended, nil
}

// currentEnding reads how the workflow's current run ended, if it ended
// outside the API.
func (a *Activities) currentEnding(ctx context.Context, workflowID string) (complaint.Termination, bool, error) {
	desc, err := a.Temporal.DescribeWorkflowExecution(ctx, workflowID, "")
	if err != nil {
		return complaint.Termination{}, false, fmt.Errorf("describe %s: %w", workflowID, err)
	}
	info := desc.GetWorkflowExecutionInfo()
	status := info.GetStatus()
	if _, ok := endedStatuses[status]; !ok {
		return complaint.Termination{}, false, nil
	}
	runID := info.GetExecution().GetRunId()
	// Terminated and timed-out runs say all in their close event; a
	// cancellation's who and why are in the request, earlier in the history.
	filter := enumspb.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT
	if status == enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED {
		filter = enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT
	}
	var events []*historypb.HistoryEvent
	iter := a.Temporal.GetWorkflowHistory(ctx, workflowID, runID, false, filter)
	for iter.HasNext() {
		ev, err := iter.Next()
		if err != nil {
			return complaint.Termination{}, false, fmt.Errorf("history of %s: %w", workflowID, err)
		}
		if ev.GetWorkflowExecutionCancelRequestedEventAttributes() != nil || isClose(ev) {
			events = append(events, ev)
		}
	}
	t, ok := termination(status, runID, events)
	if ok && t.At.IsZero() {
		t.At = info.GetCloseTime().AsTime()
	}
	return t, ok, nil
}

func isClose(ev *historypb.HistoryEvent) bool {
	return ev.GetWorkflowExecutionTerminatedEventAttributes() != nil ||
		ev.GetWorkflowExecutionCanceledEventAttributes() != nil ||
		ev.GetWorkflowExecutionTimedOutEventAttributes() != nil
}

// MarkCaseTerminated records the ending in the store; a case already marked
// (or closed) is left alone, and one the store does not know is skipped.
func (a *Activities) MarkCaseTerminated(ctx context.Context, e EndedCase) error {
	_, err := a.Store.MarkTerminated(ctx, e.CaseID, e.Termination)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}
