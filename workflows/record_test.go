package workflows_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/api/operatorservice/v1"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/server/temporaltest"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// clockPath is a case's way through every step that moves a clock.
func clockPath(satisfaction int) []step {
	return []step{
		contact(),
		req(workflows.UpdateOnsite.Name, engineer, complaint.OptionalNoteBody{Note: "arrived"}),
		pause(),
		resume(),
		confirm(),
		analysis(technician, complaint.LiabilityCompany),
		agree(complaint.AgreementRepair),
		resolve(),
		closeCase(satisfaction),
	}
}

// TestRecordHistories records real histories of three cases on an
// in-process Temporal server with the real store, into testdata/, for the
// replay test. Run it after a change to the workflow that is meant to be
// compatible, and keep the old files too, renamed to <path>.v<N>.json (the
// .v0 files are the histories from before the service-level clocks):
//
//	CASEFLOW_RECORD_HISTORIES=1 go test ./workflows/ -run TestRecordHistories
func TestRecordHistories(t *testing.T) {
	if os.Getenv("CASEFLOW_RECORD_HISTORIES") != "1" {
		t.Skip("set CASEFLOW_RECORD_HISTORIES=1 to record testdata/sealed/*.json")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	// Opened first, so it closes after the server and its worker stop.
	s, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))

	// Whom the clocks' notifications reach, so that their deliveries run.
	for _, u := range []store.User{
		{ID: "record-desk", Name: "Desk", Department: complaint.DepartmentAfterSales, Roles: []string{"agent"}},
		{ID: "record-lead", Name: "Lead", Department: complaint.DepartmentAfterSales, Roles: []string{"supervisor"}},
		{ID: "record-sales", Name: "Sales", Department: complaint.DepartmentSales, Roles: []string{"agent"}},
		{ID: engineer.UserID, Name: engineer.Name, Department: engineer.Department, Roles: []string{"engineer"}},
	} {
		require.NoError(t, s.CreateUser(ctx, u, store.TokenSecret{ID: u.ID, Hash: u.ID, Hint: "rec"}, "record"))
	}

	// The stock the steps draw on: a spare part whose issue crosses its
	// reorder level, and a backup pump to lend.
	keeper := complaint.Actor{UserID: "record-desk", Department: complaint.DepartmentAfterSales}
	for _, it := range []complaint.StockItemBody{
		{PartNumber: "P-1", Warehouse: "main", Name: "seal", Kind: complaint.ItemSparePart, ReorderLevel: 5},
		{PartNumber: "BK-PUMP", Warehouse: "main", Name: "backup pump", Kind: complaint.ItemBackupUnit},
	} {
		_, err := s.CreateStockItem(ctx, it)
		require.NoError(t, err)
	}
	_, err = s.ApplyMovement(ctx, store.Movement{Actor: keeper, Body: complaint.MovementBody{PartNumber: "P-1",
		Warehouse: "main", Kind: complaint.MovementReceive, Quantity: 5}})
	require.NoError(t, err)
	_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "SN-REC-1", Model: "BK-PUMP"}, keeper, "")
	require.NoError(t, err)

	srv := temporaltest.NewServer(temporaltest.WithT(t), temporaltest.WithBaseClientOptions(sealedClientOptions(t)))
	c := srv.GetDefaultClient()
	_, err = c.OperatorService().AddSearchAttributes(ctx, &operatorservice.AddSearchAttributesRequest{
		Namespace: srv.GetDefaultNamespace(), SearchAttributes: workflows.SearchAttributes(),
	})
	require.NoError(t, err)
	const taskQueue = "record"
	srv.NewWorker(taskQueue, func(r worker.Registry) {
		r.RegisterWorkflow(workflows.ComplaintWorkflow)
		r.RegisterWorkflow(workflows.StockAlertWorkflow)
		r.RegisterWorkflow(workflows.CapaWorkflow)
		r.RegisterWorkflow(workflows.MonthlyReviewWorkflow)
		r.RegisterWorkflow(workflows.FollowupWorkflow)
		r.RegisterWorkflow(workflows.FeedbackWorkflow)
		r.RegisterActivity(&activities.Activities{Store: s, Channel: notify.NewMulti(acceptingChannel{}, acceptingMail{}),
			PublicURL: "https://service.example"})
	})
	_, err = s.PutCustomer(ctx, store.Customer{ID: recordCustomer, CustomerBody: archive.CustomerBody{Name: "Record Co",
		Contacts: []archive.Contact{{Name: "Li", Email: "li@example.com"}}}})
	require.NoError(t, err)
	recordFollowups(ctx, t, c, taskQueue)

	// Relative to today, because the workflow refuses due dates in the past.
	due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
	action := req(workflows.UpdateCorrectiveActions.Name, inspector, complaint.CorrectiveActionBody{
		Action: "incoming inspection of seals", OwnerDepartment: complaint.DepartmentQuality, DueDate: due})
	order := "SO-2026-0042"
	paths := []struct {
		id    string
		in    workflows.ComplaintInput
		steps []step
	}{
		{"severe-quality-rejected-round", severeQuality(), []step{
			contact(),
			req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{Note: "order facts from sales", OrderNumber: &order}),
			analysis(technician, complaint.LiabilityCompany),
			propose(producer),
			propose(technician),
			agree(complaint.AgreementReplace, complaint.DepartmentQuality, complaint.DepartmentProduction),
			approve(complaint.DepartmentQuality),
			reject(complaint.DepartmentProduction, "replacement stock is not available"),
			agree(complaint.AgreementRepair, complaint.DepartmentQuality, complaint.DepartmentProduction),
			approve(complaint.DepartmentProduction),
			approve(complaint.DepartmentQuality),
			progress(),
			action,
			resolve(),
			closeCase(5),
		}},
		{"minor-straight-through", minorQuality(), []step{
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			progress(),
			resolve(),
			closeCase(4),
		}},
		{"not-at-fault-explanation-accepted", severeOther(), []step{
			confirm(),
			analysis(producer, complaint.LiabilityCustomer),
			agree(complaint.AgreementExplanationAccepted),
		}},
		// The same since registration records the case in the workflow's
		// first task (registerInFirstTaskVersion).
		{"registered-in-first-task", minorQuality(), []step{
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			progress(),
			resolve(),
			closeCase(4),
		}},
		// Received three hours ago under the standard policy: the response
		// clock has breached and escalates, the on-site clock warns, while
		// the steps stop, pause and resume the clocks.
		{"service-level-clocks", lateWithClocks(), clockPath(3)},
		// The same since the clocks record their events all or nothing and
		// deliver apart from the steps: at registration the due events fire
		// and their deliveries run beside the steps; the workflow ends once
		// they have.
		{"service-level-delivery", lateWithClocks(), []step{
			contact(),
			req(workflows.UpdateOnsite.Name, engineer, complaint.OptionalNoteBody{Note: "arrived"}),
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(4),
		}},
		// The same since a step answers in the task that applied it, the API
		// writes its event, and the workflow writes a burst of steps'
		// events once after it (coalescedProjectionVersion).
		{"projection-coalesced", lateWithClocks(), clockPath(4)},
		// The same since a run asks one gate for all the changes above
		// (generation1).
		{"generation-gate", lateWithClocks(), clockPath(4)},
		// A case on out-of-warranty equipment since the archive
		// (generation2): sales is told at registration, the customer
		// declines the quote, an approver waives the charge.
		{"paid-service-waived", onWarranty(complaint.WarrantyOut), []step{
			contact(),
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			quote(),
			quoteDecision(false),
			req(workflows.UpdateWaiver.Name, approver(complaint.DepartmentSales), complaint.NoteBody{Note: "key customer"}),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(4),
		}},
		// A visit since field service (generation3): the engineer is sent
		// out at confirm, checks in and out and files the signed record;
		// its filing clock ends with the record.
		{"field-service-visit", minorQuality(), []step{
			contact(),
			req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{AssignedEngineer: new(engineer.UserID)}),
			req(workflows.UpdateVisits.Name, agent, complaint.VisitPlanBody{Engineers: []string{engineer.UserID},
				PlannedAt: time.Now().UTC().Format(time.RFC3339)}),
			req(workflows.UpdateCheckIn.Name, engineer, complaint.CheckInBody{Visit: "V1"}),
			req(workflows.UpdateCheckOut.Name, engineer, complaint.CheckOutBody{Visit: "V1", WorkDone: "replaced the seal",
				PartsUsed: []complaint.PartUsed{{PartNumber: "P-1", Quantity: 1}}}),
			req(workflows.UpdateServiceRecord.Name, engineer, complaint.ServiceRecordFiling{SignOff: complaint.SignOff{
				Visit: "V1", SignerName: "Li", Opinion: complaint.OpinionSatisfied,
				SignedAt: time.Now().UTC().Format(time.RFC3339)}, Number: "SVC-2026-000001", SignatureSHA256: "00"}),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(5),
		}},
		// Stock moved by the steps since generation4: the check-out issues
		// the part used (below its reorder level: the supervisors' alert
		// starts as a child), the late case lends a backup pump, which
		// comes back to stock before it closes.
		{"stock-on-steps", lateByADay(), []step{
			contact(),
			req(workflows.UpdateConfirm.Name, agent, complaint.ConfirmBody{AssignedEngineer: new(engineer.UserID)}),
			req(workflows.UpdateVisits.Name, agent, complaint.VisitPlanBody{Engineers: []string{engineer.UserID},
				PlannedAt: time.Now().UTC().Format(time.RFC3339)}),
			req(workflows.UpdateCheckIn.Name, engineer, complaint.CheckInBody{Visit: "V1"}),
			req(workflows.UpdateCheckOut.Name, engineer, complaint.CheckOutBody{Visit: "V1", WorkDone: "replaced the seal",
				PartsUsed: []complaint.PartUsed{{PartNumber: "P-1", Quantity: 1}}}),
			req(workflows.UpdateServiceRecord.Name, engineer, complaint.ServiceRecordFiling{SignOff: complaint.SignOff{
				Visit: "V1", SignerName: "Li", Opinion: complaint.OpinionSatisfied,
				SignedAt: time.Now().UTC().Format(time.RFC3339)}, Number: "SVC-2026-000002", SignatureSHA256: "00"}),
			backupInterim(time.Now().AddDate(0, 0, 14).Format(time.DateOnly)),
			req(workflows.UpdateLoanReturn.Name, agent, complaint.LoanReturnBody{Loan: "stock-on-steps-L1",
				UnitReturn: complaint.UnitReturn{To: complaint.UnitBackToStock}}),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(5),
		}},
		// A corrective action since generation5 opens its own workflow, a
		// child the case abandons when it closes; the next complaint on the
		// same part is a recurrence of this one.
		{"capa-opened", minorQuality(), []step{
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			progress(),
			action,
			resolve(),
			closeCase(4),
		}},
		{"capa-recurrence", minorQuality(), []step{
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(4),
		}},
		// A closed case since generation6 starts its post-close call, a
		// child the case abandons that appears three days later.
		{"post-close-call", minorQuality(), []step{
			confirm(),
			analysis(technician, complaint.LiabilityCompany),
			agree(complaint.AgreementRepair),
			resolve(),
			closeCase(4),
		}},
		// Since generation7 a new case's notices (sales told of the paid
		// service, the engineers dispatched to the quality case) and its
		// recurrence search run in its first task, beside its own write.
		{"first-task-work", onWarranty(complaint.WarrantyOut), []step{
			req(workflows.UpdateWithdraw.Name, agent, complaint.NoteBody{Note: "the customer withdrew it"}),
		}},
		// Since generation8 a case that repeats the ones before it on its
		// part finishes its recurrence in its first task: the event's write
		// and the notice are local activities there too, and the case
		// publishes once, its recurrence included.
		{"recurrence-in-task", minorQuality(), []step{
			req(workflows.UpdateWithdraw.Name, agent, complaint.NoteBody{Note: "the customer withdrew it"}),
		}},
	}
	// A month's review from its run to its close: every department's
	// supervisor decides.
	t.Run("review-closed", func(t *testing.T) {
		in := workflows.ReviewInput{Month: "2026-10", TimeZone: "Asia/Shanghai"}
		wid := complaint.ReviewWorkflowID(in.Month)
		start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{ID: wid, TaskQueue: taskQueue,
			WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING}, workflows.MonthlyReviewWorkflow, in)
		ready, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{StartWorkflowOperation: start,
			UpdateOptions: client.UpdateWorkflowOptions{UpdateName: workflows.UpdateReviewReady.Name,
				WaitForStage: client.WorkflowUpdateStageCompleted}})
		require.NoError(t, err)
		var r review.Review
		require.NoError(t, ready.Get(ctx, &r))
		for i, dept := range complaint.Departments() {
			st := req(workflows.UpdateReviewDecision.Name, complaint.Actor{UserID: "lead-" + dept, Department: dept,
				Roles: []string{complaint.RoleSupervisor}}, complaint.AccountabilityDecision{Department: dept,
				AccountabilityBody: complaint.AccountabilityBody{Decision: complaint.AccountabilityNoAction}})
			id := fmt.Sprintf("decide-%d", i)
			h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: wid, UpdateID: id,
				UpdateName: st.name, Args: []any{signed(st, id)}, WaitForStage: client.WorkflowUpdateStageCompleted})
			require.NoError(t, err)
			require.NoError(t, h.Get(ctx, &r))
		}
		require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &r))
		require.Equal(t, complaint.ReviewClosed, r.State)
		writeHistory(ctx, t, c, wid, sealedRecordPath("review-closed"))
	})
	for _, p := range paths {
		t.Run(p.id, func(t *testing.T) {
			p.in.ID = p.id
			wid := complaint.WorkflowID(p.id)
			in, err := p.in.Signed(testKeys, wid)
			require.NoError(t, err)
			start := c.NewWithStartWorkflowOperation(client.StartWorkflowOptions{
				ID: wid, TaskQueue: taskQueue,
				WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
				StaticSummary:            workflows.Summary(p.in),
			}, workflows.ComplaintWorkflow, in)
			reg, err := c.UpdateWithStartWorkflow(ctx, client.UpdateWithStartWorkflowOptions{
				StartWorkflowOperation: start,
				UpdateOptions: client.UpdateWorkflowOptions{
					UpdateName: workflows.UpdateRegistration.Name, WaitForStage: client.WorkflowUpdateStageCompleted,
				},
			})
			require.NoError(t, err)
			var cs complaint.Case
			require.NoError(t, reg.Get(ctx, &cs))

			for i, st := range p.steps {
				id := fmt.Sprintf("%s-%d", st.name, i)
				h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
					WorkflowID: wid, UpdateID: id, UpdateName: st.name,
					Args: []any{signed(st, id)}, WaitForStage: client.WorkflowUpdateStageCompleted,
				})
				require.NoError(t, err, st.name)
				require.NoError(t, h.Get(ctx, &cs), st.name)
			}
			var final complaint.Case
			require.NoError(t, c.GetWorkflow(ctx, wid, "").Get(ctx, &final))
			require.Equal(t, complaint.StageClosed, final.Stage)

			// The store agrees with the workflow once the last step answered.
			stored, err := s.GetCase(ctx, p.id)
			require.NoError(t, err)
			require.Equal(t, final.Version, stored.Version)
			require.Equal(t, complaint.StageClosed, stored.Stage)
			timeline, err := s.Timeline(ctx, p.id)
			require.NoError(t, err)
			people := 0
			for _, ev := range timeline {
				if ev.Actor.UserID != "caseflow" { // the clocks' own events
					people++
				}
			}
			require.Equal(t, len(p.steps)+1, people)

			// Every notification went out before the workflow ended.
			outbox, err := s.ListNotifications(ctx, "", 100)
			require.NoError(t, err)
			for _, n := range outbox {
				if n.ComplaintID == p.id {
					require.Equal(t, complaint.DeliveryDelivered, n.Delivery, "%s %s %d", n.Clock, n.Kind, n.Level)
				}
			}

			writeHistory(ctx, t, c, wid, sealedRecordPath(p.id))
			switch p.id {
			case "capa-opened":
				recordCapa(ctx, t, c, p.id+"-A1")
			case "recurrence-in-task":
				require.NotEmpty(t, stored.RecurrenceOf, "the earlier cases on the same part are found")
			case "capa-recurrence":
				require.Eventually(t, func() bool {
					stored, err := s.GetCase(ctx, p.id)
					return err == nil && len(stored.RecurrenceOf) == 1
				}, 10*time.Second, 50*time.Millisecond, "the earlier case on the same part is found")
			}
		})
	}
}

