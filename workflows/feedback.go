package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/feedback"
	"github.com/caseflow/caseflow/followup"
)

// An enquiry, suggestion or praise is a workflow of its own,
// feedback-<id>, logged through the API. Package feedback holds its rules;
// this is the durable shell: it tells the department it is routed to,
// escalates it once the response time passed unanswered, and takes the
// answer.

// feedbackSystemActor is the actor of the response clock's events.
var feedbackSystemActor = complaint.Actor{UserID: "caseflow", Name: "feedback clock"}

// FeedbackWorkflow runs one piece of feedback until it is answered.
func FeedbackWorkflow(ctx workflow.Context, in FeedbackInput) (complaint.Feedback, error) {
	w := &feedbackWorkflow{lock: workflow.NewMutex(ctx), root: ctx}
	return w.run(ctx, in)
}

type feedbackWorkflow struct {
	fb         complaint.Feedback
	registered bool
	lock       workflow.Mutex
	root       workflow.Context
	pending    int
	published  string
}

func (w *feedbackWorkflow) run(ctx workflow.Context, in FeedbackInput) (complaint.Feedback, error) {
	// The handlers come first: the registration update arrives with the
	// first task, before the policy's local activity.
	if err := w.setHandlers(ctx); err != nil {
		return w.fb, err
	}
	if err := verifyFeedbackInput(ctx, in); err != nil {
		return w.fb, err
	}
	var policy followup.Policy
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.FollowupPolicy).Get(ctx, &policy); err != nil {
		return w.fb, err
	}
	fb, err := feedback.Log(in.ID, in.LoggedBy, in.Body, policy.FeedbackRespondWithin, workflow.Now(ctx))
	if err != nil {
		return w.fb, temporal.NewNonRetryableApplicationError("the feedback is refused: "+err.Error(),
			ErrTypeInvalid, err)
	}
	w.fb = fb
	if err := w.register(ctx); err != nil {
		return w.fb, err
	}
	w.notify(complaint.NotificationFeedbackReceived, feedback.ReceivedRecipients(w.fb), w.fb.RespondBy,
		w.fb.LoggedAt)
	answered := func() bool { return w.fb.Stage != complaint.FeedbackOpen }
	fired, err := sleepUntil(ctx, w.fb.RespondBy, "respond to "+w.fb.Number+" by "+
		w.fb.RespondBy.UTC().Format(time.RFC3339), answered)
	if err != nil {
		return w.fb, err
	}
	if fired {
		if err := w.escalate(ctx); err != nil {
			return w.fb, err
		}
	}
	if err := workflow.Await(ctx, func() bool {
		return answered() && workflow.AllHandlersFinished(ctx) && w.pending == 0
	}); err != nil {
		return w.fb, err
	}
	return w.fb, nil
}

// verifyFeedbackInput fails a workflow whose logger the API did not sign.
func verifyFeedbackInput(ctx workflow.Context, in FeedbackInput) error {
	sig := in.Signature
	in.Signature = nil
	return verifyOpener(ctx, "the feedback's logger", UpdateFeedbackRegistration.Name, in.LoggedBy, sig, in)
}

func (w *feedbackWorkflow) setHandlers(ctx workflow.Context) error {
	admit := func(s FeedbackAnswerRequest) error {
		return refusalError(feedback.AdmitAnswer(&w.fb, s.Actor, s.Body))
	}
	validate := func(ctx workflow.Context, s FeedbackAnswerRequest) error {
		if err := verifyStep(ctx, UpdateFeedbackAnswer.Name, s); err != nil {
			return err
		}
		return admit(s)
	}
	answer := func(ctx workflow.Context, s FeedbackAnswerRequest) (FeedbackStepResult, error) {
		if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
			return FeedbackStepResult{}, err
		}
		if err := w.lock.Lock(ctx); err != nil {
			return FeedbackStepResult{}, err
		}
		defer w.lock.Unlock()
		if err := admit(s); err != nil {
			return FeedbackStepResult{}, err
		}
		payload, err := json.Marshal(s.Body)
		if err != nil {
			return FeedbackStepResult{}, err
		}
		now := workflow.Now(ctx)
		kind := feedback.TakeAnswer(&w.fb, s.Actor, s.Body, now)
		ev, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: s.Actor, Payload: payload, OccurredAt: now,
			UpdateID: workflow.GetCurrentUpdateInfo(ctx).ID})
		if err != nil {
			return FeedbackStepResult{}, err
		}
		return FeedbackStepResult{Feedback: w.fb, Event: &ev}, nil
	}
	return errors.Join(
		QueryFeedback.Handle(ctx, func() (complaint.Feedback, error) { return w.fb, nil }),
		UpdateFeedbackRegistration.Handle(ctx, func(ctx workflow.Context) (complaint.Feedback, error) {
			if err := workflow.Await(ctx, func() bool { return w.registered }); err != nil {
				return complaint.Feedback{}, err
			}
			return w.fb, nil
		}, nil),
		UpdateFeedbackAnswer.Handle(ctx, answer, validate),
	)
}

