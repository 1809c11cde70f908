package app_test

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/workflows"
)

// caseWorkflows counts case workflows only: the reconciler's schedule starts
// a workflow of its own every minute.
const caseWorkflows = "WorkflowType = 'ComplaintWorkflow'"

// terminate ends a case's workflow as an operator would in the Web UI: as a
// client of its own identity, with a reason.
func terminate(t *testing.T, stack *app.Stack, caseID, identity, reason string) {
	t.Helper()
	ops, err := client.DialContext(t.Context(), client.Options{HostPort: stack.Config.TemporalAddress,
		Namespace: stack.Config.Namespace, Identity: identity})
	require.NoError(t, err)
	defer ops.Close()
	require.NoError(t, ops.TerminateWorkflow(t.Context(), "complaint-"+caseID, "", reason))
}

// reconcileNow triggers the reconciler's schedule once visibility shows the
// terminated workflow, and waits until the store shows the case terminated.
func reconcileNow(t *testing.T, stack *app.Stack, caseID string) map[string]any {
	t.Helper()
	return reconcileEnded(t, stack, caseID, "Terminated")
}

// reconcileEnded is reconcileNow for a workflow closed with status.
func reconcileEnded(t *testing.T, stack *app.Stack, caseID, status string) map[string]any {
	t.Helper()
	eventually(t, func() bool {
		return countWorkflows(t, stack.Client, stack.Config.Namespace,
			"WorkflowId = 'complaint-"+caseID+"' AND ExecutionStatus = '"+status+"'") > 0
	}, "visibility shows the ended workflow")
	require.NoError(t, stack.Client.ScheduleClient().GetHandle(t.Context(), workflows.ReconcileScheduleID).
		Trigger(t.Context(), client.ScheduleTriggerOptions{}))
	var got map[string]any
	eventually(t, func() bool {
		_, got = agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+caseID, nil, nil)
		return got["stage"] == "terminated"
	}, "the reconciler marks the case terminated")
	return got
}

// runReconciler runs one reconcile directly and answers how many cases it marked.
func runReconciler(t *testing.T, stack *app.Stack) int {
	t.Helper()
	run, err := stack.Client.ExecuteWorkflow(t.Context(), client.StartWorkflowOptions{TaskQueue: stack.Config.TaskQueue},
		workflows.ReconcileWorkflow)
	require.NoError(t, err)
	var n int
	require.NoError(t, run.Get(t.Context(), &n))
	return n
}

