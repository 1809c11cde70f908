package rma_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/rma"
)

var (
	now    = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	branch = complaint.Actor{UserID: "b1", Name: "Ningbo desk", Department: complaint.DepartmentBranchOffice,
		Roles: []string{complaint.RoleAgent}}
	desk = complaint.Actor{UserID: "as1", Name: "Zhang", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleAgent}}
	approver = complaint.Actor{UserID: "ap1", Name: "Head of sales", Department: complaint.DepartmentSales,
		Roles: []string{complaint.RoleApprover}}
	inspector = complaint.Actor{UserID: "q1", Name: "Zhou", Department: complaint.DepartmentQuality,
		Roles: []string{complaint.RoleEngineer}}
	production = complaint.Actor{UserID: "p1", Name: "Chen", Department: complaint.DepartmentProduction,
		Roles: []string{complaint.RoleAgent}}
)

func request() complaint.RMARequestBody {
	return complaint.RMARequestBody{Kind: complaint.RMAKindExchange, CustomerID: "C-1001", BranchOffice: "Ningbo",
		PartNumber: "P-778", Serials: []string{"S-1", "S-2"}, Quantity: 2, Reason: "seals leak"}
}

func requested(t *testing.T) *complaint.RMA {
	t.Helper()
	r, err := rma.Request("r1", branch, request(), now)
	require.NoError(t, err)
	r.Number = "RMA-2026-000001"
	return &r
}

// take admits and applies a step, as the workflow does.
func take[B any](t *testing.T, r *complaint.RMA, st rma.Step[B], a complaint.Actor, b B) string {
	t.Helper()
	require.NoError(t, st.Admit(r, a, b))
	return st.Take(r, a, b, now)
}

func refusal(t *testing.T, err error) *rules.Refusal {
	t.Helper()
	var r *rules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	return r
}

// at walks a new RMA to stage.
func at(t *testing.T, stage string) *complaint.RMA {
	r := requested(t)
	if stage == complaint.RMARequested {
		return r
	}
	if stage == complaint.RMARejected {
		take(t, r, rma.Reject, approver, complaint.RMARejectBody{Reason: "out of the return period"})
		return r
	}
	take(t, r, rma.Approve, approver, complaint.RMANoteBody{})
	if stage == complaint.RMAApproved {
		return r
	}
	take(t, r, rma.Receive, desk, complaint.RMAReceiveBody{Quantity: 2, Serials: []string{"S-1", "S-2"}})
	if stage == complaint.RMAReceived {
		return r
	}
	take(t, r, rma.Inspect, inspector, complaint.RMAInspectBody{Result: complaint.InspectionDefectConfirmed,
		Note: "seal torn"})
	if stage == complaint.RMAInspected {
		return r
	}
	take(t, r, rma.Complete, desk, complaint.RMACompleteBody{Disposition: complaint.DispositionScrap})
	return r
}

func TestARequestedRMAWaitsForAnApprover(t *testing.T) {
	r := requested(t)
	require.Equal(t, complaint.RMARequested, r.Stage)
	require.Equal(t, []string{"approve", "reject"}, r.AllowedSteps)
	require.Equal(t, complaint.DefaultWarehouse, r.Warehouse, "goods are received into the main warehouse by default")
	require.Equal(t, branch, r.RequestedBy)
}

func TestWhoMayRequestAnRMA(t *testing.T) {
	for _, tc := range []struct {
		who complaint.Actor
		may bool
	}{
		{branch, true},
		{desk, true},
		{complaint.Actor{Department: complaint.DepartmentBranchOffice, Roles: []string{complaint.RoleSupervisor}}, true},
		{complaint.Actor{Department: complaint.DepartmentBranchOffice, Roles: []string{complaint.RoleEngineer}}, false},
		{approver, false},
		{production, false},
	} {
		_, err := rma.Request("r", tc.who, request(), now)
		if tc.may {
			require.NoError(t, err, "%v", tc.who)
			continue
		}
		require.Equal(t, rules.Forbidden, refusal(t, err).Kind, "%v", tc.who)
	}
}

func TestARequestNeedsItsBranchOfficeAndNoMoreSerialsThanUnits(t *testing.T) {
	b := request()
	b.BranchOffice = ""
	_, err := rma.Request("r", desk, b, now)
	require.Equal(t, map[string]string{"branch_office": "is required when the customer has none in the archive"},
		refusal(t, err).Fields)

	b = request()
	b.Quantity = 1
	_, err = rma.Request("r", desk, b, now)
	require.Equal(t, map[string]string{"serials": "must not have more items than quantity"}, refusal(t, err).Fields)

	b = request()
	b.Quantity = -1
	_, err = rma.Request("r", desk, b, now)
	require.Equal(t, map[string]string{"quantity": "must be at least 1"}, refusal(t, err).Fields)
}

