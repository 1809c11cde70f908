package rules

import (
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Dispatch names whom an open case that needs a visit has yet to send out
// [2.(5).2]: its engineers not yet dispatched or, while none is assigned,
// the engineers of the department responsible (after-sales before
// analysis). It marks them dispatched, so each hears of the case once.
func Dispatch(c *complaint.Case) []Recipient {
	if c.Stage == complaint.StageClosed || !c.OnsiteNeeded() {
		return nil
	}
	var out []Recipient
	for _, r := range engineerRecipients(*c) {
		key := r.key()
		if !slices.Contains(c.Dispatched, key) {
			c.Dispatched = append(c.Dispatched, key)
			out = append(out, r)
		}
	}
	return out
}

// key names a recipient in a case's list of those dispatched.
func (r Recipient) key() string {
	if r.UserID != "" {
		return r.UserID
	}
	return r.Role + "@" + r.Department
}

// DispatchFacts are what a dispatch tells the engineer: the customer, the
// site, the contact, the equipment and the on-site deadline.
func DispatchFacts(c complaint.Case) map[string]string {
	facts := map[string]string{"customer": c.CustomerName, "contact": c.ContactName, "phone": c.ContactPhone,
		"equipment": c.EquipmentSerial, "demand": c.CustomerDemand}
	if c.Customer != nil {
		facts["customer"] = c.Customer.Name
	}
	if c.Site != nil {
		facts["site"] = strings.TrimSpace(c.Site.Name + " " + c.Site.Address)
	}
	if c.Clocks != nil && c.Clocks.Onsite.DueAt != nil {
		facts["onsite_due"] = c.Clocks.Onsite.DueAt.Format(time.RFC3339)
	}
	for k, v := range facts {
		if v == "" {
			delete(facts, k)
		}
	}
	return facts
}

// RecordNotice is whom a visit's record clock tells, and of what: a warning
// reaches the visit's engineers, the escalation the supervisor of the
// department of the engineer who checked in (after-sales when unknown).
func RecordNotice(v complaint.Visit, kind string) []Recipient {
	if kind == complaint.NotificationWarning {
		out := make([]Recipient, len(v.Engineers))
		for i, e := range v.Engineers {
			out[i] = Recipient{UserID: e}
		}
		return out
	}
	dept := complaint.DepartmentAfterSales
	if v.CheckedInBy != nil && v.CheckedInBy.Department != "" {
		dept = v.CheckedInBy.Department
	}
	return []Recipient{{Role: complaint.RoleSupervisor, Department: dept}}
}

// ServiceRecordClock is the case view of the filing clock: the earliest
// record still owed after a check-out, nil when none is.
func ServiceRecordClock(c complaint.Case, now time.Time) *complaint.Clock {
	var due *complaint.Visit
	for i, v := range c.Visits {
		if v.State == complaint.VisitCheckedOut && v.RecordDueAt != nil && (due == nil || v.RecordDueAt.Before(*due.RecordDueAt)) {
			due = &c.Visits[i]
		}
	}
	if due == nil {
		return nil
	}
	clock := &complaint.Clock{DueAt: due.RecordDueAt, State: complaint.ClockRunning}
	if due.RecordWarned {
		clock.WarningsSent = 1
	}
	if due.RecordEscalated || !now.Before(*due.RecordDueAt) {
		clock.State, clock.BreachedAt = complaint.ClockBreached, due.RecordDueAt
	}
	if due.RecordEscalated {
		clock.EscalationLevel = 1
	}
	return clock
}
