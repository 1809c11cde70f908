package workflows_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/suite"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// Actors of an RMA, with the roles its rules check.
var (
	branchDesk = complaint.Actor{UserID: "b1", Name: "Ningbo desk", Department: complaint.DepartmentBranchOffice,
		Roles: []string{complaint.RoleAgent}}
	rmaDesk = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
	rmaApprover = complaint.Actor{UserID: "ap1", Name: "Head of after-sales", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleApprover}}
	rmaInspector = complaint.Actor{UserID: "q1", Name: "Zhou", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleEngineer}}
)

type rmaSuite struct {
	suite.Suite
	testsuite.WorkflowTestSuite
	env              *testsuite.TestWorkflowEnvironment
	searchAttributes map[string]any
	// applied are the store writes, in order; moved the stock movements.
	applied  []activities.RMAEvent
	moved    []activities.RMAMovement
	notices  []activities.NotifyInput
	noticeAt []time.Time
	// stock answers a movement (nil: applied, as movement 100+n).
	stock func(activities.RMAMovement) (activities.RMAMoved, error)
	// last is the RMA as queried just before the test cancelled it.
	last complaint.RMA
}

func TestRmaWorkflow(t *testing.T) { suite.Run(t, new(rmaSuite)) }

var rmaStart = time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)

func (s *rmaSuite) SetupTest() {
	s.SetLogger(log.NewStructuredLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	s.env = s.NewTestWorkflowEnvironment()
	s.env.SetStartTime(rmaStart)
	s.applied, s.moved, s.notices, s.noticeAt, s.stock, s.last = nil, nil, nil, nil, nil, complaint.RMA{}
	s.searchAttributes = map[string]any{}
	s.env.RegisterActivity(&activities.Activities{})
	s.env.RegisterWorkflow(workflows.StockAlertWorkflow)
	s.env.OnUpsertTypedSearchAttributes(mock.Anything).Run(func(args mock.Arguments) {
		for key, value := range args.Get(0).(temporal.SearchAttributes).GetUntypedValues() {
			s.searchAttributes[key.GetName()] = value
		}
	}).Return(nil)
	s.env.OnActivity(mocked.RegisterRMA, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RMAEvent) (activities.RMANumber, error) {
			s.applied = append(s.applied, in)
			return activities.RMANumber{Number: "RMA-2026-000007", Serial: 7}, nil
		})
	s.env.OnActivity(mocked.ApplyRMAEvent, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RMAEvent) error {
			s.applied = append(s.applied, cloneRMAEvent(in))
			return nil
		})
	s.env.OnActivity(mocked.MoveRMAStock, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.RMAMovement) (activities.RMAMoved, error) {
			if s.stock != nil {
				if out, err := s.stock(in); err != nil || out.MovementID != 0 {
					return out, err
				}
			}
			s.moved = append(s.moved, in)
			return activities.RMAMoved{MovementID: int64(100 + len(s.moved)), Name: "Seal kit", OnHand: 5}, nil
		})
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			s.notices = append(s.notices, in)
			s.noticeAt = append(s.noticeAt, s.env.Now().UTC())
			return true, nil
		})
	s.env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(nil)
}

func cloneRMAEvent(in activities.RMAEvent) activities.RMAEvent {
	data, err := json.Marshal(in)
	if err != nil {
		panic(err)
	}
	var out activities.RMAEvent
	if err := json.Unmarshal(data, &out); err != nil {
		panic(err)
	}
	return out
}

func rmaInput() workflows.RMAInput {
	return workflows.RMAInput{ID: "r1", RequestedBy: branchDesk, Body: complaint.RMARequestBody{
		Kind: complaint.RMAKindExchange, CustomerID: "C-1001", BranchOffice: "Ningbo", PartNumber: "P-778",
		Serials: []string{"S-1", "S-2"}, Quantity: 2, Reason: "seals leak", ComplaintID: "c-1", Warehouse: "main"}}
}

