package workflows

import "go.temporal.io/sdk/workflow"

// A run asks one version gate, at its start, for every change listed in
// gateOfGeneration: a run that starts on this code records one marker (and
// one TemporalChangeVersion upsert) instead of one per change, which is most
// of what a registration's first workflow task costs Temporal beyond a bare
// start (issue 10). A run from before it has no such marker, so replay
// answers DefaultVersion and that run keeps asking each change on its own,
// as its history recorded.
//
// A change made after this one gets a gate of its own (workflow.GetVersion);
// when there are several, a new generation can take them in the same way.
const (
	generationChangeID = "generation"
	generation1        = 1
)

// gateOfGeneration lists the changes generation1 stands for, each at the
// version a run of that generation takes.
var gateOfGeneration = map[string]workflow.Version{
	signedRegistrationChangeID:  signedRegistrationVersion,
	clocksChangeID:              clocksVersion,
	registerInFirstTaskChangeID: registerInFirstTaskVersion,
	reopenChangeID:              reopenVersion,
	dueBeforeStepsChangeID:      dueBeforeStepsVersion,
	fireOnceChangeID:            fireOnceVersion,
	coalescedProjectionChangeID: coalescedProjectionVersion,
}

// askGeneration is the first thing a run does; before it no command may be
// issued, so that a history from before the gate replays it as absent.
func (w *complaintWorkflow) askGeneration(ctx workflow.Context) {
	w.generation = workflow.GetVersion(ctx, generationChangeID, workflow.DefaultVersion, generation1)
}

// version is workflow.GetVersion for a change the generation may stand for.
func (w *complaintWorkflow) version(ctx workflow.Context, changeID string) workflow.Version {
	max, ok := gateOfGeneration[changeID]
	if !ok {
		panic("workflows: change " + changeID + " is not in gateOfGeneration")
	}
	if w.generation >= generation1 {
		return max
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, max)
}
