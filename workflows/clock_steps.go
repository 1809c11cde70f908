package workflows

import (
	"errors"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The updates of the service-level steps.
var (
	UpdateOnsite  = Update[OnsiteRequest, StepResult]{Name: complaint.StepOnsite}
	UpdatePause   = Update[PauseRequest, StepResult]{Name: complaint.StepPause}
	UpdateResume  = Update[ResumeRequest, StepResult]{Name: complaint.StepResume}
	UpdateInterim = Update[InterimRequest, StepResult]{Name: complaint.StepInterim}
)

// The argument of each service-level step update.
type (
	OnsiteRequest  = Step[complaint.OptionalNoteBody]
	PauseRequest   = Step[complaint.PauseBody]
	ResumeRequest  = Step[complaint.OptionalNoteBody]
	InterimRequest = Step[complaint.InterimBody]
)

// systemActor signs the timeline events the clocks record themselves.
var systemActor = complaint.Actor{UserID: "caseflow", Name: "service-level clock"}

func (w *complaintWorkflow) setClockStepHandlers(ctx workflow.Context) error {
	return errors.Join(
		setStep(ctx, w, UpdateOnsite, rules.Onsite),
		setStep(ctx, w, UpdatePause, rules.Pause),
		setStep(ctx, w, UpdateResume, rules.Resume),
		setStockStep(ctx, w, UpdateInterim, rules.Interim, w.lendUnit),
	)
}
