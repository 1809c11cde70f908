package followup

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// Alarm is what an open follow-up's clock owes next: the reminder, then
// the overdue escalation.
type Alarm struct {
	Kind string // complaint.NotificationFollowupDueSoon or NotificationFollowupOverdue
	At   time.Time
}

// NextAlarm is the alarm f owes after sentReminder, ok false when it owes
// none: it is not open, or it is overdue already. A reminder whose instant
// passed before it was opened (due within the lead) is not owed.
func NextAlarm(f complaint.Followup, sentReminder bool, lead time.Duration) (Alarm, bool) {
	if f.Stage != complaint.FollowupOpen || f.Overdue {
		return Alarm{}, false
	}
	if at := f.DueAt.Add(-lead); !sentReminder && !at.Before(f.OpenedAt) {
		return Alarm{Kind: complaint.NotificationFollowupDueSoon, At: at}, true
	}
	return Alarm{Kind: complaint.NotificationFollowupOverdue, At: f.DueAt}, true
}

// Ring records what an alarm does and names its event: the escalation
// marks f overdue; the reminder changes nothing.
func Ring(f *complaint.Followup, a Alarm, now time.Time) string {
	if a.Kind == complaint.NotificationFollowupOverdue {
		f.Overdue = true
		f.UpdatedAt = now
		return complaint.EventFollowupOverdue
	}
	return complaint.EventFollowupDueSoon
}

// AlarmRecipients are whom an alarm reaches: the reminder its owner (or,
// with none named, its department's agents), the escalation the
// after-sales supervisors.
func AlarmRecipients(f complaint.Followup, kind string) []rules.Recipient {
	if kind == complaint.NotificationFollowupOverdue {
		return []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}}
	}
	if f.Owner != "" {
		return []rules.Recipient{{UserID: f.Owner}}
	}
	return []rules.Recipient{{Role: complaint.RoleAgent, Department: f.OwnerDepartment}}
}

// Facts are what a follow-up's notices tell: its id, kind, due time and
// the ids it is about (never a person's name or phone).
func Facts(f complaint.Followup) map[string]string {
	facts := map[string]string{"followup": f.ID, "kind": f.Kind, "due_at": f.DueAt.Format(time.RFC3339),
		"customer_id": f.CustomerID}
	if f.ComplaintID != "" {
		facts["complaint_id"] = f.ComplaintID
	}
	if f.Serial != "" {
		facts["serial"] = f.Serial
	}
	return facts
}