// TestStepsByStage is the process: what each stage takes, and what it
// refuses with the stage and the steps it takes.
func TestStepsByStage(t *testing.T) {
	allowed := map[string][]string{
		complaint.RMARequested: {"approve", "reject"},
		complaint.RMAApproved:  {"receive"},
		complaint.RMARejected:  {},
		complaint.RMAReceived:  {"inspect"},
		complaint.RMAInspected: {"complete"},
		complaint.RMACompleted: {},
	}
	for _, stage := range complaint.RMAStages() {
		r := at(t, stage)
		require.Equal(t, stage, r.Stage)
		require.Equal(t, allowed[stage], r.AllowedSteps, stage)
		require.Equal(t, allowed[stage], rma.AllowedSteps(*r), stage)
	}
}

func TestARejectedRMATakesNoReceive(t *testing.T) {
	r := at(t, complaint.RMARejected)
	got := refusal(t, rma.Receive.Admit(r, desk, complaint.RMAReceiveBody{Quantity: 1}))
	require.Equal(t, rules.WrongStage, got.Kind)
	require.Equal(t, complaint.Stage(complaint.RMARejected), got.Conflict.Stage)
	require.Empty(t, got.Conflict.AllowedSteps)
	require.Equal(t, "out of the return period", r.Rejection.Note)
}

func TestAnRMAIsReceivedOnce(t *testing.T) {
	r := at(t, complaint.RMAReceived)
	got := refusal(t, rma.Receive.Admit(r, desk, complaint.RMAReceiveBody{Quantity: 1}))
	require.Equal(t, rules.WrongStage, got.Kind)
	require.Equal(t, []string{"inspect"}, got.Conflict.AllowedSteps)
}

func TestAnUnapprovedRMATakesNoReceive(t *testing.T) {
	got := refusal(t, rma.Receive.Admit(requested(t), desk, complaint.RMAReceiveBody{Quantity: 1}))
	require.Equal(t, rules.WrongStage, got.Kind)
	require.Equal(t, []string{"approve", "reject"}, got.Conflict.AllowedSteps)
}

// TestWhoTakesEachStep: approvers of after-sales or sales decide, after-sales
// receives and completes, quality inspects.
func TestWhoTakesEachStep(t *testing.T) {
	salesAgent := complaint.Actor{Department: complaint.DepartmentSales, Roles: []string{complaint.RoleAgent}}
	afterSalesApprover := complaint.Actor{Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleApprover}}
	qualityApprover := complaint.Actor{Department: complaint.DepartmentQuality, Roles: []string{complaint.RoleApprover}}
	cases := []struct {
		stage string
		admit func(*complaint.RMA, complaint.Actor) error
		may   []complaint.Actor
		mayNt []complaint.Actor
	}{
		{complaint.RMARequested, func(r *complaint.RMA, a complaint.Actor) error {
			return rma.Approve.Admit(r, a, complaint.RMANoteBody{})
		}, []complaint.Actor{approver, afterSalesApprover}, []complaint.Actor{salesAgent, qualityApprover, desk, branch}},
		{complaint.RMARequested, func(r *complaint.RMA, a complaint.Actor) error {
			return rma.Reject.Admit(r, a, complaint.RMARejectBody{Reason: "no"})
		}, []complaint.Actor{approver, afterSalesApprover}, []complaint.Actor{salesAgent, desk}},
		{complaint.RMAApproved, func(r *complaint.RMA, a complaint.Actor) error {
			return rma.Receive.Admit(r, a, complaint.RMAReceiveBody{Quantity: 1})
		}, []complaint.Actor{desk}, []complaint.Actor{branch, inspector, afterSalesApprover}},
		{complaint.RMAReceived, func(r *complaint.RMA, a complaint.Actor) error {
			return rma.Inspect.Admit(r, a, complaint.RMAInspectBody{Result: complaint.InspectionNoFaultFound, Note: "ok"})
		}, []complaint.Actor{inspector}, []complaint.Actor{desk, production, qualityApprover}},
		{complaint.RMAInspected, func(r *complaint.RMA, a complaint.Actor) error {
			return rma.Complete.Admit(r, a, complaint.RMACompleteBody{Disposition: complaint.DispositionRefund})
		}, []complaint.Actor{desk}, []complaint.Actor{inspector, branch, salesAgent}},
	}
	for _, tc := range cases {
		for _, a := range tc.may {
			require.NoError(t, tc.admit(at(t, tc.stage), a), "%s: %v", tc.stage, a)
		}
		for _, a := range tc.mayNt {
			require.Equal(t, rules.Forbidden, refusal(t, tc.admit(at(t, tc.stage), a)).Kind, "%s: %v", tc.stage, a)
		}
	}
}

