package rules

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Recipient is whom a clock's notification reaches: a user, or a role in a
// department.
type Recipient struct {
	UserID     string `json:"user_id,omitempty"`
	Role       string `json:"role,omitempty"`
	Department string `json:"department,omitempty"`
}

// Pass moves clock r and case c past the event ev, which is due, and names
// the timeline event and whom it notifies: a warning reaches after-sales
// and the engineers, a breach nobody yet (its first escalation level may
// fall at the same instant), an escalation its level's recipients. A
// breached resolution clock makes the case owe interim relief.
func Pass(p sla.Policy, r *sla.Run, c *complaint.Case, ev sla.Event) (kind string, to []Recipient) {
	r.Pass(ev)
	switch ev.Kind {
	case sla.EventWarning:
		return complaint.EventClockWarning, warningRecipients(*c)
	case sla.EventBreach:
		if r.Name == sla.Resolution {
			c.InterimRequired = true
		}
		return complaint.EventClockBreached, nil
	default:
		return complaint.EventClockEscalated, resolve(*c, p.Escalation[r.Escalations-1].Recipients)
	}
}

// warningRecipients are whom a warning reaches: after-sales, and the
// engineer assigned to the case or, while none is, the engineers of the
// department responsible (after-sales before analysis).
func warningRecipients(c complaint.Case) []Recipient {
	desk := sla.Recipient{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales}
	return resolve(c, []sla.Recipient{desk, {Role: complaint.RoleEngineer, Department: sla.AssignedEngineers}})
}

// engineerRecipients are the case's engineers, or while none is assigned
// the engineers of the department responsible (after-sales before
// analysis).
func engineerRecipients(c complaint.Case) []Recipient {
	var out []Recipient
	for _, e := range EngineersOf(c) {
		out = append(out, Recipient{UserID: e})
	}
	if len(out) > 0 {
		return out
	}
	return resolve(c, []sla.Recipient{{Role: complaint.RoleEngineer, Department: sla.ResponsibleDepartment}})
}

// resolve turns the policy's "responsible" department into the case's.
func resolve(c complaint.Case, recipients []sla.Recipient) []Recipient {
	out := make([]Recipient, 0, len(recipients))
	for _, r := range recipients {
		if r.Department == sla.AssignedEngineers {
			out = append(out, engineerRecipients(c)...)
			continue
		}
		dept := r.Department
		if dept == sla.ResponsibleDepartment {
			dept = c.ResponsibleDepartment
			if dept == "" {
				dept = complaint.DepartmentAfterSales
			}
		}
		out = append(out, Recipient{Role: r.Role, Department: dept})
	}
	return out
}

// RestoreRuns re-derives the clocks of a reopened case from its view. The
// rule: the time the workflow stood ended counts, since the customer kept
// waiting. A clock met, not required or breached keeps that state and the
// warnings and escalation levels already sent; a running clock keeps its
// deadline (one that passed meanwhile breaches as soon as the case is
// reopened); a paused resolution clock stays paused with the time it had
// run.
func (s *State) RestoreRuns(now time.Time) {
	views := map[string]complaint.Clock{sla.Response: s.Clocks.Response, sla.Onsite: s.Clocks.Onsite,
		sla.Resolution: s.Clocks.Resolution}
	s.Runs = nil
	for _, name := range []string{sla.Response, sla.Onsite, sla.Resolution} {
		v := views[name]
		r := sla.NewRun(s.Policy, name, v.State != complaint.ClockNotRequired)
		r.Warnings, r.Escalations = v.WarningsSent, v.EscalationLevel
		r.Paused = time.Duration(v.PausedSeconds) * time.Second
		if v.BreachedAt != nil {
			r.BreachedAt = *v.BreachedAt
		}
		switch {
		case !r.Required:
		case v.StoppedAt != nil:
			r.StoppedAt = *v.StoppedAt
		case v.State == complaint.ClockPaused:
			r.PausedSince = now
			if s.Paused != nil {
				r.PausedSince = s.Paused.Since
			}
			r.Elapsed = max(0, s.Policy.CalendarElapsed(s.ReceivedAt, r.PausedSince)-r.Paused)
		default: // running, or breached and escalating
			r.RunningSince = now
			r.Elapsed = max(0, s.Policy.CalendarElapsed(s.ReceivedAt, now)-r.Paused)
			if v.DueAt != nil {
				r.Due = *v.DueAt
			} else {
				r.Due = s.Policy.CalendarAdd(now, r.Target-r.Elapsed)
			}
		}
		s.Runs = append(s.Runs, r)
	}
	s.RefreshClocks()
}
