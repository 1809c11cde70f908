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
//
// generation2 adds the customer archive's change, generation3 field
// service, generation4 stock moved by steps and loans, generation5
// corrective actions as workflows and recurrences, generation6 the
// post-close call, generation7 a registration's notices and recurrence
// search in its first task, generation8 the recurrence recorded, told and
// published in that task too; a run of an earlier generation asks a later
// change's own gate.
const (
	generationChangeID = "generation"
	generation1        = 1
	generation2        = 2
	generation3        = 3
	generation4        = 4
	generation5        = 5
	generation6        = 6
	generation7        = 7
	generation8        = 8
)

// gate is one change a generation stands for, at the version a run of that
// generation takes.
type gate struct {
	generation workflow.Version
	version    workflow.Version
}

// gateOfGeneration lists the changes the generations stand for.
var gateOfGeneration = map[string]gate{
	signedRegistrationChangeID:  {generation1, signedRegistrationVersion},
	clocksChangeID:              {generation1, clocksVersion},
	registerInFirstTaskChangeID: {generation1, registerInFirstTaskVersion},
	reopenChangeID:              {generation1, reopenVersion},
	dueBeforeStepsChangeID:      {generation1, dueBeforeStepsVersion},
	fireOnceChangeID:            {generation1, fireOnceVersion},
	coalescedProjectionChangeID: {generation1, coalescedProjectionVersion},
	archiveChangeID:             {generation2, archiveVersion},
	fieldServiceChangeID:        {generation3, fieldServiceVersion},
	stockStepsChangeID:          {generation4, stockStepsVersion},
	capaChangeID:                {generation5, capaVersion},
	followupsChangeID:           {generation6, followupsVersion},
	firstTaskWorkChangeID:       {generation7, firstTaskWorkVersion},
	recurrenceInTaskChangeID:    {generation8, recurrenceInTaskVersion},
}

// askGeneration is the first thing a run does; before it no command may be
// issued, so that a history from before the gate replays it as absent.
func (w *complaintWorkflow) askGeneration(ctx workflow.Context) {
	w.generation = workflow.GetVersion(ctx, generationChangeID, workflow.DefaultVersion, generation8)
}

// version is workflow.GetVersion for a change the generation may stand for.
func (w *complaintWorkflow) version(ctx workflow.Context, changeID string) workflow.Version {
	g, ok := gateOfGeneration[changeID]
	if !ok {
		panic("workflows: change " + changeID + " is not in gateOfGeneration")
	}
	if w.generation >= g.generation {
		return g.version
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, g.version)
}
