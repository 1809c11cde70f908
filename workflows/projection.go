package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// How commit treats the store's write of the event.
type projection int

const (
	// answerFirst lets a step answer before its write lands (from
	// coalescedProjectionVersion on).
	answerFirst projection = iota
	// writeFirst answers after the write: a reopen, whose caller reads the
	// store's case at once, which the API cannot write for it.
	writeFirst
	// writeInTask writes in the current workflow task (storeCall): an
	// event of a new case's first task (recurrenceInTaskVersion), which a
	// retried task repeats the same.
	writeInTask
)

// coalescedProjectionVersion marks the change after which a step schedules
// no store write of its own: the API writes the answered event, and the
// workflow writes the events of a burst of steps once, projectionDelay after
// the first of them (at once when the case closes). A step then costs
// Temporal what a bare update costs, and no activity task and second
// workflow task each (issue 10); it also upserts the search attributes only
// when one of them changed (publishChanges).
const (
	coalescedProjectionChangeID = "projection-coalesced"
	coalescedProjectionVersion  = 1
	// projectionDelay is how long the workflow lets steps gather before it
	// writes their events itself; the API has written them meanwhile, so
	// this bounds only how long a write the API never made is missing.
	projectionDelay = 5 * time.Second
)

// commit records an applied step: the next event in the timeline, the store's
// projection, and the search attributes.
func (w *complaintWorkflow) commit(ctx workflow.Context, ev complaint.Event, p projection) (StepResult, error) {
	w.state.Version++
	w.state.RefreshClocks()
	w.state.AllowedSteps = rules.AllowedSteps(w.state.Case)
	ev.Seq = w.state.Version
	publish := w.publish
	write := activities.CaseEvent{Case: w.state.Case, Event: ev}
	switch {
	case p == writeInTask:
		publish = w.publishChanges
		if err := storeCall(ctx, true, acts.ApplyEvent, write, nil); err != nil {
			return StepResult{}, fmt.Errorf("apply event %d (%s): %w", ev.Seq, ev.Kind, err)
		}
	case p == answerFirst && w.version(ctx, coalescedProjectionChangeID) == coalescedProjectionVersion:
		w.writeLater(ev)
		publish = w.publishChanges
	default:
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyEvent, write).Get(ctx, nil); err != nil {
			return StepResult{}, fmt.Errorf("apply event %d (%s): %w", ev.Seq, ev.Kind, err)
		}
	}
	if err := publish(ctx); err != nil {
		return StepResult{}, err
	}
	return StepResult{Case: w.state.Case, Event: &ev}, nil
}

// writeLater queues an answered step's event for the workflow's own store
// write (see coalescedProjectionVersion).
func (w *complaintWorkflow) writeLater(ev complaint.Event) {
	w.unwritten = append(w.unwritten, ev)
	if !w.writing {
		w.writing = true
		workflow.Go(w.root, w.writeUnwritten)
	}
}

// writeUnwritten writes the queued events projectionDelay after the first
// of them (at once when the case closes), for as long as the workflow runs:
// one timer and one write for a burst of steps. The workflow does not
// complete while events are queued or being written (see run). The write
// is retried until the store takes it, so only a cancelled workflow gives up.
func (w *complaintWorkflow) writeUnwritten(ctx workflow.Context) {
	closed := func() bool { return w.state.Stage == complaint.StageClosed }
	for {
		if err := workflow.Await(ctx, func() bool { return len(w.unwritten) > 0 }); err != nil {
			return
		}
		if !closed() {
			timerCtx, cancel := workflow.WithCancel(ctx)
			timer := workflow.NewTimer(timerCtx, projectionDelay)
			err := workflow.Await(ctx, func() bool { return timer.IsReady() || closed() })
			cancel() // the case closed first: its last events go at once
			if err != nil {
				return
			}
		}
		events := w.unwritten
		w.unwritten = nil
		w.projecting++
		err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyEvents,
			activities.CaseEvents{Case: w.state.Case, Events: events}).Get(ctx, nil)
		w.projecting--
		if err != nil {
			workflow.GetLogger(ctx).Error("store write of events given up", "from", events[0].Seq, "error", err)
		}
	}
}
