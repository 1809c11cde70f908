package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
)

// The monthly review [3.(4)] is a workflow per month, review-<yyyy-mm>,
// started by its schedule on the first of the next month or on demand. It
// computes and stores the figures, tells each department's supervisor, and
// waits for their accountability decisions, reminding those who have not
// decided every week; it closes once all have.

var (
	// UpdateReviewReady answers with the review once it is stored; the API
	// sends it with the workflow's start (update-with-start).
	UpdateReviewReady = UpdateNoArg[review.Review]{Name: "review-ready"}
	// QueryReview answers with the review as the workflow holds it.
	QueryReview = Query[review.Review]{Name: "review"}
	// UpdateReviewDecision records a department's decision.
	UpdateReviewDecision = Update[ReviewDecisionRequest, review.Review]{Name: "decide"}
)

// ReviewDecisionRequest is a decision, with the supervisor who took it,
// signed by the API.
type ReviewDecisionRequest = Step[complaint.AccountabilityDecision]

// ReviewInput starts a month's review: the month, and the company's time
// zone ("" asks the worker's).
type ReviewInput struct {
	Month    string `json:"month"`
	TimeZone string `json:"time_zone,omitempty"`
}

// ReviewSummary is the one-line static summary of the Web UI's list.
func ReviewSummary(in ReviewInput) string { return "Monthly review of " + in.Month }

// reviewActor is the actor of the review's own notices.
var reviewActor = complaint.Actor{UserID: "caseflow", Name: "monthly review"}

// MonthlyReviewWorkflow runs one month's review until every department
// has decided.
func MonthlyReviewWorkflow(ctx workflow.Context, in ReviewInput) (review.Review, error) {
	w := &reviewWorkflow{lock: workflow.NewMutex(ctx)}
	return w.run(ctx, in)
}

type reviewWorkflow struct {
	review review.Review
	runOf  activities.ReviewRun
	ready  bool
	// closing is set once every department has decided: later decisions
	// are refused by the validator, so none is accepted and then dropped
	// when the workflow completes.
	closing bool
	lock    workflow.Mutex
}

func (w *reviewWorkflow) run(ctx workflow.Context, in ReviewInput) (review.Review, error) {
	if _, err := review.ParseMonth(in.Month); err != nil {
		return w.review, temporal.NewNonRetryableApplicationError(err.Error(), ErrTypeInvalid, nil)
	}
	if in.TimeZone == "" {
		if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.CompanyTimeZone).Get(ctx,
			&in.TimeZone); err != nil {
			return w.review, err
		}
	}
	w.runOf = activities.ReviewRun{Month: in.Month, TimeZone: in.TimeZone}
	if err := w.setHandlers(ctx); err != nil {
		return w.review, err
	}
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.ComputeReview, w.runOf).Get(ctx, &w.review); err != nil {
		return w.review, fmt.Errorf("compute review: %w", err)
	}
	w.ready = true
	workflow.SetCurrentDetails(ctx, w.details())
	if w.review.State == complaint.ReviewClosed {
		return w.review, nil
	}
	w.notify(ctx, complaint.NotificationReviewReady, 0, review.Undecided(w.review))
	for week := 1; ; week++ {
		timerCtx, cancel := workflow.WithCancel(ctx)
		timer := workflow.NewTimerWithOptions(timerCtx, review.ReminderPeriod,
			workflow.TimerOptions{Summary: fmt.Sprintf("reminder %d of the %s review", week, in.Month)})
		fired := false
		workflow.Go(ctx, func(ctx workflow.Context) { fired = timer.Get(ctx, nil) == nil })
		if err := workflow.Await(ctx, func() bool { return fired || len(review.Undecided(w.review)) == 0 }); err != nil {
			cancel()
			return w.review, err
		}
		cancel()
		if len(review.Undecided(w.review)) == 0 {
			break
		}
		w.notify(ctx, complaint.NotificationReviewReminder, week, review.Undecided(w.review))
	}
	w.closing = true
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return w.review, err
	}
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.CloseReview, w.runOf).Get(ctx, nil); err != nil {
		return w.review, err
	}
	w.review.State = complaint.ReviewClosed
	now := workflow.Now(ctx)
	w.review.ClosedAt = &now
	workflow.SetCurrentDetails(ctx, w.details())
	return w.review, nil
}

