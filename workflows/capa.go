package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/capa"
	"github.com/caseflow/caseflow/complaint"
)

// A corrective action (CAPA) is a workflow of its own, capa-<id>, opened by
// quality through the API or by a case's corrective-actions step as a child
// that outlives the case. Package capa holds its rules; this is the durable
// shell: the updates, its clocks (the reminder before the due date, the
// overdue escalation, the effectiveness check) and the recurrences that
// reopen it once judged effective.

// The CAPA workflow's messages, named as in the API's paths
// (POST /api/v1/capas/{id}/<step>).
var (
	// UpdateCapaRegistration answers with the action once it is recorded in
	// the store with its number (update-with-start, as an RMA's request).
	UpdateCapaRegistration = UpdateNoArg[complaint.Capa]{Name: "capa-registration"}
	// QueryCapa answers with the current action.
	QueryCapa = Query[complaint.Capa]{Name: "capa"}

	UpdateCapaDone   = Update[CapaDoneRequest, CapaStepResult]{Name: complaint.CapaStepDone}
	UpdateCapaVerify = Update[CapaVerifyRequest, CapaStepResult]{Name: complaint.CapaStepVerify}

	// SignalCapaRecurrence tells an action that a complaint may repeat one
	// of its cases; the action checks that against the store before it
	// reopens (a signal carries no actor the API vouched for).
	SignalCapaRecurrence = "capa-recurrence"
)

// The argument of each CAPA step: who acts, the body, the API's signature.
type (
	CapaDoneRequest   = Step[complaint.CapaDoneBody]
	CapaVerifyRequest = Step[complaint.CapaVerifyBody]
)

// CapaStepResult is what a step answers: the action after the step (in the
// store by then) and the event that recorded it.
type CapaStepResult struct {
	complaint.Capa
	Event *complaint.Event `json:"event,omitempty"`
}

// CapaRecurrence is the payload of SignalCapaRecurrence: the complaint that
// came back, and the version of its case the check must see in the store.
type CapaRecurrence = activities.CapaRecurrence

// CapaInput starts an action's workflow: the body as the API (or the case's
// step) checked it, who opened it, and the company's time zone its dates
// are in. Opened through the API it is signed for the workflow id; opened
// by a case (ByCase) the workflow checks that the case is its parent.
type CapaInput struct {
	ID        string                 `json:"id"`
	Body      complaint.CapaOpenBody `json:"body"`
	OpenedBy  complaint.Actor        `json:"opened_by"`
	ByCase    string                 `json:"by_case,omitempty"`
	TimeZone  string                 `json:"time_zone"`
	Signature *actorsig.Signature    `json:"signature,omitempty"`
}

// Signed returns the input with OpenedBy signed for the workflow id.
func (in CapaInput) Signed(keys *actorsig.Keyring, workflowID string) (CapaInput, error) {
	in.Signature = nil
	sig, err := keys.Sign(workflowID, UpdateCapaRegistration.Name, in.OpenedBy, in)
	if err != nil {
		return in, err
	}
	in.Signature = sig
	return in, nil
}

// CapaSummary is the one-line static summary of the Web UI's workflow list.
func CapaSummary(in CapaInput) string {
	return fmt.Sprintf("Corrective action of %s, due %s", in.Body.OwnerDepartment, in.Body.DueDate)
}

// RecurrenceWatch is how long an action judged effective keeps listening
// for recurrences before its workflow completes: the recurrence window.
const RecurrenceWatch = 180 * 24 * time.Hour

// capaSystemActor is the actor of the clocks' and recurrences' events.
var capaSystemActor = complaint.Actor{UserID: "caseflow", Name: "CAPA clock"}

// CapaWorkflow runs one corrective action from its opening until it has
// been effective for the recurrence window.
func CapaWorkflow(ctx workflow.Context, in CapaInput) (complaint.Capa, error) {
	w := &capaWorkflow{lock: workflow.NewMutex(ctx), root: ctx, reminded: map[int]bool{}}
	return w.run(ctx, in)
}

type capaWorkflow struct {
	capa       complaint.Capa
	loc        *time.Location
	serial     int64
	registered bool
	lock       workflow.Mutex
	root       workflow.Context
	pending    int
	published  string
	// reminded is the rounds whose reminder went out.
	reminded map[int]bool
}

