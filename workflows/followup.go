package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// A follow-up is a workflow of its own, followup-<id>: opened by hand
// through the API, by a case when it closes (its post-close call), by a
// survey answered with a low score (the recovery call), or by the daily and
// yearly planning runs. Package followup holds its rules; this is the
// durable shell: it waits until the follow-up appears, reminds its owner
// before the due time, escalates once it is overdue, sends the survey its
// done step asked for and waits for the answer until the link expires.

// followupSystemActor is the actor of the clock's and the survey's events.
var followupSystemActor = complaint.Actor{UserID: "caseflow", Name: "follow-up clock"}

// plannerPrefix starts the workflow ids of the planning runs the
// follow-up schedules start (a schedule run's id is its action's id and
// the time it was due).
const plannerPrefix = "caseflow-followups-"

// FollowupWorkflow runs one follow-up from the time it appears until it is
// done (and its survey answered or expired) or cancelled.
func FollowupWorkflow(ctx workflow.Context, in FollowupInput) (complaint.Followup, error) {
	w := &followupWorkflow{lock: workflow.NewMutex(ctx), root: ctx}
	return w.run(ctx, in)
}

type followupWorkflow struct {
	f          complaint.Followup
	policy     followup.Policy
	registered bool
	lock       workflow.Mutex
	root       workflow.Context
	pending    int
	published  string
	reminded   bool
	// surveyAsked is set by a done step that asked for a survey; lowScore
	// by an answer that calls for the supervisor and a recovery call.
	surveyAsked bool
	lowScore    bool
}

func (w *followupWorkflow) run(ctx workflow.Context, in FollowupInput) (complaint.Followup, error) {
	// The handlers come first: an opening's registration update arrives
	// with the first task, before anything the run waits for.
	if err := w.setHandlers(ctx); err != nil {
		return w.f, err
	}
	if in.Policy != nil {
		w.policy = *in.Policy
	} else if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.FollowupPolicy).Get(ctx,
		&w.policy); err != nil {
		return w.f, err
	}
	if in.Closed != nil {
		in.Plan = followup.PostCloseCall(*in.Closed, w.policy)
	}
	if err := verifyFollowupInput(ctx, in); err != nil {
		return w.f, err
	}
	if wait := in.Plan.AppearAt.Sub(workflow.Now(ctx)); wait > 0 {
		if err := workflow.NewTimerWithOptions(ctx, wait, workflow.TimerOptions{
			Summary: "appears on " + in.Plan.AppearAt.UTC().Format(time.RFC3339)}).Get(ctx, nil); err != nil {
			return w.f, err
		}
	}
	f, err := followup.Open(in.Plan.ID, in.OpenedBy, in.Plan.Body, in.BySystem, workflow.Now(ctx))
	if err != nil {
		return w.f, temporal.NewNonRetryableApplicationError("the follow-up is refused: "+err.Error(),
			ErrTypeInvalid, err)
	}
	f.SourceID = in.Plan.SourceID
	w.f = f
	if err := w.register(ctx); err != nil {
		return w.f, err
	}
	for {
		done, err := w.next(ctx)
		if err != nil {
			return w.f, err
		}
		if done {
			break
		}
	}
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && w.pending == 0 }); err != nil {
		return w.f, err
	}
	return w.f, nil
}

// verifyFollowupInput fails a workflow whose opener nobody vouched for: the
// API's signature, or, opened by the system, a parent that is one of
// caseflow's planners (which the server sets, and no client can).
func verifyFollowupInput(ctx workflow.Context, in FollowupInput) error {
	info := workflow.GetInfo(ctx)
	if in.BySystem {
		p := info.ParentWorkflowExecution
		ok := p != nil && (strings.HasPrefix(p.ID, plannerPrefix) ||
			(in.Plan.Body.ComplaintID != "" && p.ID == complaint.WorkflowID(in.Plan.Body.ComplaintID)) ||
			(in.Plan.SourceID != "" && p.ID == complaint.FollowupWorkflowID(in.Plan.SourceID)))
		if !ok {
			return temporal.NewNonRetryableApplicationError("a follow-up says the system opened it, but no planner did",
				ErrTypeForbidden, nil)
		}
		return nil
	}
	sig := in.Signature
	in.Signature = nil
	return verifyOpener(ctx, "the follow-up's opener", UpdateFollowupRegistration.Name, in.OpenedBy, sig, in)
}

