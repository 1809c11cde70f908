package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// The follow-ups nobody asks for are planned by two Temporal Schedules
// (followup_schedules.go): every morning the calls after delivery, and on
// 2 January the year's surveys and key-customer visits. Each run asks the
// store what is owed and starts one follow-up per plan, by an id made from
// what it is about, so a run repeated (a catch-up, a manual trigger)
// starts nothing twice.

// Which plan a run makes.
const (
	PlanDaily  = "daily"
	PlanYearly = "yearly"
)

// PlanFollowupsInput is a planning run: which plan, and where a long
// yearly plan continues (after that customer) once it continued as new.
type PlanFollowupsInput struct {
	Plan  string    `json:"plan"`
	After string    `json:"after,omitempty"`
	At    time.Time `json:"at,omitempty"` // when the run began, kept across continue-as-new
}

// planPage is how many customers a yearly run plans per page, and
// planPagesPerRun how many pages before it continues as new (a run's
// history stays small however many customers there are).
const (
	planPage        = 200
	planPagesPerRun = 5
)

// PlanFollowupsWorkflow is what the follow-up schedules start: it opens the
// follow-ups the plan owes as children it abandons and ends once the
// server took each of them. It answers how many plans it met (started now
// or before).
func PlanFollowupsWorkflow(ctx workflow.Context, in PlanFollowupsInput) (int, error) {
	if in.At.IsZero() {
		in.At = workflow.Now(ctx)
	}
	var policy followup.Policy
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.FollowupPolicy).Get(ctx, &policy); err != nil {
		return 0, err
	}
	plan := acts.PlanYear
	switch in.Plan {
	case PlanYearly:
	case PlanDaily:
		plan = acts.PlanDeliveryCalls
	default:
		return 0, temporal.NewNonRetryableApplicationError("unknown plan "+in.Plan, ErrTypeInvalid, nil)
	}
	met := 0
	for range planPagesPerRun {
		var page activities.PlanPage
		req := activities.PlanRequest{Now: in.At, After: in.After, Limit: planPage}
		if err := workflow.ExecuteActivity(storeContext(ctx), plan, req).Get(ctx, &page); err != nil {
			return met, err
		}
		if err := startPlans(ctx, page.Plans, policy); err != nil {
			return met, err
		}
		met += len(page.Plans)
		if page.Next == "" {
			return met, nil
		}
		in.After = page.Next
	}
	return met, workflow.NewContinueAsNewError(ctx, PlanFollowupsWorkflow, in)
}

// startPlans starts a follow-up per plan and waits until the server took
// them all (or refused one as started before).
func startPlans(ctx workflow.Context, plans []followup.Plan, policy followup.Policy) error {
	pending := 0
	for _, p := range plans {
		startFollowup(ctx, FollowupInput{Plan: p, OpenedBy: plannerActor, BySystem: true, Policy: &policy}, &pending)
	}
	return workflow.Await(ctx, func() bool { return pending == 0 })
}

// plannerActor opens the follow-ups the plans owe.
var plannerActor = complaint.Actor{UserID: "caseflow", Name: "follow-up planner"}
