package workflows

import (
	"encoding/json"
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Update names of the service-level steps.
const (
	UpdateOnsite  = "onsite"
	UpdatePause   = "pause"
	UpdateResume  = "resume"
	UpdateInterim = "interim"
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

// warningRecipients are whom a warning reaches: after-sales, and the
// engineer assigned to the case or, while none is, the engineers of the
// department responsible (after-sales before analysis).
func (w *complaintWorkflow) warningRecipients() []activities.Recipient {
	if w.state.AssignedEngineer != "" {
		return append(w.resolve([]sla.Recipient{{Role: "agent", Department: "after_sales"}}),
			activities.Recipient{UserID: w.state.AssignedEngineer})
	}
	return w.resolve([]sla.Recipient{{Role: "agent", Department: "after_sales"}, {Role: "engineer", Department: "responsible"}})
}

func (w *complaintWorkflow) setClockStepHandlers(ctx workflow.Context) error {
	for _, err := range []error{
		setStep(ctx, w, UpdateOnsite, nil, w.applyOnsite),
		setStep(ctx, w, UpdatePause, nil, w.applyPause),
		setStep(ctx, w, UpdateResume, nil, w.applyResume),
		setStep(ctx, w, UpdateInterim, nil, w.applyInterim),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

func (w *complaintWorkflow) applyOnsite(_ OnsiteRequest, now time.Time) string {
	w.stopClock(w.clock(sla.Onsite), now)
	return complaint.EventOnsite
}

func (w *complaintWorkflow) applyPause(s PauseRequest, now time.Time) string {
	w.pauseClock(w.clock(sla.Resolution), now)
	w.state.Paused = &complaint.Pause{Reason: s.Body.Reason, By: s.Actor, Since: now}
	return complaint.EventPaused
}

func (w *complaintWorkflow) applyResume(_ ResumeRequest, now time.Time) string {
	w.resumeClock(w.clock(sla.Resolution), now)
	w.state.Paused = nil
	return complaint.EventResumed
}

func (w *complaintWorkflow) applyInterim(s InterimRequest, now time.Time) string {
	w.state.Interim = &complaint.Interim{Kind: s.Body.Kind, Description: s.Body.Description, By: s.Actor, At: now}
	w.clock(sla.Resolution).changes++ // ends its escalation
	return complaint.EventInterim
}

// clockSteps are the service-level steps a case takes now.
func clockSteps(c complaint.Case) []string {
	if c.Clocks == nil || c.Stage == complaint.StageClosed {
		return nil
	}
	var steps []string
	if open(c.Clocks.Onsite) {
		steps = append(steps, UpdateOnsite)
	}
	switch {
	case c.Paused != nil:
		steps = append(steps, UpdateResume)
	case c.Clocks.Resolution.State == complaint.ClockRunning:
		steps = append(steps, UpdatePause)
	}
	// An interim solution is owed while the late case is not yet resolved.
	if c.InterimRequired && c.Interim == nil && c.Clocks.Resolution.StoppedAt == nil {
		steps = append(steps, UpdateInterim)
	}
	return steps
}

// open reports whether a clock still runs (on time or late).
func open(c complaint.Clock) bool {
	return c.StoppedAt == nil && (c.State == complaint.ClockRunning || c.State == complaint.ClockBreached)
}

// fire records a clock's warning, breach or escalation, and any later ones
// already due (a breach and its first escalation fall together): first the
// notifications (through the outbox), so that they go out as early as they
// can, then the timeline events. It runs under the steps' lock.
func (w *complaintWorkflow) fire(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	if err := w.lock.Lock(ctx); err != nil {
		return err
	}
	defer w.lock.Unlock()
	return w.fireLocked(ctx, c, ev)
}

// fireLocked is fire for a caller that holds the lock.
func (w *complaintWorkflow) fireLocked(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	// A step may have moved the clock while this waited for the lock.
	if cur := w.next(c); cur.kind != ev.kind || cur.level != ev.level || !cur.at.Equal(ev.at) {
		return nil
	}
	if workflow.GetVersion(ctx, fireOnceChangeID, workflow.DefaultVersion, fireOnceVersion) == fireOnceVersion {
		return w.fireOnce(ctx, c, ev)
	}
	return w.fireInPlace(ctx, c, ev)
}

// fireInPlace is fire before fireOnceVersion, kept for the cases that ran
// it: it changes the clock before its writes, delivers under the lock until
// delivery succeeds, and gives up on the first failed write.
func (w *complaintWorkflow) fireInPlace(ctx workflow.Context, c *clockRun, ev clockEvent) error {
	now := workflow.Now(ctx)
	var events []complaint.Event
	for ev.kind != "" && !ev.at.After(now) {
		kind, err := w.apply(ctx, c, ev, now)
		if err != nil {
			return err
		}
		payload, _ := json.Marshal(map[string]any{"clock": c.name, "level": ev.level, "due_at": c.due})
		events = append(events, complaint.Event{Kind: kind, Actor: systemActor, Payload: payload, OccurredAt: now})
		ev = w.next(c)
	}
	return w.commitClockEvents(ctx, events)
}

// commitClockEvents records the clocks' events like commit records a step,
// but in one local activity: at a deadline the whole change is one workflow
// task, which keeps escalations on time when many deadlines coincide. Only
// fireInPlace uses it.
func (w *complaintWorkflow) commitClockEvents(ctx workflow.Context, events []complaint.Event) error {
	for i := range events {
		w.state.Version++
		events[i].Seq = w.state.Version
	}
	w.refreshClocks()
	w.state.AllowedSteps = allowedSteps(w.state)
	if err := workflow.ExecuteLocalActivity(recordContext(ctx), acts.ApplyEvents,
		activities.CaseEvents{Case: w.state, Events: events}).Get(ctx, nil); err != nil {
		return fmt.Errorf("apply clock events: %w", err)
	}
	return w.publish(ctx)
}

// apply changes the clock for one event, notifies its recipients, and names
// the timeline event (fireInPlace).
func (w *complaintWorkflow) apply(ctx workflow.Context, c *clockRun, ev clockEvent, now time.Time) (string, error) {
	var kind string
	var recipients []activities.Recipient
	switch ev.kind {
	case "warning":
		c.warnings++
		kind, recipients = complaint.EventClockWarning, w.warningRecipients()
	case eventBreach:
		c.breachedAt = c.due
		if c.name == sla.Resolution {
			w.state.InterimRequired = true
		}
		kind = complaint.EventClockBreached
	default:
		c.escalations++
		kind, recipients = complaint.EventClockEscalated, w.resolve(w.policy.Escalation[c.escalations-1].Recipients)
	}
	if len(recipients) == 0 {
		return kind, nil
	}
	in := activities.NotifyInput{
		ComplaintID: w.state.ID, CaseNumber: w.state.CaseNumber, Clock: c.name, Kind: ev.kind, Level: ev.level,
		DueAt: c.due, At: now, Recipients: recipients,
	}
	// Recorded in the outbox within this workflow task, delivered after
	// when a channel is configured.
	var deliver bool
	if err := workflow.ExecuteLocalActivity(recordContext(ctx), acts.RecordNotifications, in).Get(ctx, &deliver); err != nil {
		return kind, err
	}
	if !deliver {
		return kind, nil
	}
	return kind, workflow.ExecuteActivity(notifyContext(ctx), acts.DeliverNotifications, in).Get(ctx, nil)
}

// resolve turns the policy's "responsible" department into the case's.
func (w *complaintWorkflow) resolve(recipients []sla.Recipient) []activities.Recipient {
	out := make([]activities.Recipient, len(recipients))
	for i, r := range recipients {
		dept := r.Department
		if dept == "responsible" {
			dept = w.state.ResponsibleDepartment
			if dept == "" {
				dept = complaint.DepartmentAfterSales
			}
		}
		out[i] = activities.Recipient{Role: r.Role, Department: dept}
	}
	return out
}

// refreshClocks writes the clocks' state into the case view.
func (w *complaintWorkflow) refreshClocks() {
	if w.state.Clocks == nil {
		return
	}
	*w.state.Clocks = w.clocksView(w.clock)
}

// clocksView is the case view of the clocks that clock names.
func (w *complaintWorkflow) clocksView(clock func(name string) *clockRun) complaint.Clocks {
	view := func(c *clockRun) complaint.Clock {
		v := complaint.Clock{PausedSeconds: int64(c.paused / time.Second), WarningsSent: c.warnings, EscalationLevel: c.escalations}
		switch {
		case !c.required:
			v.State = complaint.ClockNotRequired
			return v
		case c.breached():
			v.State = complaint.ClockBreached
			v.BreachedAt = new(c.breachedAt)
		case c.stopped():
			v.State = complaint.ClockMet
		case c.running():
			v.State = complaint.ClockRunning
		default:
			v.State = complaint.ClockPaused
		}
		if !c.due.IsZero() {
			v.DueAt = new(c.due)
		}
		if c.stopped() {
			v.StoppedAt = new(c.stoppedAt)
		}
		return v
	}
	return complaint.Clocks{
		Response: view(clock(sla.Response)), Onsite: view(clock(sla.Onsite)), Resolution: view(clock(sla.Resolution)),
	}
}

// clockSearchAttributes are the clocks' search attributes, so supervisors
// filter "due within the hour" or "breached" in the Web UI.
func (w *complaintWorkflow) clockSearchAttributes() []temporal.SearchAttributeUpdate {
	if w.state.Clocks == nil {
		return nil
	}
	due := func(key temporal.SearchAttributeKeyTime, c complaint.Clock) temporal.SearchAttributeUpdate {
		if c.DueAt == nil || c.StoppedAt != nil {
			return key.ValueUnset()
		}
		return key.ValueSet(*c.DueAt)
	}
	cl := w.state.Clocks
	breached, atRisk := false, false
	for _, c := range []complaint.Clock{cl.Response, cl.Onsite, cl.Resolution} {
		breached = breached || c.State == complaint.ClockBreached
		atRisk = atRisk || (c.State == complaint.ClockRunning && c.WarningsSent > 0)
	}
	return []temporal.SearchAttributeUpdate{
		due(ResponseDueAtKey, cl.Response), due(OnsiteDueAtKey, cl.Onsite), due(ResolveDueAtKey, cl.Resolution),
		SLABreachedKey.ValueSet(breached), AtRiskKey.ValueSet(atRisk),
	}
}

// recordContext sets the options of the clocks' writes, local activities.
// A local activity's ScheduleToCloseTimeout defaults to its
// StartToCloseTimeout (go.temporal.io/sdk internal/internal_activity.go,
// getValidatedLocalActivityOptions), retries included: with only a 5 s
// StartToClose, an outage of more than a few seconds failed the write for
// good. So the budget is explicit and short, three attempts within 10 s, to
// ride over a blip inside the workflow task; past it fireOnce retries on a
// durable timer.
func recordContext(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout:    5 * time.Second,
		ScheduleToCloseTimeout: 10 * time.Second,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
			MaximumAttempts:    3,
		},
	})
}

// notifyContext sets the options of fireInPlace's delivery: retried with
// backoff until it succeeds; the outbox keeps it exactly once.
func notifyContext(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}
