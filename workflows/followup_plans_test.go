package workflows_test

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// planFixture is an archive of four customers: C-KEY (a key customer of
// the Wuxi branch, equipment in service), C-ACT (equipment under repair),
// C-OLD (its only equipment scrapped: not active), C-NEW (equipment
// delivered on 23 November 2026, seven days before the daily run).
func planFixture(t *testing.T) *store.Store {
	t.Helper()
	ctx := t.Context()
	s, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(ctx))
	for _, c := range []store.Customer{
		{ID: "C-KEY", CustomerBody: archive.CustomerBody{Name: "Key Co", KeyCustomer: true, BranchOffice: "Wuxi"}},
		{ID: "C-ACT", CustomerBody: archive.CustomerBody{Name: "Active Co"}},
		{ID: "C-OLD", CustomerBody: archive.CustomerBody{Name: "Old Co"}},
		{ID: "C-NEW", CustomerBody: archive.CustomerBody{Name: "New Co"}},
	} {
		_, err := s.PutCustomer(ctx, c)
		require.NoError(t, err)
	}
	for _, e := range []store.Equipment{
		{Serial: "SN-KEY", EquipmentBody: archive.EquipmentBody{CustomerID: "C-KEY", Model: "P-1",
			DeliveredOn: "2024-03-01", Status: complaint.EquipmentInService}},
		{Serial: "SN-ACT", EquipmentBody: archive.EquipmentBody{CustomerID: "C-ACT", Model: "P-1",
			DeliveredOn: "2025-05-01", Status: complaint.EquipmentUnderRepair}},
		{Serial: "SN-OLD", EquipmentBody: archive.EquipmentBody{CustomerID: "C-OLD", Model: "P-1",
			DeliveredOn: "2019-05-01", Status: complaint.EquipmentScrapped}},
		{Serial: "SN-NEW", EquipmentBody: archive.EquipmentBody{CustomerID: "C-NEW", Model: "P-1",
			DeliveredOn: "2026-11-23", Status: complaint.EquipmentInService}},
	} {
		_, err := s.PutEquipment(ctx, e, false)
		require.NoError(t, err)
	}
	return s
}

// runPlan runs a planning run at start against the store and answers the
// follow-ups it started.
func runPlan(t *testing.T, s *store.Store, plan string, start time.Time) []workflows.FollowupInput {
	t.Helper()
	var ts testsuite.WorkflowTestSuite
	env := ts.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterActivity(&activities.Activities{Store: s, TimeZone: "Asia/Shanghai"})
	env.RegisterWorkflow(workflows.FollowupWorkflow)
	var started []workflows.FollowupInput
	env.OnWorkflow(workflows.FollowupWorkflow, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in workflows.FollowupInput) (complaint.Followup, error) {
			started = append(started, in)
			return complaint.Followup{}, nil
		})
	env.ExecuteWorkflow(workflows.PlanFollowupsWorkflow, workflows.PlanFollowupsInput{Plan: plan})
	require.True(t, env.IsWorkflowCompleted())
	require.NoError(t, env.GetWorkflowError())
	return started
}

func planIDs(in []workflows.FollowupInput) []string {
	out := []string{}
	for _, f := range in {
		out = append(out, f.Plan.ID)
	}
	slices.Sort(out)
	return out
}

// TestTheYearlyRunPlansSurveysAndVisits: on 2 January every active
// customer gets its survey and the key customer its visit; a second run
// plans the very same ids, which the server starts once.
func TestTheYearlyRunPlansSurveysAndVisits(t *testing.T) {
	s := planFixture(t)
	run := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC) // 08:00 in Shanghai
	first := runPlan(t, s, workflows.PlanYearly, run)
	require.Equal(t, []string{"survey-C-ACT-2027", "survey-C-KEY-2027", "survey-C-NEW-2027", "visit-C-KEY-2027"},
		planIDs(first))
	for _, in := range first {
		require.True(t, in.BySystem)
		require.NotNil(t, in.Policy, "the run hands its policy down")
		if in.Plan.ID == "visit-C-KEY-2027" {
			require.Equal(t, complaint.FollowupKeyCustomerVisit, in.Plan.Body.Kind)
			require.Equal(t, complaint.DepartmentBranchOffice, in.Plan.Body.OwnerDepartment)
			require.Equal(t, "Wuxi", in.Plan.Body.BranchOffice)
		}
	}
	require.Equal(t, planIDs(first), planIDs(runPlan(t, s, workflows.PlanYearly, run.Add(time.Hour))),
		"running it again plans nothing new")
}

// TestTheDailyRunPlansDeliveryCalls: at 07:00 on 30 November the
// equipment delivered on the 23rd is called; nothing else is.
func TestTheDailyRunPlansDeliveryCalls(t *testing.T) {
	s := planFixture(t)
	run := time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)
	first := runPlan(t, s, workflows.PlanDaily, run)
	require.Equal(t, []string{"delivery-SN-NEW"}, planIDs(first))
	require.Equal(t, time.Date(2026, 11, 29, 16, 0, 0, 0, time.UTC), first[0].Plan.AppearAt,
		"it appears at the start of 30 November in Shanghai")
	require.Equal(t, planIDs(first), planIDs(runPlan(t, s, workflows.PlanDaily, run)))
}