// executeRMA starts the workflow as the API does: under rma-<id>, signed.
func (s *rmaSuite) executeRMA(in workflows.RMAInput) {
	wid := complaint.RMAWorkflowID(in.ID)
	s.env.SetStartWorkflowOptions(startOptions(wid))
	in, err := in.Signed(testKeys, wid)
	s.Require().NoError(err)
	s.env.ExecuteWorkflow(workflows.RmaWorkflow, in)
}

type rmaOutcome struct {
	step     step
	accepted bool
	rejected error
	failed   error
	value    complaint.RMA
	event    *complaint.Event
	before   complaint.RMA
}

// rmaPlay runs an RMA: each step at its offset from the start; the test
// cancels the workflow at end if it has not completed by then.
func (s *rmaSuite) rmaPlay(in workflows.RMAInput, end time.Duration, steps map[time.Duration]step) map[time.Duration]*rmaOutcome {
	outs := map[time.Duration]*rmaOutcome{}
	for at, st := range steps {
		out := &rmaOutcome{step: st}
		outs[at] = out
		s.env.RegisterDelayedCallback(func() {
			out.before = s.query()
			id := fmt.Sprintf("%s-%d", st.name, at)
			s.env.UpdateWorkflow(st.name, id, &testsuite.TestUpdateCallback{
				OnAccept: func() { out.accepted = true },
				OnReject: func(err error) { out.rejected = err },
				OnComplete: func(v any, err error) {
					if err != nil {
						out.failed = err
						return
					}
					r := v.(workflows.RMAStepResult)
					out.value, out.event = r.RMA, r.Event
				},
			}, signed(st, id))
		}, at)
	}
	s.env.RegisterDelayedCallback(func() {
		s.last = s.query()
		s.env.CancelWorkflow()
	}, end)
	s.executeRMA(in)
	return outs
}

func (s *rmaSuite) query() complaint.RMA {
	v, err := s.env.QueryWorkflow(workflows.QueryRMA.Name)
	s.Require().NoError(err)
	var r complaint.RMA
	s.Require().NoError(v.Get(&r))
	return r
}

func (s *rmaSuite) final() complaint.RMA {
	s.Require().True(s.env.IsWorkflowCompleted())
	var r complaint.RMA
	if err := s.env.GetWorkflowResult(&r); err != nil {
		return s.last
	}
	return r
}

func (s *rmaSuite) ok(out *rmaOutcome) complaint.RMA {
	s.T().Helper()
	s.Require().NoError(out.rejected, "step %s refused", out.step.name)
	s.Require().NoError(out.failed, "step %s failed", out.step.name)
	s.Require().True(out.accepted)
	return out.value
}

func (s *rmaSuite) appError(err error, errType string) *temporal.ApplicationError {
	s.T().Helper()
	var appErr *temporal.ApplicationError
	s.Require().True(errors.As(err, &appErr), "not an application error: %v", err)
	s.Require().Equal(errType, appErr.Type(), appErr.Error())
	return appErr
}

func (s *rmaSuite) kinds() []string {
	var out []string
	for _, a := range s.applied {
		out = append(out, a.Event.Kind)
	}
	return out
}

func approveRMA() step {
	return req(workflows.UpdateRMAApprove.Name, rmaApprover, complaint.RMANoteBody{Note: "ok"})
}
func receiveRMA() step {
	return req(workflows.UpdateRMAReceive.Name, rmaDesk, complaint.RMAReceiveBody{Quantity: 2})
}
func inspectRMA() step {
	return req(workflows.UpdateRMAInspect.Name, rmaInspector, complaint.RMAInspectBody{
		Result: complaint.InspectionDefectConfirmed, Note: "seal torn"})
}
func completeRMA(disposition, warehouse string) step {
	return req(workflows.UpdateRMAComplete.Name, rmaDesk, complaint.RMACompleteBody{Disposition: disposition,
		Warehouse: warehouse})
}

