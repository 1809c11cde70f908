package followup_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

func ids(plans []followup.Plan) []string {
	out := []string{}
	for _, p := range plans {
		out = append(out, p.ID)
	}
	return out
}

// TestDeliveryCalls: at 07:00 in Shanghai on 30 November the daily run
// opens the calls for equipment delivered on 23 November (seven days
// before) and catches up a week of missed days; it opens none for
// deliveries older than that, nor for one delivered yesterday.
func TestDeliveryCalls(t *testing.T) {
	run := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC) // 07:00 on 30 November in Shanghai
	p := followup.DefaultPolicy()
	from, to := followup.DeliveryWindow(run, shanghai, p)
	require.Equal(t, "2026-11-16", from)
	require.Equal(t, "2026-11-24", to, "up to and including 23 November")
	deliveries := []followup.Delivery{
		{Serial: "SN-A", CustomerID: "C-1", DeliveredOn: "2026-11-23", BranchOffice: "Wuxi"},
		{Serial: "SN-B", CustomerID: "C-2", DeliveredOn: "2026-11-16"},
		{Serial: "SN-C", CustomerID: "C-2", DeliveredOn: "2026-11-15"},
		{Serial: "SN-D", CustomerID: "C-3", DeliveredOn: "2026-11-29"},
		{Serial: "SN-E", CustomerID: "C-3", DeliveredOn: "not a date"},
	}
	plans := followup.DeliveryCalls(deliveries, run, shanghai, p)
	require.Equal(t, []string{"delivery-SN-A", "delivery-SN-B"}, ids(plans))
	a := plans[0]
	require.Equal(t, time.Date(2026, 11, 30, 0, 0, 0, 0, shanghai), a.AppearAt.In(shanghai),
		"it appears at the start of the seventh day")
	require.Equal(t, a.AppearAt.Add(p.CallWindow), a.Body.DueAt)
	require.Equal(t, complaint.FollowupDeliveryCall, a.Body.Kind)
	require.Equal(t, complaint.DepartmentBranchOffice, a.Body.OwnerDepartment, "the region's branch office calls")
	require.Equal(t, complaint.DepartmentAfterSales, plans[1].Body.OwnerDepartment)
	require.Equal(t, ids(plans), ids(followup.DeliveryCalls(deliveries, run, shanghai, p)),
		"planning twice plans the same ids")
}

// TestTheYearsPlans: every active customer gets the yearly survey; a key
// customer gets a visit unless one was done in the last twelve months.
func TestTheYearsPlans(t *testing.T) {
	run := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	customers := []followup.Customer{{ID: "C-1", KeyCustomer: true, BranchOffice: "Wuxi"}, {ID: "C-2"},
		{ID: "C-3", KeyCustomer: true}, {ID: "C-4", KeyCustomer: true}}
	visits := map[string]time.Time{
		"C-3": run.AddDate(0, -3, 0),  // visited in October: none owed
		"C-4": run.AddDate(-1, 0, -1), // visited more than a year ago: owed
	}
	plans := followup.YearPlans(2027, customers, visits, run, followup.DefaultPolicy())
	require.Equal(t, []string{"survey-C-1-2027", "visit-C-1-2027", "survey-C-2-2027", "survey-C-3-2027",
		"survey-C-4-2027", "visit-C-4-2027"}, ids(plans))
	require.Equal(t, complaint.FollowupKeyCustomerVisit, plans[1].Body.Kind)
	require.Equal(t, complaint.DepartmentBranchOffice, plans[1].Body.OwnerDepartment)
	require.Equal(t, run.Add(180*24*time.Hour), plans[1].Body.DueAt)
	require.Equal(t, run.Add(30*24*time.Hour), plans[0].Body.DueAt)
}

func TestPostCloseAndRecoveryCalls(t *testing.T) {
	closed := time.Date(2026, 11, 30, 2, 0, 0, 0, time.UTC)
	p := followup.DefaultPolicy()
	plan := followup.PostCloseCall(followup.ClosedCase{ComplaintID: "c-1", CustomerID: "C-1", Serial: "SN-1",
		ClosedAt: closed, Closing: 1}, p)
	require.Equal(t, "postclose-c-1-1", plan.ID)
	require.Equal(t, closed.Add(72*time.Hour), plan.AppearAt, "three days after the close")
	require.Equal(t, closed.Add(120*time.Hour), plan.Body.DueAt)
	require.Equal(t, "c-1", plan.Body.ComplaintID)

	f := complaint.Followup{ID: "postclose-c-1-1", CustomerID: "C-1", ComplaintID: "c-1"}
	rec := followup.RecoveryCall(f, closed, p)
	require.Equal(t, "recovery-postclose-c-1-1", rec.ID)
	require.Equal(t, f.ID, rec.SourceID)
	require.Equal(t, complaint.FollowupRecoveryCall, rec.Body.Kind)
	require.Equal(t, closed.Add(24*time.Hour), rec.Body.DueAt)
	require.NoError(t, p.Check())
	p.CallWindow = 0
	require.Error(t, p.Check())
}