// TestTerminatedCaseIsReconciledAndReopened: a workflow terminated or
// cancelled outside the API shows as a terminated case with who and why,
// takes no step, and an admin reopens it to the stage it had, from where it
// is walked to closed; once Temporal has deleted the ended run too.
func TestTerminatedCaseIsReconciledAndReopened(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			// A cancellation is read from its request: identity and reason.
			cancelled := newCase(t, stack, nil)
			_, err := stack.Client.WorkflowService().RequestCancelWorkflowExecution(t.Context(),
				&workflowservice.RequestCancelWorkflowExecutionRequest{
					Namespace:         stack.Config.Namespace,
					WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: "complaint-" + cancelled.id},
					Identity:          "lead@example.com", Reason: "customer withdrew by phone", RequestId: cancelled.id,
				})
			require.NoError(t, err)
			got := reconcileEnded(t, stack, cancelled.id, "Canceled")
			end := got["termination"].(map[string]any)
			require.Equal(t, "canceled", end["status"])
			require.Equal(t, "lead@example.com", end["by"].(map[string]any)["name"])
			require.Equal(t, "customer withdrew by phone", end["reason"])
			require.Equal(t, "confirm", end["stage"])
			errBody := cancelled.refused("after_sales", "agent", "contact", note("again"), http.StatusConflict, "conflict")
			require.Contains(t, errBody["message"], "cancelled by lead@example.com")

			// Past retention the ended run is gone: the reopen starts from the
			// store (checked at the end: deletion takes half a minute).
			_, err = stack.Client.WorkflowService().DeleteWorkflowExecution(t.Context(), &workflowservice.DeleteWorkflowExecutionRequest{
				Namespace: stack.Config.Namespace, WorkflowExecution: &commonpb.WorkflowExecution{WorkflowId: "complaint-" + cancelled.id},
			})
			require.NoError(t, err)

			w := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor"})
			w.step("after_sales", "agent", "contact", note("called the customer back"))
			w.step("after_sales", "agent", "confirm", note("order checked"))
			require.Equal(t, "analyze", w.stage())
			version := w.last["version"].(float64)

			terminate(t, stack, w.id, "ops@example.com", "stuck after a bad deploy")
			got = reconcileNow(t, stack, w.id)
			require.Equal(t, []any{}, got["allowed_steps"])
			end = got["termination"].(map[string]any)
			require.Equal(t, "terminated", end["status"])
			require.Equal(t, "ops@example.com", end["by"].(map[string]any)["name"])
			require.Equal(t, "stuck after a bad deploy", end["reason"])
			require.Equal(t, "analyze", end["stage"])
			require.NotEmpty(t, end["at"])
			require.Equal(t, version+1, got["version"])

			api := agent(t, stack)
			_, list := api.do(http.MethodGet, "/api/v1/complaints?stage=terminated", nil, nil)
			var listed []any
			for _, c := range list["complaints"].([]any) {
				listed = append(listed, c.(map[string]any)["id"])
			}
			require.ElementsMatch(t, []any{w.id, cancelled.id}, listed, "the list filter finds them")
			_, timeline := api.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
			evs := timeline["events"].([]any)
			last := evs[len(evs)-1].(map[string]any)
			require.Equal(t, "terminated", last["kind"])
			require.Equal(t, "ops@example.com", last["actor"].(map[string]any)["name"])
			require.Equal(t, "stuck after a bad deploy", last["payload"].(map[string]any)["reason"])

			// Every step is refused, saying the case was terminated.
			for _, st := range []struct {
				department, role, name string
				body                   any
			}{
				{"after_sales", "agent", "contact", note("again")},
				{"production", "agent", "analysis", map[string]any{"root_cause": "seal", "responsible_department": "production", "liability": "company"}},
				{"after_sales", "agent", "withdraw", note("customer withdrew")},
				{"after_sales", "agent", "pause", map[string]any{"reason": "waiting"}},
				{"after_sales", "agent", "close", map[string]any{"customer_confirmed": true}},
			} {
				errBody := w.refused(st.department, st.role, st.name, st.body, http.StatusConflict, "conflict")
				require.Contains(t, errBody["message"], "terminated", st.name)
				require.Contains(t, errBody["message"], "ops@example.com", st.name)
				require.Equal(t, "terminated", errBody["stage"])
			}
			require.Zero(t, runReconciler(t, stack), "a case marked once is not marked again")

			admin := as(t, stack, "after_sales", "admin")
			path := "/api/v1/complaints/" + w.id + "/reopen"
			status, body := admin.do(http.MethodPost, path, map[string]any{}, nil)
			require.Equal(t, http.StatusBadRequest, status, "%v", body)
			status, body = as(t, stack, "after_sales", "supervisor").do(http.MethodPost, path, map[string]any{"reason": "x"}, nil)
			require.Equal(t, http.StatusForbidden, status, "%v", body)

			key := map[string]string{"Idempotency-Key": "reopen-1"}
			status, reopened := admin.do(http.MethodPost, path, map[string]any{"reason": "deploy fixed; customer still waiting"}, key)
			require.Equal(t, http.StatusOK, status, "%v", reopened)
			require.Equal(t, "analyze", reopened["stage"])
			require.Nil(t, reopened["termination"])
			require.Contains(t, reopened["allowed_steps"], "analysis")
			require.Equal(t, version+2, reopened["version"])
			status, again := admin.do(http.MethodPost, path, map[string]any{"reason": "deploy fixed; customer still waiting"}, key)
			require.Equal(t, http.StatusOK, status, "a retry with the key answers the same: %v", again)
			require.Equal(t, reopened["version"], again["version"])
			status, body = admin.do(http.MethodPost, path, map[string]any{"reason": "once more"}, map[string]string{"Idempotency-Key": "reopen-2"})
			require.Equal(t, http.StatusConflict, status, "only a terminated case is reopened: %v", body)

			_, timeline = api.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
			evs = timeline["events"].([]any)
			last = evs[len(evs)-1].(map[string]any)
			require.Equal(t, "reopened", last["kind"])
			require.Equal(t, "admin", strings.ToLower(last["actor"].(map[string]any)["roles"].([]any)[0].(string)))
			require.Equal(t, "deploy fixed; customer still waiting", last["payload"].(map[string]any)["reason"])
			require.Zero(t, runReconciler(t, stack), "the terminated run of a reopened case is left alone")

			w.step("production", "agent", "analysis", map[string]any{"root_cause": "seal worn", "responsible_department": "production", "liability": "company"})
			require.Equal(t, "negotiate", w.stage())
			w.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit note"})
			w.remediateAndClose()
			stored, err := stack.Store.Timeline(t.Context(), w.id)
			require.NoError(t, err)
			kinds := make([]string, len(stored))
			for i, e := range stored {
				kinds[i] = e.Kind
				require.EqualValues(t, i+1, e.Seq)
			}
			require.True(t, slices.Equal([]string{"registered", "contacted", "confirmed", "terminated", "reopened", "analyzed",
				"agreed", "progress_reported", "corrective_action_set", "resolved", "closed"}, kinds), "%v", kinds)
			require.Zero(t, runReconciler(t, stack))
			closed, err := stack.Store.GetCase(t.Context(), w.id)
			require.NoError(t, err)
			require.Equal(t, "closed", string(closed.Stage))

			require.Eventually(t, func() bool {
				_, err := stack.Client.DescribeWorkflowExecution(t.Context(), "complaint-"+cancelled.id, "")
				var notFound *serviceerror.NotFound
				return errors.As(err, &notFound)
			}, 2*time.Minute, 200*time.Millisecond, "the ended run is deleted")
			status, reopened = admin.do(http.MethodPost, "/api/v1/complaints/"+cancelled.id+"/reopen", map[string]any{"reason": "cancelled by mistake"}, nil)
			require.Equal(t, http.StatusOK, status, "%v", reopened)
			require.Equal(t, "confirm", reopened["stage"])
			require.Equal(t, "standard", reopened["sla_policy"])
			cancelled.step("after_sales", "agent", "contact", note("called back after the reopen"))
		})
	}
}