func (s *rmaSuite) TestARequestIsRecordedWithItsNumberAndSearchAttributes() {
	var got complaint.RMA
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(workflows.UpdateRMARegistration.Name, "reg", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { s.Fail("rejected", err.Error()) },
			OnComplete: func(v any, err error) {
				s.Require().NoError(err)
				got = v.(complaint.RMA)
			},
		})
	}, 0)
	s.env.RegisterDelayedCallback(func() { s.env.CancelWorkflow() }, time.Hour)
	s.executeRMA(rmaInput())

	s.Equal("RMA-2026-000007", got.Number)
	s.Equal(complaint.RMARequested, got.Stage)
	s.Equal([]string{"approve", "reject"}, got.AllowedSteps)
	s.Equal(branchDesk, got.RequestedBy)
	s.Require().Len(s.applied, 1)
	first := s.applied[0]
	s.EqualValues(1, first.Event.Seq)
	s.Equal(complaint.EventRMARequested, first.Event.Kind)
	s.JSONEq(`{"kind":"exchange","customer_id":"C-1001","branch_office":"Ningbo","part_number":"P-778",
		"serials":["S-1","S-2"],"quantity":2,"reason":"seals leak","complaint_id":"c-1","warehouse":"main"}`,
		string(first.Event.Payload))
	s.Equal("requested", s.searchAttributes["RmaStage"])
	s.Equal([]string{"Ningbo"}, s.searchAttributes["BranchOffice"])
}

// TestAnExchangeEndToEnd: approve, receive (stock in), inspect, complete
// with a replacement (stock out); each step is in the store before it
// answers, and the workflow ends with the RMA.
func (s *rmaSuite) TestAnExchangeEndToEnd() {
	outs := s.rmaPlay(rmaInput(), 24*time.Hour, map[time.Duration]step{
		time.Minute:     approveRMA(),
		2 * time.Minute: receiveRMA(),
		3 * time.Minute: inspectRMA(),
		4 * time.Minute: completeRMA(complaint.DispositionReplace, "east"),
	})
	approved := s.ok(outs[time.Minute])
	s.Equal(complaint.RMAApproved, approved.Stage)
	s.Equal(rmaStart.Add(time.Minute+72*time.Hour), *approved.ReceiptDueAt)
	received := s.ok(outs[2*time.Minute])
	s.Equal(complaint.RMAReceived, received.Stage)
	s.EqualValues(101, received.Receipt.MovementID)
	s.Equal("main", received.Receipt.Warehouse, "the RMA's warehouse by default")
	s.ok(outs[3*time.Minute])
	done := s.ok(outs[4*time.Minute])
	s.Equal(complaint.RMACompleted, done.Stage)
	s.Empty(done.AllowedSteps)
	s.EqualValues(102, done.Completion.MovementID)
	s.EqualValues(5, outs[4*time.Minute].event.Seq)
	s.Equal("complete-240000000000", outs[4*time.Minute].event.UpdateID)

	s.Equal([]string{"rma_requested", "rma_approved", "rma_received", "rma_inspected", "rma_completed"}, s.kinds())
	for i, a := range s.applied {
		s.EqualValues(i+1, a.Event.Seq)
		if i > 0 { // the registration's number is the store's
			s.EqualValues(i+1, a.RMA.Version)
		}
	}
	s.Require().Len(s.moved, 2)
	s.Equal(activities.RMAMovement{RMAID: "r1", Step: "receive", Actor: rmaDesk, At: rmaStart.Add(2 * time.Minute),
		Body: complaint.MovementBody{PartNumber: "P-778", Warehouse: "main", Kind: "receive", Quantity: 2,
			Reference: &complaint.MovementReference{Kind: "rma", ID: "r1"}, Note: "RMA-2026-000007 received"}},
		s.moved[0])
	s.Equal(complaint.MovementBody{PartNumber: "P-778", Warehouse: "east", Kind: "issue", Quantity: 2,
		Reference: &complaint.MovementReference{Kind: "rma", ID: "r1"}, Note: "RMA-2026-000007 replacement"},
		s.moved[1].Body)
	s.Equal("complete", s.moved[1].Step)

	final := s.final()
	s.NoError(s.env.GetWorkflowError(), "the workflow completes with the RMA")
	s.Equal(complaint.RMACompleted, final.Stage)
	s.Equal("completed", s.searchAttributes["RmaStage"])
	s.Empty(s.notices, "the goods came in time: no reminder")
}

