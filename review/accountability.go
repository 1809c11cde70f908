package review

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// ReminderPeriod is how often a review open past it reminds the
// departments that have not decided.
const ReminderPeriod = 7 * 24 * time.Hour

// MayDecide reports whether the actor may record department's decision: a
// supervisor of that very department [3.(4)].
func MayDecide(a complaint.Actor, department string) bool {
	return a.Department == department && a.HasRole(complaint.RoleSupervisor)
}

// CheckDecision refuses a decision the review does not take: a closed
// review (WrongStage), another department's supervisor (Forbidden), an
// unknown department or a body that breaks its rules (Invalid, naming the
// field).
func CheckDecision(r Review, a complaint.Actor, department string, b complaint.AccountabilityBody) error {
	if r.State == complaint.ReviewClosed {
		return &rules.Refusal{Kind: rules.WrongStage, Message: "the review of " + r.Month + " is closed",
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(r.State), AllowedSteps: []string{}}}
	}
	if !slices.ContainsFunc(r.Accountability, func(row Accountability) bool { return row.Department == department }) {
		return &rules.Refusal{Kind: rules.Invalid, Message: "no such department in the review",
			Fields: map[string]string{"department": "must be one of " + fmt.Sprint(complaint.Departments())}}
	}
	if !MayDecide(a, department) {
		return &rules.Refusal{Kind: rules.Forbidden,
			Message: fmt.Sprintf("only a supervisor of %s decides its accountability", department)}
	}
	if problems := complaint.BodyProblems(b); len(problems) > 0 {
		return &rules.Refusal{Kind: rules.Invalid, Message: "the body has invalid fields", Fields: problems}
	}
	return nil
}

// Undecided lists the departments whose decision is still owed.
func Undecided(r Review) []string {
	var out []string
	for _, row := range r.Accountability {
		if row.Decision == "" {
			out = append(out, row.Department)
		}
	}
	return out
}

// NoticeRecipients are whom a review notice reaches: the supervisors of
// each department listed.
func NoticeRecipients(departments []string) []rules.Recipient {
	out := make([]rules.Recipient, 0, len(departments))
	for _, d := range departments {
		out = append(out, rules.Recipient{Role: complaint.RoleSupervisor, Department: d})
	}
	return out
}
