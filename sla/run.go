package sla

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Run is one clock of one case as it runs under a policy. Its target counts
// calendar time: elapsed counts only open hours, and a pause adds nothing to
// it. The workflow keeps a case's runs; the arithmetic is here, free of
// Temporal, so tables can test it.
type Run struct {
	Name     string
	Target   time.Duration
	Required bool
	// RunningSince is when the clock last started or resumed; zero while
	// paused or stopped. Elapsed is the calendar time run before it.
	RunningSince time.Time
	Elapsed      time.Duration
	PausedSince  time.Time
	Paused       time.Duration
	Due          time.Time // while running
	StoppedAt    time.Time
	BreachedAt   time.Time
	Warnings     int // warnings sent
	Escalations  int // escalation levels sent
	// Changes counts state changes, so a timer waiting on the clock wakes.
	Changes int
}

// ResponsibleDepartment, as a recipient's department, is the case's
// responsible department (after-sales until analysis names one).
const ResponsibleDepartment = "responsible"

// AssignedEngineers in a recipient stands for the engineers assigned to
// the case (those of the responsible department while none is).
const AssignedEngineers = "assigned"

// Kinds of Event: what a clock does next.
const (
	EventWarning    = complaint.NotificationWarning
	EventBreach     = "breach"
	EventEscalation = complaint.NotificationEscalation
)

// Event is what a clock does next; a zero Kind means nothing.
type Event struct {
	Kind  string
	Level int // 1-based, for warnings and escalations
	At    time.Time
}

// NewRun is a clock that has not started, with its target from p.
func NewRun(p Policy, name string, required bool) *Run {
	return &Run{Name: name, Target: p.Target(name), Required: required}
}

func (r *Run) Running() bool  { return !r.RunningSince.IsZero() }
func (r *Run) Stopped() bool  { return !r.StoppedAt.IsZero() }
func (r *Run) Breached() bool { return !r.BreachedAt.IsZero() }

// Start (re)starts the clock at t and computes its deadline from what is
// left of the target.
func (r *Run) Start(p Policy, t time.Time) {
	r.RunningSince = t
	r.Due = p.CalendarAdd(t, r.Target-r.Elapsed)
	r.Changes++
}

// Stop stops the clock for good at t (the step that meets it); it reports
// whether the clock was open until then.
func (r *Run) Stop(p Policy, t time.Time) bool {
	if r.Stopped() || !r.Required {
		return false
	}
	if r.Running() {
		r.Elapsed += p.CalendarElapsed(r.RunningSince, t)
		r.RunningSince = time.Time{}
	} else if !r.PausedSince.IsZero() {
		// Stopped while paused: the pause ends here and counts as paused.
		r.Paused += p.CalendarElapsed(r.PausedSince, t)
		r.PausedSince = time.Time{}
	}
	r.StoppedAt = t
	r.Changes++
	return true
}

// Pause stands the clock still at t, keeping the time it has run.
func (r *Run) Pause(p Policy, t time.Time) {
	r.Elapsed += p.CalendarElapsed(r.RunningSince, t)
	r.RunningSince, r.Due, r.PausedSince = time.Time{}, time.Time{}, t
	r.Changes++
}

// Resume runs a paused clock again from t, with the pause counted apart.
func (r *Run) Resume(p Policy, t time.Time) {
	r.Paused += p.CalendarElapsed(r.PausedSince, t)
	r.PausedSince = time.Time{}
	r.Start(p, t)
}

// Require starts the clock from received or drops it, when a case comes to
// need it or no longer does (confirm decides whether a visit is needed). A
// stopped clock keeps what it had.
func (r *Run) Require(p Policy, needed bool, received time.Time) {
	if r.Required == needed || r.Stopped() {
		return
	}
	r.Required = needed
	if needed {
		r.Start(p, received)
		return
	}
	r.RunningSince, r.Due = time.Time{}, time.Time{}
	r.Changes++
}

// Next says what the clock does next under p, from its state alone:
// warnings at the policy's points before the deadline, the breach at it,
// then the escalation levels counted from the breach. Escalation ends when
// the clock stops or, past the resolution deadline, once interim relief
// is given.
func (r *Run) Next(p Policy, interimGiven bool) Event {
	if !r.Required || r.Stopped() {
		return Event{}
	}
	if !r.Breached() {
		if !r.Running() {
			return Event{} // paused
		}
		points := p.WarningPoints
		if r.Warnings < len(points) {
			at := time.Duration(points[r.Warnings] * float64(r.Target))
			warnAt := r.RunningSince
			if at > r.Elapsed {
				warnAt = p.CalendarAdd(r.RunningSince, at-r.Elapsed)
			}
			if warnAt.Before(r.Due) {
				return Event{Kind: EventWarning, Level: r.Warnings + 1, At: warnAt}
			}
		}
		return Event{Kind: EventBreach, At: r.Due}
	}
	if r.Name == Resolution && interimGiven {
		return Event{}
	}
	if r.Escalations < len(p.Escalation) {
		l := p.Escalation[r.Escalations]
		return Event{Kind: EventEscalation, Level: l.Level, At: r.BreachedAt.Add(time.Duration(l.After))}
	}
	return Event{}
}

// Pass moves the clock past ev, once it is recorded.
func (r *Run) Pass(ev Event) {
	switch ev.Kind {
	case EventWarning:
		r.Warnings++
	case EventBreach:
		r.BreachedAt = r.Due
	case EventEscalation:
		r.Escalations++
	}
}

// View is the clock as a case shows it.
func (r *Run) View() complaint.Clock {
	v := complaint.Clock{PausedSeconds: int64(r.Paused / time.Second), WarningsSent: r.Warnings, EscalationLevel: r.Escalations}
	switch {
	case !r.Required:
		v.State = complaint.ClockNotRequired
		return v
	case r.Breached():
		v.State = complaint.ClockBreached
		v.BreachedAt = new(r.BreachedAt)
	case r.Stopped():
		v.State = complaint.ClockMet
	case r.Running():
		v.State = complaint.ClockRunning
	default:
		v.State = complaint.ClockPaused
	}
	if !r.Due.IsZero() {
		v.DueAt = new(r.Due)
	}
	if r.Stopped() {
		v.StoppedAt = new(r.StoppedAt)
	}
	return v
}

// CalendarAdd is t plus d of open time. The policy was validated before it
// was stored; a calendar with no opening left falls back to absolute time
// rather than never firing.
func (p Policy) CalendarAdd(t time.Time, d time.Duration) time.Time {
	due, err := p.Calendar.Add(t, d)
	if err != nil {
		return t.Add(d)
	}
	return due
}

// CalendarElapsed is the open time between from and to, or the absolute
// time when the calendar cannot say.
func (p Policy) CalendarElapsed(from, to time.Time) time.Duration {
	d, err := p.Calendar.Elapsed(from, to)
	if err != nil {
		return to.Sub(from)
	}
	return d
}