func (s *rmaSuite) TestARejectedRMAEndsTheWorkflow() {
	outs := s.rmaPlay(rmaInput(), 24*time.Hour, map[time.Duration]step{
		time.Minute: req(workflows.UpdateRMAReject.Name, rmaApprover, complaint.RMARejectBody{Reason: "too late"}),
	})
	s.Equal(complaint.RMARejected, s.ok(outs[time.Minute]).Stage)
	s.NoError(s.env.GetWorkflowError())
	s.Equal(complaint.RMARejected, s.final().Stage)
	s.Equal("rejected", s.searchAttributes["RmaStage"])
	s.Equal([]string{"rma_requested", "rma_rejected"}, s.kinds())
}

// TestRefusedStepsChangeNothing: the wrong stage (409 with what it takes),
// the wrong department (403), a bad body (422 naming the field) and an
// actor the API did not sign are refused by the validator.
func (s *rmaSuite) TestRefusedStepsChangeNothing() {
	outs := s.rmaPlay(rmaInput(), time.Hour, map[time.Duration]step{
		time.Minute:     receiveRMA(), // not approved yet
		2 * time.Minute: req(workflows.UpdateRMAApprove.Name, rmaDesk, complaint.RMANoteBody{}),
		3 * time.Minute: req(workflows.UpdateRMAReject.Name, rmaApprover, complaint.RMARejectBody{}),
		4 * time.Minute: approveRMA(),
		5 * time.Minute: req(workflows.UpdateRMAReceive.Name, rmaDesk, complaint.RMAReceiveBody{Quantity: 3}),
		6 * time.Minute: req(workflows.UpdateRMAReceive.Name, rmaInspector, complaint.RMAReceiveBody{Quantity: 1}),
	})
	wrong := s.appError(outs[time.Minute].rejected, workflows.ErrTypeWrongStage)
	var conflict complaint.StageConflict
	s.Require().NoError(wrong.Details(&conflict))
	s.Equal(complaint.Stage("requested"), conflict.Stage)
	s.Equal([]string{"approve", "reject"}, conflict.AllowedSteps)
	s.appError(outs[2*time.Minute].rejected, workflows.ErrTypeForbidden)
	invalid := s.appError(outs[3*time.Minute].rejected, workflows.ErrTypeInvalid)
	var problems complaint.FieldProblems
	s.Require().NoError(invalid.Details(&problems))
	s.Equal(map[string]string{"reason": "is required"}, problems.Fields)
	s.ok(outs[4*time.Minute])
	invalid = s.appError(outs[5*time.Minute].rejected, workflows.ErrTypeInvalid)
	s.Require().NoError(invalid.Details(&problems))
	s.Equal(map[string]string{"quantity": "must be at most 2, the quantity of the RMA"}, problems.Fields)
	s.appError(outs[6*time.Minute].rejected, workflows.ErrTypeForbidden)
	for _, at := range []time.Duration{time.Minute, 2 * time.Minute, 3 * time.Minute, 5 * time.Minute, 6 * time.Minute} {
		s.False(outs[at].accepted)
	}
	s.Equal([]string{"rma_requested", "rma_approved"}, s.kinds())
	s.Empty(s.moved)
	s.Equal(complaint.RMAApproved, s.last.Stage)
}

