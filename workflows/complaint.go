// Package workflows holds the durable case workflow: one workflow per
// complaint, the source of truth for its stage, with the store as a
// projection written by activities.
package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/sla"
)

// The complaint workflow's own update and query; the step updates are in
// steps.go and clock_steps.go.
var (
	// UpdateRegistration answers with the case once it is recorded in the
	// store with its case number; the API sends it with the workflow's start
	// (update-with-start) so registration answers 201 with the case number.
	UpdateRegistration = UpdateNoArg[complaint.Case]{Name: "registration"}
	// QueryCase answers with the current case view.
	QueryCase = Query[complaint.Case]{Name: "case"}
)

// ComplaintInput starts a complaint workflow.
type ComplaintInput struct {
	ID           string             `json:"id"`
	Register     complaint.Register `json:"register"`
	ReceivedAt   time.Time          `json:"received_at"`
	RegisteredBy complaint.Actor    `json:"registered_by"`
	// Policy is the SLA policy in force at registration, copied so that
	// editing the policy never moves the deadlines of running cases. Without
	// one the case runs no service-level clocks.
	Policy sla.Policy `json:"policy"`
	// Signature is the API's over RegisteredBy and the rest of the input,
	// for the workflow id (see Signed); a start without it fails.
	Signature *actorsig.Signature `json:"signature,omitempty"`
	// Customer, Warranty and Site are the archive's facts at registration
	// (see archiveVersion); a case registered before the archive has none.
	Customer *complaint.CaseCustomer `json:"customer,omitempty"`
	Warranty *complaint.Warranty     `json:"warranty,omitempty"`
	Site     *complaint.CaseSite     `json:"site,omitempty"`
	// Carried, when set, makes this run a reopen of a terminated case that
	// continues from the stage it had (see reopen.go).
	Carried *Carried `json:"carried,omitempty"`
}

// ComplaintWorkflow runs one complaint from registration to closure.
func ComplaintWorkflow(ctx workflow.Context, in ComplaintInput) (complaint.Case, error) {
	w := &complaintWorkflow{state: rules.State{Case: complaint.Case{
		ID:           in.ID,
		Stage:        complaint.StageConfirm,
		Register:     in.Register,
		ReceivedAt:   in.ReceivedAt,
		RegisteredAt: workflow.Now(ctx),
		RegisteredBy: in.RegisteredBy,
		Customer:     in.Customer,
		Warranty:     in.Warranty,
		Site:         in.Site,
		PaidService:  complaint.PaidServiceFor(in.Warranty),
	}, Policy: in.Policy}, delivering: map[string]int{}, watched: map[string]bool{}}
	w.state.AllowedSteps = rules.AllowedSteps(w.state.Case)
	return w.run(ctx, in)
}

// complaintWorkflow is the durable shell around a case's rules.
type complaintWorkflow struct {
	state      rules.State
	registered bool
	// lock serialises the step handlers (see setStep) and the clocks' events.
	lock workflow.Mutex
	// root is the workflow's own context, for coroutines that must outlive
	// the update handler that starts them (deliveries of events a step
	// catches up on).
	root workflow.Context
	// delivering counts, per clock, the deliveries of its notifications
	// still under way; the workflow waits for them before it completes.
	delivering map[string]int
	// projecting counts the store writes of answered steps still under way.
	projecting int
	// unwritten holds answered steps' events that the workflow has yet to
	// write (see writeLater); writing tells whether its writer runs.
	unwritten []complaint.Event
	writing   bool
	// published is what the search attributes were last set to
	// (searchAttributesKey).
	published string
	// generation is the run's answer to the generation gate (generation.go).
	generation workflow.Version
	// archive says the run keeps the customer archive's rules (archiveVersion).
	archive bool
	// fieldService says the run dispatches and watches service records
	// (fieldServiceVersion); watched lists the visits whose record clock runs.
	fieldService bool
	watched      map[string]bool
	// lending says the run moves stock from its steps and lends backup
	// units (stockStepsVersion); watched also lists the loans whose
	// due-back clock runs.
	lending bool
	// capas says the run opens corrective actions as workflows and looks
	// for recurrences (capaVersion); capaPending counts what those started
	// and the workflow waits for before it completes.
	capas bool
	// followups: a close starts the case's post-close call (followup_case.go).
	followups   bool
	capaPending int
	// inFirstTask is set while registration starts its notices and its
	// recurrence search, which then run in the first workflow task
	// (firstTaskWorkVersion).
	inFirstTask bool
}

var acts *activities.Activities

func (w *complaintWorkflow) run(ctx workflow.Context, in ComplaintInput) (complaint.Case, error) {
	w.askGeneration(ctx)
	w.applyArchiveRules(ctx)
	w.fieldService = w.version(ctx, fieldServiceChangeID) == fieldServiceVersion
	w.lending = w.version(ctx, stockStepsChangeID) == stockStepsVersion
	w.state.Lending = w.lending
	w.applyCapaRules(ctx)
	w.applyFollowupRules(ctx)
	w.lock = workflow.NewMutex(ctx)
	w.root = ctx
	if err := w.verifyRegistration(ctx, in); err != nil {
		return w.state.Case, err
	}
	if err := w.setHandlers(ctx); err != nil {
		return w.state.Case, err
	}
	if in.Carried != nil {
		if err := w.restore(ctx, in.Carried); err != nil {
			return w.state.Case, err
		}
	} else if w.version(ctx, clocksChangeID) == clocksVersion && w.state.Policy.Name != "" {
		w.startClocks(ctx)
	}
	// From generation1 on a new case publishes once, when registered with
	// its number: one upsert in the first task instead of two.
	if in.Carried != nil || w.generation < generation1 {
		if err := w.publish(ctx); err != nil {
			return w.state.Case, err
		}
	}
	if err := w.registerOrReopen(ctx, in.Carried); err != nil {
		return w.state.Case, err
	}
	// Later stages are driven by step updates; the workflow lives until the
	// case closes, the step that closed it has answered, its store write has
	// landed and the clocks' deliveries have ended.
	if err := workflow.Await(ctx, func() bool {
		return w.state.Stage == complaint.StageClosed && workflow.AllHandlersFinished(ctx) && w.deliveriesDone() &&
			w.projecting == 0 && len(w.unwritten) == 0 && w.capaPending == 0
	}); err != nil {
		return w.state.Case, err
	}
	return w.state.Case, nil
}

