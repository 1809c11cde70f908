package workflows

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The updates of the field-service steps [2.(5).2–4].
var (
	UpdateEngineers     = Update[EngineersRequest, StepResult]{Name: complaint.StepEngineers}
	UpdateVisits        = Update[VisitPlanRequest, StepResult]{Name: complaint.StepVisits}
	UpdateCheckIn       = Update[CheckInRequest, StepResult]{Name: complaint.StepCheckIn}
	UpdateCheckOut      = Update[CheckOutRequest, StepResult]{Name: complaint.StepCheckOut}
	UpdateServiceRecord = Update[ServiceRecordRequest, StepResult]{Name: complaint.StepServiceRecord}
	UpdateRecordWaiver  = Update[RecordWaiverRequest, StepResult]{Name: complaint.StepRecordWaiver}
)

// The argument of each field-service step update.
type (
	EngineersRequest     = Step[complaint.EngineersBody]
	VisitPlanRequest     = Step[complaint.VisitPlanBody]
	CheckInRequest       = Step[complaint.CheckInBody]
	CheckOutRequest      = Step[complaint.CheckOutBody]
	ServiceRecordRequest = Step[complaint.ServiceRecordFiling]
	RecordWaiverRequest  = Step[complaint.RecordWaiverBody]
)

// fieldServiceVersion marks the change that dispatches engineers when a
// case needs a visit and runs each visit's service-record clock;
// generation3 stands for it.
const (
	fieldServiceChangeID = "field-service"
	fieldServiceVersion  = 1
)

// dispatchDelivery keys the dispatches' deliveries in w.delivering.
const dispatchDelivery = "dispatch"

func (w *complaintWorkflow) setVisitHandlers(ctx workflow.Context) error {
	return errors.Join(
		setStep(ctx, w, UpdateEngineers, rules.Engineers),
		setStep(ctx, w, UpdateVisits, rules.PlanVisit),
		setStep(ctx, w, UpdateCheckIn, rules.CheckIn),
		setStockStep(ctx, w, UpdateCheckOut, rules.CheckOut, w.issueParts),
		setStep(ctx, w, UpdateServiceRecord, rules.FileRecord),
		setStep(ctx, w, UpdateRecordWaiver, rules.WaiveRecord),
	)
}

// planDispatch marks, under the lock or before registration, whom the case
// sends out now; sendDispatch tells them once the state is recorded.
func (w *complaintWorkflow) planDispatch() []rules.Recipient {
	if !w.fieldService {
		return nil
	}
	return rules.Dispatch(&w.state.Case)
}

// sendDispatch records the dispatch in the outbox (retried until the store
// takes it) and delivers it apart, outside the lock.
func (w *complaintWorkflow) sendDispatch(to []rules.Recipient) {
	if len(to) == 0 {
		return
	}
	now := workflow.Now(w.root)
	in := activities.NotifyInput{ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber,
		Kind: complaint.NotificationDispatch, Level: 1, DueAt: now, At: now, Recipients: to,
		Facts: rules.DispatchFacts(w.state.Case)}
	if due := w.state.Clocks; due != nil && due.Onsite.DueAt != nil {
		in.DueAt = *due.Onsite.DueAt
	}
	w.notifyApart(dispatchDelivery, in)
}

// notifyApart records in's notifications, then delivers them, in a
// coroutine the workflow waits for before it completes.
func (w *complaintWorkflow) notifyApart(key string, in activities.NotifyInput) {
	w.delivering[key]++
	inTask := w.inFirstTask
	workflow.Go(w.root, func(ctx workflow.Context) {
		defer func() { w.delivering[key]-- }()
		var deliver bool
		if err := storeCall(ctx, inTask, acts.RecordNotifications, in, &deliver); err != nil {
			return // cancelled: storeContext retries every other failure
		}
		if deliver {
			w.deliverApart(ctx, key, in)
		}
	})
}

// watchRecords starts the filing clock of every visit checked out and not
// yet watched.
func (w *complaintWorkflow) watchRecords() {
	if !w.fieldService {
		return
	}
	for _, v := range w.state.Visits {
		if v.State == complaint.VisitCheckedOut && !w.watched[v.ID] {
			w.watched[v.ID] = true
			workflow.Go(w.root, func(ctx workflow.Context) { w.watchRecord(ctx, v.ID) })
		}
	}
}

// watchRecord sleeps on a durable timer until the visit's record warning
// (a working day before it is due), then until it is due, waking early
// when the record is filed or waived; each instant is recorded once.
func (w *complaintWorkflow) watchRecord(ctx workflow.Context, id string) {
	for {
		v, ok := w.visit(id)
		if !ok || v.State != complaint.VisitCheckedOut || v.RecordEscalated || w.state.Stage == complaint.StageClosed {
			return
		}
		kind, at := complaint.NotificationEscalation, *v.RecordDueAt
		if !v.RecordWarned {
			kind, at = complaint.NotificationWarning, rules.RecordWarnAt(w.state.Policy, *v.CheckedOutAt)
		}
		settled := func() bool {
			v, _ := w.visit(id)
			return v.State != complaint.VisitCheckedOut || w.state.Stage == complaint.StageClosed
		}
		wait := max(at.Sub(workflow.Now(ctx)), time.Millisecond)
		done, err := workflow.AwaitWithTimeout(ctx, wait, settled)
		if err != nil || done {
			return
		}
		if err := w.fireRecord(ctx, id, kind); err != nil {
			return
		}
	}
}

// fireRecord records one instant of a visit's filing clock under the lock,
// then tells its recipients outside it.
func (w *complaintWorkflow) fireRecord(ctx workflow.Context, id, kind string) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	v, _ := w.visitRef(id)
	if v.State != complaint.VisitCheckedOut {
		w.lock.Unlock()
		return nil
	}
	event := complaint.EventServiceRecordWarned
	if kind == complaint.NotificationWarning {
		v.RecordWarned = true
	} else {
		v.RecordEscalated, event = true, complaint.EventServiceRecordLate
	}
	visit := *v
	now := workflow.Now(ctx)
	w.state.At(now)
	payload, _ := json.Marshal(map[string]any{"visit": id, "due_at": v.RecordDueAt})
	_, err := w.commit(ctx, complaint.Event{Kind: event, Actor: systemActor, Payload: payload, OccurredAt: now}, answerFirst)
	w.lock.Unlock()
	if err != nil {
		return err
	}
	level, _ := strconv.Atoi(strings.TrimPrefix(id, "V"))
	w.notifyApart(complaint.ClockServiceRecord+id, activities.NotifyInput{ComplaintID: w.state.ID,
		CaseNumber: w.state.CaseNumber, Clock: complaint.ClockServiceRecord, Kind: kind, Level: level,
		DueAt: *visit.RecordDueAt, At: now, Recipients: rules.RecordNotice(visit, kind)})
	return nil
}

func (w *complaintWorkflow) visit(id string) (complaint.Visit, bool) {
	v, ok := w.visitRef(id)
	if !ok {
		return complaint.Visit{}, false
	}
	return *v, true
}

func (w *complaintWorkflow) visitRef(id string) (*complaint.Visit, bool) {
	for i := range w.state.Visits {
		if w.state.Visits[i].ID == id {
			return &w.state.Visits[i], true
		}
	}
	return nil, false
}