func (s *rmaSuite) TestAnUnsignedStepIsRefused() {
	st := approveRMA()
	var rejected error
	s.env.RegisterDelayedCallback(func() {
		s.env.UpdateWorkflow(st.name, "forged", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { rejected = err }, OnComplete: func(any, error) {},
		}, signedWith(otherKeys, st, "forged"))
	}, time.Minute)
	s.env.RegisterDelayedCallback(func() { s.last = s.query(); s.env.CancelWorkflow() }, time.Hour)
	s.executeRMA(rmaInput())
	s.appError(rejected, workflows.ErrTypeForbidden)
	s.Equal(complaint.RMARequested, s.last.Stage)
}

func (s *rmaSuite) TestAnUnsignedRequestFailsTheWorkflowBeforeTheStore() {
	wid := complaint.RMAWorkflowID("r1")
	s.env.SetStartWorkflowOptions(startOptions(wid))
	in, err := rmaInput().Signed(otherKeys, wid)
	s.Require().NoError(err)
	s.env.ExecuteWorkflow(workflows.RmaWorkflow, in)
	s.appError(s.env.GetWorkflowError(), workflows.ErrTypeForbidden)
	s.Empty(s.applied)
}

// TestAShortageRefusesTheReplacementAndChangesNothing: the store refuses the
// issue; the step fails with a conflict naming the shortage, the RMA stays
// inspected, and another disposition completes it.
func (s *rmaSuite) TestAShortageRefusesTheReplacementAndChangesNothing() {
	s.stock = func(in activities.RMAMovement) (activities.RMAMoved, error) {
		if in.Body.Kind == complaint.MovementIssue {
			return activities.RMAMoved{}, refusedByStock(store.StockRefusal{Conflict: true,
				Message: "not enough stock of P-778 in warehouse main: issue of 2: only 1 available"})
		}
		if in.Body.Warehouse == "nowhere" {
			return activities.RMAMoved{}, refusedByStock(store.StockRefusal{Field: "part_number",
				Message: "is not kept in warehouse nowhere"})
		}
		return activities.RMAMoved{}, nil
	}
	outs := s.rmaPlay(rmaInput(), 24*time.Hour, map[time.Duration]step{
		time.Minute: approveRMA(),
		2 * time.Minute: req(workflows.UpdateRMAReceive.Name, rmaDesk, complaint.RMAReceiveBody{Quantity: 2,
			Warehouse: "nowhere"}),
		3 * time.Minute: receiveRMA(),
		4 * time.Minute: inspectRMA(),
		5 * time.Minute: completeRMA(complaint.DispositionReplace, "main"),
		6 * time.Minute: completeRMA(complaint.DispositionRefund, ""),
	})
	unknown := s.appError(outs[2*time.Minute].failed, workflows.ErrTypeInvalid)
	var problems complaint.FieldProblems
	s.Require().NoError(unknown.Details(&problems))
	s.Equal(map[string]string{"part_number": "is not kept in warehouse nowhere"}, problems.Fields)
	s.Equal(complaint.RMAReceived, s.ok(outs[3*time.Minute]).Stage, "the refused receipt left it approved")

	short := s.appError(outs[5*time.Minute].failed, workflows.ErrTypeInvalid)
	s.Contains(short.Message(), "not enough stock of P-778 in warehouse main: issue of 2: only 1 available")
	s.False(short.HasDetails(), "a shortage is a conflict, no field's fault")
	s.Equal(complaint.RMAInspected, outs[6*time.Minute].before.Stage, "the refused replacement changed nothing")
	s.Nil(outs[6*time.Minute].before.Completion)
	s.Equal(complaint.DispositionRefund, s.ok(outs[6*time.Minute]).Completion.Disposition)
	s.Equal([]string{"rma_requested", "rma_approved", "rma_received", "rma_inspected", "rma_completed"}, s.kinds())
	s.Len(s.moved, 1, "only the receipt moved stock")
}