func (w *complaintWorkflow) setHandlers(ctx workflow.Context) error {
	if err := QueryCase.Handle(ctx, func() (complaint.Case, error) {
		return w.state.Case, nil
	}); err != nil {
		return err
	}
	if err := UpdateRegistration.Handle(ctx, func(ctx workflow.Context) (complaint.Case, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return complaint.Case{}, err
		}
		return w.state.Case, nil
	}, nil); err != nil {
		return err
	}
	if err := w.setStepHandlers(ctx); err != nil {
		return err
	}
	if err := w.setPaidServiceHandlers(ctx); err != nil {
		return err
	}
	if err := w.setVisitHandlers(ctx); err != nil {
		return err
	}
	if err := w.setLoanHandlers(ctx); err != nil {
		return err
	}
	return w.setClockStepHandlers(ctx)
}

// registerInFirstTaskVersion marks the change that records a new case by a
// local activity in the workflow's first task, so registration answers from
// that task instead of after an activity task and another workflow task.
// A local activity writes before its task completes, which is safe here:
// registration is the case's first event and nothing else can take its
// place if the task is retried.
const (
	registerInFirstTaskChangeID = "register-in-first-task"
	registerInFirstTaskVersion  = 1
)

// firstTaskWorkVersion marks the change that runs a new case's notices
// (sales told, engineers dispatched) and its recurrence search as local
// activities in its first workflow task, beside the case's own write,
// where each was an activity task and the answers another workflow task:
// on one SQLite connection those Temporal writes were most of what a
// registration cost beyond a bare update-with-start (issue 10, NOTES.md).
// The outbox is keyed and the search only reads, so a retried first task
// repeating them changes nothing.
const (
	firstTaskWorkChangeID = "first-task-work"
	firstTaskWorkVersion  = 1
)

var errNotTried = errors.New("not tried")

// registerLocalContext gives the local write a few quick attempts within
// the first task; past them the regular activity takes over.
func registerLocalContext(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    5 * time.Second,
		ScheduleToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    100 * time.Millisecond,
			BackoffCoefficient: 2,
			MaximumAttempts:    3,
		},
	})
}

// register records the case in the store, since a case must never be lost:
// at once in the first task, or by an activity that retries until the store
// takes it.
func (w *complaintWorkflow) register(ctx workflow.Context) error {
	payload, err := json.Marshal(w.state.Register)
	if err != nil {
		return err
	}
	// A case that needs a visit sends its engineers out at once.
	dispatch := w.planDispatch()
	ev := complaint.Event{Seq: 1, Kind: complaint.EventRegistered, Actor: w.state.RegisteredBy,
		Payload: payload, OccurredAt: w.state.RegisteredAt}
	in := activities.CaseEvent{Case: w.state.Case, Event: ev}
	// Before the change, or when the store did not take it at once, the
	// regular activity retries until it does (the write is keyed by the case
	// id, so one that landed meanwhile is answered, not repeated).
	var number string
	inTask := w.version(ctx, registerInFirstTaskChangeID) == registerInFirstTaskVersion
	if err := storeCall(ctx, inTask, acts.RegisterCase, in, &number); err != nil {
		return fmt.Errorf("register case: %w", err)
	}
	w.state.CaseNumber = number
	w.state.Version = ev.Seq
	w.registered = true
	w.inFirstTask = w.version(ctx, firstTaskWorkChangeID) == firstTaskWorkVersion
	w.tellSales()
	w.sendDispatch(dispatch)
	searchInTask := w.inFirstTask && w.version(ctx, recurrenceInTaskChangeID) == recurrenceInTaskVersion
	switch {
	case w.capas && searchInTask:
		w.recurrenceInTask(ctx)
	case w.capas:
		w.findRecurrence()
	}
	w.inFirstTask = false
	if searchInTask {
		return w.publishChanges(ctx) // once, with what the recurrence changed
	}
	return w.publish(ctx)
}

// storeContext sets the options of store activities: short attempts, retried
// without limit because the projection must catch up eventually.
func storeContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		// A store write takes milliseconds; a lost attempt (a worker that
		// died) is retried after this.
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}

// storeCall runs a store activity: in the current workflow task when
// inTask (a few quick attempts, registerLocalContext), else, or when those
// failed, as an activity retried until the store takes it.
func storeCall(ctx workflow.Context, inTask bool, activity, arg, result any) error {
	err := errNotTried
	if inTask {
		err = workflow.ExecuteLocalActivity(registerLocalContext(ctx), activity, arg).Get(ctx, result)
	}
	if err != nil {
		err = workflow.ExecuteActivity(storeContext(ctx), activity, arg).Get(ctx, result)
	}
	return err
}

// Summary is the one-line static summary shown in the Web UI's workflow list.
func Summary(in ComplaintInput) string {
	return fmt.Sprintf("Complaint from %s (%s, %s)", in.Register.CustomerName, in.Register.Category, in.Register.Severity)
}