// register records the feedback in the store with its number, in the
// first task if the store takes it at once.
func (w *feedbackWorkflow) register(ctx workflow.Context) error {
	payload, err := json.Marshal(map[string]string{"kind": w.fb.Kind, "routed_to": w.fb.RoutedTo})
	if err != nil {
		return err
	}
	ev := complaint.Event{Seq: 1, Kind: complaint.EventFeedbackLogged, Actor: w.fb.LoggedBy, Payload: payload,
		OccurredAt: w.fb.LoggedAt}
	w.fb.Version = ev.Seq
	in := activities.FeedbackEvent{Feedback: w.fb, Event: ev}
	var n activities.FeedbackNumber
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.RegisterFeedback, in).Get(ctx, &n); err != nil {
		if err := workflow.ExecuteActivity(storeContext(ctx), acts.RegisterFeedback, in).Get(ctx, &n); err != nil {
			return fmt.Errorf("register feedback: %w", err)
		}
	}
	w.fb.Number = n.Number
	w.registered = true
	return w.publish(ctx)
}

// commit numbers the event, writes it with the feedback after it and
// publishes.
func (w *feedbackWorkflow) commit(ctx workflow.Context, ev complaint.Event) (complaint.Event, error) {
	ev.Seq = w.fb.Version + 1
	w.fb.Version = ev.Seq
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ApplyFeedbackEvent,
		activities.FeedbackEvent{Feedback: w.fb, Event: ev}).Get(ctx, nil); err != nil {
		return ev, err
	}
	return ev, w.publish(ctx)
}

// escalate marks unanswered feedback overdue and tells the supervisors.
func (w *feedbackWorkflow) escalate(ctx workflow.Context) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	now := workflow.Now(ctx)
	kind, ok := feedback.Overdue(&w.fb, now)
	if !ok {
		return nil
	}
	payload, err := json.Marshal(map[string]any{"respond_by": w.fb.RespondBy})
	if err != nil {
		return err
	}
	if _, err := w.commit(ctx, complaint.Event{Kind: kind, Actor: feedbackSystemActor, Payload: payload,
		OccurredAt: now}); err != nil {
		return err
	}
	w.notify(complaint.NotificationFeedbackOverdue, feedback.OverdueRecipients(w.fb), w.fb.RespondBy, now)
	return nil
}

// notify records a notice in the outbox (keyed by the feedback's number
// and the kind) and delivers it apart, off the lock.
func (w *feedbackWorkflow) notify(kind string, to []activities.Recipient, due, now time.Time) {
	notice := activities.NotifyInput{CaseNumber: w.fb.Number, Kind: kind, Level: 1, DueAt: due, At: now,
		Recipients: to, Facts: feedback.Facts(w.fb)}
	notifyApart(w.root, &w.pending, notice)
}

// publish keeps the search attributes (the department it is routed to, as
// OwnerDepartment) and the Web UI's details in step.
func (w *feedbackWorkflow) publish(ctx workflow.Context) error {
	fb := w.fb
	updates := []temporal.SearchAttributeUpdate{OwnerDepartmentKey.ValueSet([]string{fb.RoutedTo})}
	if key := searchAttributesKey(updates); key != w.published {
		if err := workflow.UpsertTypedSearchAttributes(ctx, updates...); err != nil {
			return err
		}
		w.published = key
	}
	details := fmt.Sprintf("**%s** · %s for %s · respond by %s\n\nstage: **%s**", fb.Number, fb.Kind, fb.RoutedTo,
		fb.RespondBy.Format(time.RFC3339), fb.Stage)
	if fb.Overdue {
		details += " · overdue"
	}
	workflow.SetCurrentDetails(ctx, details)
	return nil
}