func (w *reviewWorkflow) setHandlers(ctx workflow.Context) error {
	return errors.Join(
		QueryReview.Handle(ctx, func() (review.Review, error) { return w.review, nil }),
		UpdateReviewReady.Handle(ctx, func(ctx workflow.Context) (review.Review, error) {
			if err := workflow.Await(ctx, func() bool { return w.ready }); err != nil {
				return review.Review{}, err
			}
			return w.review, nil
		}, nil),
		UpdateReviewDecision.Handle(ctx, w.decide, w.validateDecision),
	)
}

func (w *reviewWorkflow) validateDecision(ctx workflow.Context, s ReviewDecisionRequest) error {
	if err := verifyStep(ctx, UpdateReviewDecision.Name, s); err != nil {
		return err
	}
	if !w.ready {
		return nil // the handler waits for the review and checks then
	}
	return w.check(s)
}

func (w *reviewWorkflow) check(s ReviewDecisionRequest) error {
	if w.closing {
		return refusal("the review of "+w.runOf.Month+" is closing: every department has decided",
			ErrTypeWrongStage, complaint.StageConflict{Stage: complaint.Stage(complaint.ReviewClosed), AllowedSteps: []string{}})
	}
	return refusalError(review.CheckDecision(w.review, s.Actor, s.Body.Department, s.Body.AccountabilityBody))
}

// decide records the decision in the store under the lock and answers the
// review after it.
func (w *reviewWorkflow) decide(ctx workflow.Context, s ReviewDecisionRequest) (review.Review, error) {
	if err := workflow.Await(ctx, func() bool { return w.ready }); err != nil {
		return review.Review{}, err
	}
	if err := w.lock.Lock(ctx); err != nil {
		return review.Review{}, err
	}
	defer w.lock.Unlock()
	if err := w.check(s); err != nil {
		return review.Review{}, err
	}
	in := activities.ReviewDecision{Month: w.runOf.Month, Decision: s.Body, By: s.Actor, At: workflow.Now(ctx)}
	var after review.Review
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.DecideAccountability, in).Get(ctx, &after); err != nil {
		return review.Review{}, err
	}
	w.review = after
	workflow.SetCurrentDetails(ctx, w.details())
	return after, nil
}

// notify tells the supervisors of the departments listed, recorded in the
// outbox (keyed by the review, the kind and the week) and delivered apart.
func (w *reviewWorkflow) notify(ctx workflow.Context, kind string, week int, departments []string) {
	notice := activities.NotifyInput{CaseNumber: complaint.ReviewWorkflowID(w.runOf.Month), Kind: kind, Level: week,
		At: workflow.Now(ctx), Recipients: review.NoticeRecipients(departments),
		Facts: map[string]string{"month": w.runOf.Month, "cases": fmt.Sprint(w.review.Cases)}}
	notifyApart(ctx, nil, notice)
}

func (w *reviewWorkflow) details() string {
	r := w.review
	return fmt.Sprintf("**review %s** · %d cases · %s · %d of %d departments decided", r.Month, r.Cases, r.State,
		len(r.Accountability)-len(review.Undecided(r)), len(r.Accountability))
}

// ScheduledReviewWorkflow is what the review's schedule starts on the first
// of each month: the review of the month before, in the company's zone, as
// a workflow of its own (review-<yyyy-mm>) that outlives this one; a month
// already reviewed on demand is left as it is.
func ScheduledReviewWorkflow(ctx workflow.Context) (string, error) {
	var tz string
	if err := workflow.ExecuteLocalActivity(registerLocalContext(ctx), acts.CompanyTimeZone).Get(ctx, &tz); err != nil {
		return "", err
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return "", temporal.NewNonRetryableApplicationError("unknown time zone "+tz, ErrTypeInvalid, err)
	}
	month := review.PreviousMonth(workflow.Now(ctx), loc)
	return month, startReview(ctx, ReviewInput{Month: month, TimeZone: tz})
}
