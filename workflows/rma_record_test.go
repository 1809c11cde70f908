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

// TestRecordRMAHistories records a real history of an RMA on an in-process
// Temporal server with the real store, into testdata/, for the replay test
// (which replays every file there, RMAs too):
//
//	CASEFLOW_RECORD_HISTORIES=1 go test ./workflows/ -run 'TestRecordRMAHistories/rma-replaced'
func TestRecordRMAHistories(t *testing.T) {
	if os.Getenv("CASEFLOW_RECORD_HISTORIES") != "1" {
		t.Skip("set CASEFLOW_RECORD_HISTORIES=1 to record testdata/sealed/rma-*.json")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	s, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))
	_, err = s.CreateStockItem(ctx, complaint.StockItemBody{PartNumber: "P-778", Warehouse: "main",
		Name: "Seal kit", Kind: complaint.ItemSparePart, ReorderLevel: 0})
	require.NoError(t, err)
	_, err = s.ApplyMovement(ctx, store.Movement{Body: complaint.MovementBody{PartNumber: "P-778", Warehouse: "main",
		Kind: complaint.MovementReceive, Quantity: 5}, Actor: rmaDesk})
	require.NoError(t, err)

	srv := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(sealedClientOptions(t)))
	c := srv.GetDefaultClient()
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: srv.GetDefaultNamespace(), SearchAttributes: workflows.SearchAttributes(),
	})
	require.NoError(t, err)
	const taskQueue = "record-rma"
	srv.NewWorker(taskQueue, func(r worker.Registry) {
		r.RegisterWorkflow(workflows.RmaWorkflow)
		r.RegisterWorkflow(workflows.StockAlertWorkflow)
		r.RegisterActivity(&activities.Activities{Store: s, Channel: acceptingChannel{}})
	})

	paths := []struct {
		id    string
		steps []step
		want  string
	}{
		// Requested by a branch office, approved, received into stock,
		// inspected, and replaced from stock.
		{"rma-replaced", []step{
			approveRMA(),
			receiveRMA(),
			inspectRMA(),
			completeRMA(complaint.DispositionReplace, "main"),
		}, complaint.RMACompleted},
	}
	for _, p := range paths {
		t.Run(p.id, func(t *testing.T) {
			in := rmaInput()
			in.ID = p.id
			wid := complaint.RMAWorkflowID(p.id)
			in, err := in.Signed(testKeys, wid)
			require.NoError(t, err)
			start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
				ID: wid, TaskQueue: taskQueue,
				WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
				StaticSummary:            workflows.RMASummary(in),
			}, workflows.RmaWorkflow, in)
			reg, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
				StartWorkflowOperation: start,
				UpdateOptions: client.UpdateWorkflowOptions{
					UpdateName: workflows.UpdateRMARegistration.Name, WaitForStage: client.WorkflowUpdateStageCompleted,
				},
			})
			require.NoError(t, err)
			var r complaint.RMA
			require.NoError(t, reg.Get(ctx, &r))
			for i, st := range p.steps {
				id := fmt.Sprintf("%s-%d", st.name, i)
				h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
					WorkflowID: wid, UpdateID: id, UpdateName: st.name,
					Args: []any{signed(st, id)}, WaitForStage: client.WorkflowUpdateStageCompleted,
				})
				require.NoError(t, err, st.name)
				require.NoError(t, h.Get(ctx, &r), st.name)
			}
			var final complaint.RMA
			require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &final))
			require.Equal(t, p.want, final.Stage)

			stored, err := s.GetRMA(ctx, p.id)
			require.NoError(t, err)
			require.Equal(t, final.Version, stored.Version)
			events, err := s.RMATimeline(ctx, p.id)
			require.NoError(t, err)
			require.Len(t, events, len(p.steps)+1)
			item, err := s.GetStockItem(ctx, "P-778", "main")
			require.NoError(t, err)
			require.Equal(t, 5, item.OnHand, "received 2, replaced 2")

			writeHistory(ctx, t, c, wid, sealedRecordPath(p.id))
		})
	}
}