func (w *capaWorkflow) run(ctx workflow.Context, in CapaInput) (complaint.Capa, error) {
	if err := verifyCapaInput(ctx, in); err != nil {
		return w.capa, err
	}
	if in.TimeZone == "" {
		if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.CompanyTimeZone).Get(ctx,
			&in.TimeZone); err != nil {
			return w.capa, err
		}
	}
	loc, err := time.LoadLocation(in.TimeZone)
	if err != nil {
		return w.capa, temporal.NewNonRetryableApplicationError("unknown time zone "+in.TimeZone, ErrTypeInvalid, err)
	}
	w.loc = loc
	c, err := capa.Open(in.ID, in.OpenedBy, in.Body, in.ByCase != "", workflow.Now(ctx), loc)
	if err != nil {
		return w.capa, temporal.NewNonRetryableApplicationError("the corrective action is refused: "+err.Error(),
			ErrTypeInvalid, err)
	}
	w.capa = c
	if err := w.setHandlers(ctx); err != nil {
		return w.capa, err
	}
	if err := w.register(ctx); err != nil {
		return w.capa, err
	}
	for {
		done, err := w.waitForClock(ctx)
		if err != nil {
			return w.capa, err
		}
		if done {
			break
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.pending == 0 }); err != nil {
		return w.capa, err
	}
	return w.capa, nil
}

// verifyCapaInput fails a workflow whose opener nobody vouched for: the
// API's signature, or, for an action a case opened, that case as the
// parent (which the server sets, and no client can).
func verifyCapaInput(ctx workflow.Context, in CapaInput) error {
	info := workflow.GetInfo(ctx)
	if in.ByCase != "" {
		if p := info.ParentWorkflowExecution; p == nil || p.ID != complaint.WorkflowID(in.ByCase) {
			return temporal.NewNonRetryableApplicationError("a corrective action names a case that did not open it",
				ErrTypeForbidden, nil)
		}
		return nil
	}
	sig := in.Signature
	in.Signature = nil
	return verifyOpener(ctx, "the corrective action's opener", UpdateCapaRegistration.Name, in.OpenedBy, sig, in)
}

func (w *capaWorkflow) setHandlers(ctx workflow.Context) error {
	workflow.Go(ctx, w.listenForRecurrences)
	return errors.Join(
		QueryCapa.Handle(ctx, func() (complaint.Capa, error) { return w.capa, nil }),
		UpdateCapaRegistration.Handle(ctx, func(ctx workflow.Context) (complaint.Capa, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return complaint.Capa{}, err
			}
			return w.capa, nil
		}, nil),
		setCapaStep(ctx, w, UpdateCapaDone, capa.Done),
		setCapaStep(ctx, w, UpdateCapaVerify, capa.Verify),
	)
}

// register records the action in the store with its number, in the first
// task if the store takes it at once.
func (w *capaWorkflow) register(ctx workflow.Context) error {
	payload, err := json.Marshal(complaint.CapaOpenBody{ComplaintIDs: w.capa.ComplaintIDs,
		PartNumber: w.capa.PartNumber, RootCause: w.capa.RootCause, Action: w.capa.Action,
		OwnerDepartment: w.capa.OwnerDepartment, Owner: w.capa.Owner, DueDate: w.capa.DueDate,
		EffectivenessDays: &w.capa.EffectivenessDays})
	if err != nil {
		return err
	}
	ev := complaint.Event{Seq: 1, Kind: complaint.EventCapaOpened, Actor: w.capa.OpenedBy, Payload: payload,
		OccurredAt: w.capa.OpenedAt}
	in := activities.CapaEvent{Capa: w.capa, Event: ev}
	var n activities.CapaNumber
	if err := storeCall(ctx, true, acts.RegisterCapa, in, &n); err != nil {
		return fmt.Errorf("register CAPA: %w", err)
	}
	w.capa.Number, w.serial = n.Number, n.Serial
	w.capa.Version = ev.Seq
	w.registered = true
	return w.publish(ctx)
}