func (w *followupWorkflow) setHandlers(ctx workflow.Context) error {
	return errors.Join(
		QueryFollowup.Handle(ctx, func() (complaint.Followup, error) { return w.f, nil }),
		UpdateFollowupRegistration.Handle(ctx, func(ctx workflow.Context) (complaint.Followup, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return complaint.Followup{}, err
			}
			return w.f, nil
		}, nil),
		setFollowupStep(ctx, w, UpdateFollowupDone, followup.Done, func(b complaint.FollowupDoneBody) {
			w.surveyAsked = b.SendSurvey
		}),
		setFollowupStep(ctx, w, UpdateFollowupCancel, followup.Cancel, nil),
		w.setSurveyHandler(ctx),
	)
}

// register records the follow-up in the store, in the first task if the
// store takes it at once.
func (w *followupWorkflow) register(ctx workflow.Context) error {
	payload, err := json.Marshal(map[string]any{"kind": w.f.Kind, "due_at": w.f.DueAt, "source_id": w.f.SourceID})
	if err != nil {
		return err
	}
	ev := complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, Actor: w.f.OpenedBy, Payload: payload,
		OccurredAt: w.f.OpenedAt}
	w.f.Version = ev.Seq
	in := activities.FollowupEvent{Followup: w.f, Event: ev}
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.RegisterFollowup, in).Get(ctx, nil); err != nil {
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.RegisterFollowup, in).Get(ctx, nil); err != nil {
			return fmt.Errorf("register follow-up: %w", err)
		}
	}
	w.registered = true
	return w.publish(ctx)
}

// setFollowupStep registers the update of one staff step: the validator
// verifies the API's signature and asks the rules; the handler asks them
// again under the lock, applies the step, writes it and answers.
func setFollowupStep[B any](ctx workflow.Context, w *followupWorkflow, update Update[Step[B], FollowupStepResult],
	rule followup.Step[B], taken func(B),
) error {
	if update.Name != rule.Name {
		return fmt.Errorf("update %s registered with the rules of %s", update.Name, rule.Name)
	}
	admit := func(s Step[B]) error { return refusalError(rule.Admit(&w.f, s.Actor, s.Body)) }
	validate := func(ctx workflow.Context, s Step[B]) error {
		if err := verifyStep(ctx, update.Name, s); err != nil {
			return err
		}
		return admit(s)
	}
	handler := func(ctx workflow.Context, s Step[B]) (FollowupStepResult, error) {
		if err := w.lock.Lock(ctx); err != nil {
			return FollowupStepResult{}, err
		}
		defer w.lock.Unlock()
		if err := admit(s); err != nil {
			return FollowupStepResult{}, err
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return FollowupStepResult{}, err
		}
		now := workflow.Now(ctx)
		kind := rule.Take(&w.f, s.Actor, s.Body, now)
		if taken != nil {
			taken(s.Body)
		}
		ev, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
		if err != nil {
			return FollowupStepResult{}, err
		}
		return FollowupStepResult{Followup: w.f, Event: &ev}, nil
	}
	return update.Handle(ctx, handler, validate)
}

