package rules

import (
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// RecurrenceWindow is how far back an earlier case makes a complaint a
// recurrence [3.(2).4]: the same part number, or the same equipment model
// and root cause, within 180 days.
const RecurrenceWindow = 180 * 24 * time.Hour

// RecurrenceLinks is how many of the earlier cases a recurrence names, the
// most recent: enough to follow the fault back, where a part that fails
// often would otherwise have every new complaint (its event, its notice,
// its workflow's state) carry the numbers of all the cases before it.
const RecurrenceLinks = 10

// MarkRecurrence records the earlier cases (by number) a complaint repeats
// and names the event; ok is false, and nothing changes, when none of them
// is new to the case.
func MarkRecurrence(s *State, caseNumbers []string) (fresh []string, ok bool) {
	for _, n := range caseNumbers {
		if n != "" && n != s.CaseNumber && !slices.Contains(s.RecurrenceOf, n) && !slices.Contains(fresh, n) {
			fresh = append(fresh, n)
		}
	}
	if len(fresh) == 0 {
		return nil, false
	}
	s.RecurrenceOf = append(s.RecurrenceOf, fresh...)
	return fresh, true
}

// RecurrenceRecipients are whom a recurrence tells: the owner departments
// of the earlier cases' corrective actions (their agents), and quality,
// which owns prevention.
func RecurrenceRecipients(ownerDepartments []string) []Recipient {
	to := []Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentQuality}}
	for _, d := range ownerDepartments {
		if d != complaint.DepartmentQuality && !slices.ContainsFunc(to, func(r Recipient) bool { return r.Department == d }) {
			to = append(to, Recipient{Role: complaint.RoleAgent, Department: d})
		}
	}
	return to
}