// setCapaStep registers the update of one step: the validator verifies the
// API's signature and asks the rules; the handler asks them again under the
// lock, applies the step, writes it to the store and answers.
func setCapaStep[B any](ctx workflow.Context, w *capaWorkflow, update Update[Step[B], CapaStepResult], rule capa.Step[B]) error {
	if update.Name != rule.Name {
		return fmt.Errorf("update %s registered with the rules of %s", update.Name, rule.Name)
	}
	admit := func(ctx workflow.Context, s Step[B]) error {
		return refusalError(rule.Admit(&w.capa, s.Actor, s.Body, workflow.Now(ctx), w.loc))
	}
	validate := func(ctx workflow.Context, s Step[B]) error {
		if err := verifyStep(ctx, update.Name, s); err != nil {
			return err
		}
		return admit(ctx, s)
	}
	handler := func(ctx workflow.Context, s Step[B]) (CapaStepResult, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return CapaStepResult{}, err
		}
		if err := w.lock.Lock(ctx); err != nil {
			return CapaStepResult{}, err
		}
		defer w.lock.Unlock()
		if err := admit(ctx, s); err != nil {
			return CapaStepResult{}, err
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return CapaStepResult{}, err
		}
		now := workflow.Now(ctx)
		kind := rule.Take(&w.capa, s.Actor, s.Body, now, w.loc)
		ev, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
		if err != nil {
			return CapaStepResult{}, err
		}
		return CapaStepResult{Capa: w.capa, Event: &ev}, nil
	}
	return update.Handle(ctx, handler, validate)
}

// commit numbers the event, writes it with the action after it to the
// store (retried until the store takes it) and publishes.
func (w *capaWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Event, error) {
	ev.Seq = w.capa.Version + 1
	w.capa.Version = ev.Seq
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyCapaEvent,
		activities.CapaEvent{Capa: w.capa, Event: ev}).Get(ctx, nil); err != nil {
		return ev, err
	}
	return ev, w.publish(ctx)
}

// waitForClock sleeps until the action's next instant, waking early when
// a step or a recurrence moves it, and does what the instant asks. done is
// true once an effective action has listened for the recurrence window.
func (w *capaWorkflow) waitForClock(ctx workflow.Context) (done bool, err error) {
	stage, round := w.capa.Stage, w.capa.Round
	var at time.Time
	var summary string
	var alarm capa.Alarm
	switch stage {
	case complaint.CapaOpen:
		a, ok := capa.NextAlarm(w.capa, w.reminded[round], w.loc)
		if !ok {
			break
		}
		alarm, at = a, a.At
		summary = fmt.Sprintf("%s of %s: %s", a.Kind, orPendingCapa(w.capa.Number), w.capa.DueDate)
	case complaint.CapaDone:
		at = capa.CheckAt(w.capa)
		summary = fmt.Sprintf("effectiveness check of %s", orPendingCapa(w.capa.Number))
	case complaint.CapaEffective:
		at = w.capa.Verification.At.Add(RecurrenceWatch)
		summary = fmt.Sprintf("%s watched for recurrences", orPendingCapa(w.capa.Number))
	}
	moved := func() bool { return w.capa.Stage != stage || w.capa.Round != round }
	if at.IsZero() {
		return false, workflow.Await(ctx, moved)
	}
	if fired, err := sleepUntil(ctx, at, summary, moved); err != nil || !fired {
		return false, err
	}
	switch stage {
	case complaint.CapaOpen:
		return false, w.ring(ctx, alarm)
	case complaint.CapaDone:
		return false, w.startVerifying(ctx)
	default:
		return true, nil
	}
}

// ring records an alarm of an open action and tells whom it concerns.
func (w *capaWorkflow) ring(ctx workflow.Context, a capa.Alarm) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	if a.Kind == complaint.NotificationCapaDueSoon {
		w.reminded[w.capa.Round] = true
	}
	kind := capa.Ring(&w.capa, a, now)
	payload, err := json.Marshal(map[string]string{"due_date": w.capa.DueDate})
	if err != nil {
		return err
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: capaSystemActor, Payload: payload,
		OccurredAt: now}); err != nil {
		return err
	}
	w.notify(a.Kind, capa.AlarmRecipients(w.capa, a.Kind), a.At, now)
	return nil
}

// startVerifying opens the effectiveness check and asks after-sales and
// quality to verify.
func (w *capaWorkflow) startVerifying(ctx workflow.Context) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind, ok := capa.StartVerifying(&w.capa, now)
	if !ok {
		return nil
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: capaSystemActor, Payload: json.RawMessage(`{}`),
		OccurredAt: now}); err != nil {
		return err
	}
	w.notify(complaint.NotificationCapaVerify, capa.VerifyRecipients(), now, now)
	return nil
}