// setSurveyHandler registers the customer's answer: the API vouched for
// the link (its signature names followup.SurveyActor); the rules take it
// once, while the survey waits and before it expires.
func (w *followupWorkflow) setSurveyHandler(ctx workflow.Context) error {
	admit := func(ctx workflow.Context, s SurveyAnswerRequest) error {
		return refusalError(followup.AdmitAnswer(&w.f, s.Actor, s.Body, workflow.Now(ctx)))
	}
	validate := func(ctx workflow.Context, s SurveyAnswerRequest) error {
		if err := verifyStep(ctx, UpdateSurveyAnswer.Name, s); err != nil {
			return err
		}
		return admit(ctx, s)
	}
	handler := func(ctx workflow.Context, s SurveyAnswerRequest) (FollowupStepResult, error) {
		if err := w.lock.Lock(ctx); err != nil {
			return FollowupStepResult{}, err
		}
		defer w.lock.Unlock()
		if err := admit(ctx, s); err != nil {
			return FollowupStepResult{}, err
		}
		now := workflow.Now(ctx)
		kind := followup.TakeAnswer(&w.f, s.Body, now)
		w.lowScore = followup.LowScore(s.Body)
		// The answer's comment is the customer's own text: it is in the
		// store's snapshot, not repeated in the event's payload.
		payload, err := json.Marshal(map[string]any{"satisfaction": s.Body.Satisfaction,
			"would_recommend": s.Body.WouldRecommend})
		if err != nil {
			return FollowupStepResult{}, err
		}
		ev, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
		if err != nil {
			return FollowupStepResult{}, err
		}
		return FollowupStepResult{Followup: w.f, Event: &ev}, nil
	}
	return UpdateSurveyAnswer.Handle(ctx, handler, validate)
}

// commit numbers the event, writes it with the follow-up after it to the
// store (retried until the store takes it) and publishes.
func (w *followupWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Event, error) {
	ev.Seq = w.f.Version + 1
	w.f.Version = ev.Seq
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyFollowupEvent,
		activities.FollowupEvent{Followup: w.f, Event: ev}).Get(ctx, nil); err != nil {
		return ev, err
	}
	return ev, w.publish(ctx)
}

// next does what the follow-up waits for in its stage: the clock while it
// is open; once done, the survey it asked for, the answer until the link
// expires, and what a low score calls for. done is true when nothing is
// left.
func (w *followupWorkflow) next(ctx workflow.Context) (done bool, err error) {
	switch {
	case w.f.Stage == complaint.FollowupOpen:
		return false, w.waitForClock(ctx)
	case w.surveyAsked && w.f.Survey == nil:
		return false, w.sendSurvey(ctx)
	case followup.SurveyWaiting(w.f):
		return false, w.waitForAnswer(ctx)
	case w.lowScore:
		w.lowScore = false
		w.recover(ctx)
		return false, nil
	default:
		return true, nil
	}
}

// waitForClock sleeps until the open follow-up's next alarm, waking early
// when a step moves it, and rings the alarm.
func (w *followupWorkflow) waitForClock(ctx workflow.Context) error {
	alarm, ok := followup.NextAlarm(w.f, w.reminded, w.policy.ReminderLead)
	open := func() bool { return w.f.Stage == complaint.FollowupOpen }
	if !ok {
		return workflow.Await(ctx, func() bool { return !open() })
	}
	fired, err := sleepUntil(ctx, alarm.At, fmt.Sprintf("%s of follow-up %s", alarm.Kind, w.f.ID),
		func() bool { return !open() })
	if err != nil || !fired {
		return err
	}
	return w.ring(ctx, alarm)
}

// ring records an alarm of the open follow-up and tells whom it concerns.
func (w *followupWorkflow) ring(ctx workflow.Context, a followup.Alarm) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	if w.f.Stage != complaint.FollowupOpen {
		return nil
	}
	now := workflow.Now(ctx)
	if a.Kind == complaint.NotificationFollowupDueSoon {
		w.reminded = true
	}
	kind := followup.Ring(&w.f, a, now)
	payload, err := json.Marshal(map[string]any{"due_at": w.f.DueAt})
	if err != nil {
		return err
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: followupSystemActor, Payload: payload,
		OccurredAt: now}); err != nil {
		return err
	}
	w.notify(a.Kind, followup.AlarmRecipients(w.f, a.Kind), a.At, now)
	return nil
}