// recordCapa reports the corrective action a case opened done, as its
// owner department, and records its history (it then waits for its
// effectiveness check).
func recordCapa(ctx context.Context, t *testing.T, c client.Client, id string) {
	wid := complaint.CapaWorkflowID(id)
	var opened complaint.Capa
	require.Eventually(t, func() bool {
		v, err := c.QueryWorkflow(ctx, wid, "", workflows.QueryCapa.Name)
		return err == nil && v.Get(&opened) == nil && opened.Number != ""
	}, 10*time.Second, 50*time.Millisecond)
	done := req(workflows.UpdateCapaDone.Name, capaQuality, complaint.CapaDoneBody{Note: "inspection added"})
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: wid, UpdateID: "done-1",
		UpdateName: done.name, Args: []any{signed(done, "done-1")}, WaitForStage: client.WorkflowUpdateStageCompleted})
	require.NoError(t, err)
	var after workflows.CapaStepResult
	require.NoError(t, h.Get(ctx, &after))
	require.Equal(t, complaint.CapaDone, after.Stage)
	writeHistory(ctx, t, c, wid, sealedRecordPath("capa-done"))
}

func writeHistory(ctx context.Context, t *testing.T, c client.Client, wid, path string) {
	hist := &historypb.History{}
	iter := c.GetWorkflowHistory(ctx, wid, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		hist.Events = append(hist.Events, ev)
	}
	data, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, append(data, '\n'), 0o644))
}

// acceptingChannel delivers every notification at once.
type acceptingChannel struct{}

func (acceptingChannel) Name() string                                       { return "webhook" }
func (acceptingChannel) Send(context.Context, complaint.Notification) error { return nil }

// lateByADay was received 25 hours ago under the standard policy: its
// resolution deadline has passed, so it owes interim relief.
func lateByADay() workflows.ComplaintInput {
	in := lateWithClocks()
	in.ReceivedAt = time.Now().Add(-25 * time.Hour).UTC()
	return in
}

func lateWithClocks() workflows.ComplaintInput {
	in := minorQuality()
	in.ReceivedAt = time.Now().Add(-3 * time.Hour).UTC()
	in.Policy = sla.Standard()
	return in
}