// notify records a notice in the outbox (keyed by the action's serial,
// kind and round) and delivers it apart, off the lock.
func (w *capaWorkflow) notify(kind string, to []activities.Recipient, due, now time.Time) {
	notice := activities.NotifyInput{CaseNumber: w.capa.Number, Kind: kind, Level: w.capa.Round, DueAt: due, At: now,
		Recipients: to, Facts: capa.Facts(w.capa)}
	notifyApart(w.root, &w.pending, notice)
}

// listenForRecurrences reopens an effective action when a complaint that
// the store confirms repeats one of its cases comes back.
func (w *capaWorkflow) listenForRecurrences(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, SignalCapaRecurrence)
	for {
		var r CapaRecurrence
		ch.Receive(ctx, &r)
		w.pending++
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { w.pending-- }()
			if err := w.recur(ctx, r); err != nil {
				workflow.GetLogger(ctx).Warn("recurrence not applied", "capa", w.capa.ID, "error", err)
			}
		})
	}
}

func (w *capaWorkflow) recur(ctx workflow.Context, r CapaRecurrence) error {
	if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
		return err
	}
	r.ComplaintIDs = w.capa.ComplaintIDs
	var number string
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ConfirmRecurrence, r).Get(ctx, &number); err != nil {
		return err
	}
	if number == "" {
		return nil // not a recurrence of this action's cases
	}
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind, ok := capa.Recur(&w.capa, number, capaSystemActor, now, w.loc)
	if !ok {
		return nil
	}
	payload, err := json.Marshal(map[string]string{"complaint_id": r.ComplaintID, "case_number": number,
		"due_date": w.capa.DueDate})
	if err != nil {
		return err
	}
	_, err = w.commit(ctx, complaint.Event{Kind: kind, Actor: capaSystemActor, Payload: payload, OccurredAt: now})
	return err
}

// Search attributes of corrective actions, for the Web UI
// (`CapaStage = "open" AND OwnerDepartment = "production" AND
// CapaDueAt < 20261201`). SQL visibility has no Keyword or Datetime slot
// left (NOTES.md): the stage and owner are KeywordLists of one value, the
// due date an Int yyyymmdd.
var (
	CapaStageKey       = temporal.NewSearchAttributeKeyKeywordList("CapaStage")
	OwnerDepartmentKey = temporal.NewSearchAttributeKeyKeywordList("OwnerDepartment")
	CapaDueAtKey       = temporal.NewSearchAttributeKeyInt64("CapaDueAt")
)

// capaSearchAttributeKeys are the CAPA's search attributes, for
// SearchAttributes.
var capaSearchAttributeKeys = []searchAttributeKey{CapaStageKey, OwnerDepartmentKey, CapaDueAtKey}

// publish keeps the search attributes and the Web UI's details in step
// with the action, upserting only when an attribute changed.
func (w *capaWorkflow) publish(ctx workflow.Context) error {
	c := w.capa
	due, _ := strconv.ParseInt(dateDigits(c.DueDate), 10, 64)
	updates := []temporal.SearchAttributeUpdate{
		CapaStageKey.ValueSet([]string{c.Stage}),
		OwnerDepartmentKey.ValueSet([]string{c.OwnerDepartment}),
		CapaDueAtKey.ValueSet(due),
	}
	if key := searchAttributesKey(updates); key != w.published {
		if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
			return err
		}
		w.published = key
	}
	details := fmt.Sprintf("**%s** · owner %s · due %s (round %d)\n\nstage: **%s**", orPendingCapa(c.Number),
		c.OwnerDepartment, c.DueDate, c.Round, c.Stage)
	if c.Overdue {
		details += " · overdue"
	}
	workflow.SetCurrentDetails(ctx, details)
	return nil
}

// dateDigits is yyyymmdd of a yyyy-mm-dd date.
func dateDigits(date string) string {
	out := make([]byte, 0, 8)
	for i := 0; i < len(date); i++ {
		if date[i] >= '0' && date[i] <= '9' {
			out = append(out, date[i])
		}
	}
	return string(out)
}

func orPendingCapa(number string) string {
	if number == "" {
		return "CAPA number pending"
	}
	return number
}