func TestApprovalStartsTheReceiptClock(t *testing.T) {
	r := at(t, complaint.RMAApproved)
	require.Equal(t, now.Add(72*time.Hour), *r.ReceiptDueAt, "the goods are due three days after approval")
	due, owed := rma.ReminderDue(*r)
	require.True(t, owed)
	require.Equal(t, now.Add(72*time.Hour), due)

	_, ok := rma.MarkOverdue(r, due.Add(-time.Nanosecond))
	require.False(t, ok, "not before the due time")
	kind, ok := rma.MarkOverdue(r, due)
	require.True(t, ok)
	require.Equal(t, complaint.EventRMAReceiptMissed, kind)
	require.True(t, r.ReceiptOverdue)
	_, owed = rma.ReminderDue(*r)
	require.False(t, owed, "one reminder")
	require.Equal(t, []string{"receive"}, r.AllowedSteps, "late goods are still received")
}

func TestNoReminderOnceTheGoodsAreIn(t *testing.T) {
	for _, stage := range []string{complaint.RMARequested, complaint.RMARejected, complaint.RMAReceived,
		complaint.RMAInspected, complaint.RMACompleted} {
		_, owed := rma.ReminderDue(*at(t, stage))
		require.False(t, owed, stage)
	}
}

func TestTheReminderReachesAfterSalesAndTheRequestingBranchOffice(t *testing.T) {
	require.Equal(t, []rules.Recipient{{Role: "agent", Department: "after_sales"}, {UserID: "b1"}},
		rma.ReminderRecipients(*requested(t)))
	r, err := rma.Request("r2", desk, request(), now)
	require.NoError(t, err)
	require.Equal(t, []rules.Recipient{{Role: "agent", Department: "after_sales"}}, rma.ReminderRecipients(r),
		"after-sales asked itself")
}

func TestAReceiptTakesNoMoreThanTheRMAsUnitsAndOnlyItsSerials(t *testing.T) {
	r := at(t, complaint.RMAApproved)
	got := refusal(t, rma.Receive.Admit(r, desk, complaint.RMAReceiveBody{Quantity: 3}))
	require.Equal(t, rules.Invalid, got.Kind)
	require.Equal(t, map[string]string{"quantity": "must be at most 2, the quantity of the RMA"}, got.Fields)
	got = refusal(t, rma.Receive.Admit(r, desk, complaint.RMAReceiveBody{Quantity: 1, Serials: []string{"S-9"}}))
	require.Equal(t, map[string]string{"serials[0]": "is not a serial of the RMA"}, got.Fields)
	got = refusal(t, rma.Receive.Admit(r, desk, complaint.RMAReceiveBody{Quantity: 0}))
	require.Equal(t, map[string]string{"quantity": "must be at least 1"}, got.Fields)

	b := complaint.RMAReceiveBody{Quantity: 1, Serials: []string{"S-2"}, Warehouse: "east"}
	require.Equal(t, complaint.EventRMAReceived, take(t, r, rma.Receive, desk, b))
	require.Equal(t, "east", r.Receipt.Warehouse)
	m := rma.ReceiptMovement(*r, b)
	require.Equal(t, complaint.MovementBody{PartNumber: "P-778", Warehouse: "east", Kind: "receive", Quantity: 1,
		Reference: &complaint.MovementReference{Kind: "rma", ID: "r1"}, Note: "RMA-2026-000001 received"}, m)
}

func TestAReplacementIssuesWhatWasReceived(t *testing.T) {
	r := at(t, complaint.RMAInspected)
	got := refusal(t, rma.Complete.Admit(r, desk, complaint.RMACompleteBody{Disposition: complaint.DispositionReplace}))
	require.Equal(t, map[string]string{"warehouse": "is required when disposition is replace"}, got.Fields)

	b := complaint.RMACompleteBody{Disposition: complaint.DispositionReplace, Warehouse: "main"}
	m, ok := rma.ReplacementMovement(*r, b)
	require.True(t, ok)
	require.Equal(t, complaint.MovementBody{PartNumber: "P-778", Warehouse: "main", Kind: "issue", Quantity: 2,
		Reference: &complaint.MovementReference{Kind: "rma", ID: "r1"}, Note: "RMA-2026-000001 replacement"}, m)
	require.Equal(t, complaint.EventRMACompleted, take(t, r, rma.Complete, desk, b))
	require.Equal(t, complaint.RMACompleted, r.Stage)
	require.Empty(t, r.AllowedSteps)

	_, ok = rma.ReplacementMovement(*r, complaint.RMACompleteBody{Disposition: complaint.DispositionRefund})
	require.False(t, ok, "a refund moves no stock")
}

func TestEveryStepHasItsGrants(t *testing.T) {
	for _, step := range append([]string{complaint.RMAStepRequest}, complaint.RMASteps()...) {
		require.NotEmpty(t, rma.Grants(step), step)
	}
	require.Empty(t, rma.Grants("nope"))
}