// TestTheReceiptReminderFallsDueThreeDaysAfterApproval: at that very
// instant after-sales and the requesting branch office are told, once, and
// the goods are still received after it.
func (s *rmaSuite) TestTheReceiptReminderFallsDueThreeDaysAfterApproval() {
	approvedAt := time.Minute
	due := approvedAt + 72*time.Hour
	outs := s.rmaPlay(rmaInput(), 10*24*time.Hour, map[time.Duration]step{
		approvedAt:                 approveRMA(),
		due - time.Second:          req(workflows.UpdateRMAInspect.Name, rmaInspector, complaint.RMAInspectBody{}), // a probe
		96 * time.Hour:             receiveRMA(),
		96*time.Hour + time.Minute: inspectRMA(),
		120 * time.Hour:            completeRMA(complaint.DispositionRepair, ""),
	})
	s.Require().Len(s.notices, 1)
	s.Equal(rmaStart.Add(approvedAt+72*time.Hour), s.noticeAt[0], "at the due instant")
	s.Equal(1, len(s.noticeAt))
	n := s.notices[0]
	s.Equal(complaint.NotificationRMAReceipt, n.Kind)
	s.Equal(7, n.Level, "keyed by the RMA's serial")
	s.Equal("RMA-2026-000007", n.CaseNumber)
	s.Equal(rmaStart.Add(approvedAt+72*time.Hour), n.DueAt)
	s.Equal([]activities.Recipient{{Role: "agent", Department: "after_sales"}, {UserID: "b1"}}, n.Recipients)
	s.Equal("P-778", n.Facts["part"])
	s.False(outs[due-time.Second].before.ReceiptOverdue, "not a moment before")

	s.Equal(complaint.RMAReceived, s.ok(outs[96*time.Hour]).Stage, "late goods are still received")
	s.True(outs[96*time.Hour].value.ReceiptOverdue)
	s.Equal([]string{"rma_requested", "rma_approved", "rma_receipt_overdue", "rma_received", "rma_inspected",
		"rma_completed"}, s.kinds())
	overdue := s.applied[2]
	s.Equal("caseflow", overdue.Event.Actor.UserID)
	s.Equal(rmaStart.Add(approvedAt+72*time.Hour), overdue.Event.OccurredAt)
	s.NoError(s.env.GetWorkflowError())
	s.Equal(complaint.RMACompleted, s.final().Stage)
}

func (s *rmaSuite) TestNoReminderWhenTheGoodsComeInTime() {
	s.rmaPlay(rmaInput(), 10*24*time.Hour, map[time.Duration]step{
		time.Minute:                    approveRMA(),
		72*time.Hour + time.Minute - 1: receiveRMA(),
	})
	s.Empty(s.notices)
	s.Equal([]string{"rma_requested", "rma_approved", "rma_received"}, s.kinds())
}

// TestAReplacementBelowTheReorderLevelStartsItsAlert: as a movement through
// the stock API does, once per crossing.
func (s *rmaSuite) TestAReplacementBelowTheReorderLevelStartsItsAlert() {
	s.stock = func(in activities.RMAMovement) (activities.RMAMoved, error) {
		if in.Body.Kind == complaint.MovementIssue {
			return activities.RMAMoved{MovementID: 9, AlertID: 3, Name: "Seal kit", OnHand: 1, ReorderLevel: 2}, nil
		}
		return activities.RMAMoved{}, nil
	}
	var alerted []workflows.StockAlertInput
	s.env.OnWorkflow(workflows.StockAlertWorkflow, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in workflows.StockAlertInput) error {
			alerted = append(alerted, in)
			return nil
		})
	s.rmaPlay(rmaInput(), 24*time.Hour, map[time.Duration]step{
		time.Minute:     approveRMA(),
		2 * time.Minute: receiveRMA(),
		3 * time.Minute: inspectRMA(),
		4 * time.Minute: completeRMA(complaint.DispositionReplace, "main"),
	})
	s.NoError(s.env.GetWorkflowError())
	s.Require().Len(alerted, 1)
	s.Equal(workflows.StockAlertInput{AlertID: 3, PartNumber: "P-778", Warehouse: "main", Name: "Seal kit", OnHand: 1,
		ReorderLevel: 2, At: rmaStart.Add(4 * time.Minute)}, alerted[0])
}
