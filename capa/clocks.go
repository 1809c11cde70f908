package capa

import (
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// ReminderDays is how many days before its due date the owner department
// is reminded of an open action.
const ReminderDays = 3

// The instants of an open action's clock: the reminder at the start of the
// day ReminderDays before the due date, and the overdue escalation at the
// end of the due day, both in the company's zone.
func ReminderAt(c complaint.Capa, loc *time.Location) time.Time {
	return dueDay(c, loc).AddDate(0, 0, -ReminderDays)
}

// OverdueAt is when an action not yet done becomes overdue: the end of its
// due day in the company's zone.
func OverdueAt(c complaint.Capa, loc *time.Location) time.Time {
	return dueDay(c, loc).AddDate(0, 0, 1)
}

func dueDay(c complaint.Capa, loc *time.Location) time.Time {
	day, err := time.ParseInLocation(time.DateOnly, c.DueDate, loc)
	if err != nil {
		return time.Time{} // Open and verify accept only dates
	}
	return day
}

func startOfDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// CheckAt is when a done action's effectiveness is checked: its
// effectiveness period after the report.
func CheckAt(c complaint.Capa) time.Time {
	if c.Done == nil {
		return time.Time{}
	}
	return c.Done.At.Add(time.Duration(c.EffectivenessDays) * 24 * time.Hour)
}

// Alarm is what an open action's clock owes next: a reminder, then the
// overdue escalation.
type Alarm struct {
	Kind string // complaint.NotificationCapaDueSoon or NotificationCapaOverdue
	At   time.Time
}

// NextAlarm is the alarm an action owes after sent (the kinds already sent
// in this round), ok false when it owes none: it is not open, or both went
// out. A reminder whose instant passed before the action was opened (a due
// date within ReminderDays) is not owed.
func NextAlarm(c complaint.Capa, sentReminder bool, loc *time.Location) (Alarm, bool) {
	if c.Stage != complaint.CapaOpen || c.Overdue {
		return Alarm{}, false
	}
	if at := ReminderAt(c, loc); !sentReminder && !at.Before(c.RoundStartedAt) {
		return Alarm{Kind: complaint.NotificationCapaDueSoon, At: at}, true
	}
	return Alarm{Kind: complaint.NotificationCapaOverdue, At: OverdueAt(c, loc)}, true
}

// Ring records what an alarm does to the action and names its event: the
// overdue escalation marks it overdue; the reminder changes nothing.
func Ring(c *complaint.Capa, a Alarm, now time.Time) string {
	if a.Kind == complaint.NotificationCapaOverdue {
		c.Overdue = true
		c.UpdatedAt = now
		return complaint.EventCapaOverdue
	}
	return complaint.EventCapaDueSoon
}

// StartVerifying moves a done action whose check date has come into
// verifying, and names the event; ok false when it is not done.
func StartVerifying(c *complaint.Capa, now time.Time) (string, bool) {
	if c.Stage != complaint.CapaDone {
		return "", false
	}
	c.Stage = complaint.CapaVerifying
	c.AllowedSteps = AllowedSteps(*c)
	c.UpdatedAt = now
	return complaint.EventCapaVerifying, true
}

// AlarmRecipients are whom an alarm reaches: the reminder the owner
// department's agents (and the named owner), the escalation its
// supervisors.
func AlarmRecipients(c complaint.Capa, kind string) []rules.Recipient {
	if kind == complaint.NotificationCapaOverdue {
		return []rules.Recipient{{Role: complaint.RoleSupervisor, Department: c.OwnerDepartment}}
	}
	to := []rules.Recipient{{Role: complaint.RoleAgent, Department: c.OwnerDepartment}}
	if c.Owner != "" {
		to = append(to, rules.Recipient{UserID: c.Owner})
	}
	return to
}

// VerifyRecipients are whom the effectiveness check asks: after-sales and
// quality agents.
func VerifyRecipients() []rules.Recipient {
	return []rules.Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales},
		{Role: complaint.RoleAgent, Department: complaint.DepartmentQuality}}
}

// Facts are what a CAPA's notices tell: its number, owner department, due
// date and action (the action is the department's own text, not personal
// data).
func Facts(c complaint.Capa) map[string]string {
	return map[string]string{"capa": c.Number, "owner_department": c.OwnerDepartment, "due_date": c.DueDate,
		"round": strconv.Itoa(c.Round)}
}
