package workflows_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// TestRecordReopenedHistory records, into testdata/reopened-run.json, the
// history of a run that reopens a terminated case (with service-level
// clocks, one of them breached while it stood terminated) and walks it to
// closed, for the replay test. It writes only that file:
//
//	CASEFLOW_RECORD_REOPEN=1 go test ./workflows/ -run TestRecordReopenedHistory
func TestRecordReopenedHistory(t *testing.T) {
	if os.Getenv("CASEFLOW_RECORD_REOPEN") != "1" {
		t.Skip("set CASEFLOW_RECORD_REOPEN=1 to record testdata/sealed/reopened-run.json")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))

	srv := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(sealedClientOptions(t)))
	c := srv.GetDefaultClient()
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: srv.GetDefaultNamespace(), SearchAttributes: workflows.SearchAttributes(),
	})
	require.NoError(t, err)
	const taskQueue = "record"
	srv.NewWorker(taskQueue, func(r worker.Registry) {
		r.RegisterWorkflow(workflows.ComplaintWorkflow)
		r.RegisterActivity(&activities.Activities{Store: s, Channel: acceptingChannel{}})
	})

	const id = "reopened-run"
	wid := complaint.WorkflowID(id)
	// Received 25 hours ago: the standard policy's resolution deadline
	// passes while the case stands terminated.
	first := minorQuality()
	first.ID, first.ReceivedAt, first.Policy = id, time.Now().Add(-25*time.Hour).UTC(), lateWithClocks().Policy
	signedFirst, err := first.Signed(testKeys, wid)
	require.NoError(t, err)
	send := func(in workflows.ComplaintInput, update, updateID string) complaint.Case {
		start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
			ID: wid, TaskQueue: taskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
			WorkflowIDReusePolicy:    enumspb.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		}, workflows.ComplaintWorkflow, in)
		h, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
			StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateName: update, UpdateID: updateID,
				WaitForStage: client.WorkflowUpdateStageCompleted},
		})
		require.NoError(t, err)
		var cs complaint.Case
		require.NoError(t, h.Get(ctx, &cs))
		return cs
	}
	take := func(i int, st step) {
		uid := fmt.Sprintf("%s-%d", st.name, i)
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: wid, UpdateID: uid, UpdateName: st.name,
			Args: []any{signed(st, uid)}, WaitForStage: client.WorkflowUpdateStageCompleted})
		require.NoError(t, err, st.name)
		require.NoError(t, h.Get(ctx, nil), st.name)
	}
	send(signedFirst, workflows.UpdateRegistration.Name, "registration")
	take(0, contact())
	take(1, confirm())
	// The workflow writes a burst of steps' events to the store a moment
	// after them (coalescedProjectionVersion): end it once the store has them.
	require.Eventually(t, func() bool {
		stored, err := s.GetCase(ctx, id)
		return err == nil && stored.Stage == complaint.StageAnalyze
	}, 20*time.Second, 50*time.Millisecond)
	require.NoError(t, c.TerminateWorkflow(ctx, wid, "", "ended in the Web UI"))
	changed, err := s.MarkTerminated(ctx, id, complaint.Termination{Status: complaint.EndTerminated,
		By: complaint.Actor{Name: "webui"}, Reason: "ended in the Web UI", At: time.Now().UTC(), RunID: "r"})
	require.NoError(t, err)
	require.True(t, changed)

	terminated, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	again := first
	again.Carried = &workflows.Carried{Case: terminated, By: admin, Reason: "ended by mistake", RequestID: "reopen-1"}
	again, err = again.Signed(testKeys, wid)
	require.NoError(t, err)
	reopened := send(again, workflows.UpdateReopen.Name, "reopen-1")
	require.Equal(t, complaint.StageAnalyze, reopened.Stage)
	for i, st := range []step{analysis(technician, complaint.LiabilityCompany), agree(complaint.AgreementRepair),
		req(workflows.UpdateInterim.Name, agent, complaint.InterimBody{Kind: "workaround", Description: "manual dosing"}),
		resolve(), closeCase(3)} {
		take(i+2, st)
	}
	var final complaint.Case
	require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &final))
	require.Equal(t, complaint.StageClosed, final.Stage)
	require.Equal(t, complaint.ClockBreached, final.Clocks.Resolution.State)
	stored, err := s.GetCase(ctx, id)
	require.NoError(t, err)
	require.Equal(t, final.Version, stored.Version)

	writeHistory(ctx, t, c, wid, sealedRecordPath(id))
}