// sendSurvey sends the customer the survey link, off the lock (it is a
// delivery), then records what it came to under it. The link's token is
// made and kept by the activity: it never enters this history.
func (w *followupWorkflow) sendSurvey(ctx workflow.Context) error {
	var d followup.SurveyDelivery
	req := activities.SurveyRequest{Followup: w.f, ValidFor: w.policy.SurveyValidFor}
	if err := workflow.ExecuteActivity(surveyContext(ctx), acts.SendSurvey, req).Get(ctx, &d); err != nil {
		if temporal.IsCanceledError(err) {
			return err
		}
		d = followup.SurveyDelivery{Reason: "the e-mail could not be sent"}
	}
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind := followup.RecordSurvey(&w.f, d, now)
	payload, err := json.Marshal(map[string]any{"sent": d.Sent, "reason": d.Reason, "expires_at": d.ExpiresAt})
	if err != nil {
		return err
	}
	_, err = w.commit(ctx, complaint.Event{Kind: kind, Actor: followupSystemActor, Payload: payload, OccurredAt: now})
	return err
}

// waitForAnswer waits for the customer's answer until the link expires,
// and closes the survey then.
func (w *followupWorkflow) waitForAnswer(ctx workflow.Context) error {
	fired, err := sleepUntil(ctx, *w.f.Survey.ExpiresAt, "survey link of follow-up "+w.f.ID+" expires",
		func() bool { return !followup.SurveyWaiting(w.f) })
	if err != nil || !fired {
		return err
	}
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind, ok := followup.ExpireSurvey(&w.f, now)
	if !ok {
		return nil
	}
	_, err = w.commit(ctx, complaint.Event{Kind: kind, Actor: followupSystemActor, Payload: json.RawMessage(`{}`),
		OccurredAt: now})
	return err
}

// recover answers a low score: the after-sales supervisors hear of it and
// a recovery call is opened, as a child this follow-up abandons.
func (w *followupWorkflow) recover(ctx workflow.Context) {
	now := workflow.Now(ctx)
	w.notify(complaint.NotificationSurveyLowScore, followup.LowScoreRecipients(), now, now)
	plan := followup.RecoveryCall(w.f, now, w.policy)
	policy := w.policy
	startFollowup(ctx, FollowupInput{Plan: plan, OpenedBy: followupSystemActor, BySystem: true, Policy: &policy},
		&w.pending)
}

// notify records a notice in the outbox (keyed by the follow-up's id and
// the kind) and delivers it apart, off the lock.
func (w *followupWorkflow) notify(kind string, to []activities.Recipient, due, now time.Time) {
	notice := activities.NotifyInput{CaseNumber: w.f.ID, Kind: kind, Level: 1, DueAt: due, At: now,
		Recipients: to, Facts: followup.Facts(w.f)}
	notifyApart(w.root, &w.pending, notice)
}

// publish keeps the search attributes and the Web UI's details in step.
// SQL visibility has no slot left for a stage or a due time (NOTES.md):
// follow-ups share CustomerID and OwnerDepartment with the cases and
// CAPAs, and show their stage in the details.
func (w *followupWorkflow) publish(ctx workflow.Context) error {
	f := w.f
	updates := []temporal.SearchAttributeUpdate{CustomerIDKey.ValueSet(f.CustomerID),
		OwnerDepartmentKey.ValueSet([]string{f.OwnerDepartment})}
	if key := searchAttributesKey(updates); key != w.published {
		if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
			return err
		}
		w.published = key
	}
	details := fmt.Sprintf("**%s** · %s · due %s\n\nstage: **%s**", f.ID, f.Kind, f.DueAt.Format(time.RFC3339), f.Stage)
	if f.Overdue {
		details += " · overdue"
	}
	if f.Survey != nil {
		details += " · survey " + f.Survey.State
	}
	workflow.SetCurrentDetails(ctx, details)
	return nil
}
