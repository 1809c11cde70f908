package capa

import (
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The steps after opening.
var (
	Done   = Step[complaint.CapaDoneBody]{Name: complaint.CapaStepDone, Apply: applyDone}
	Verify = Step[complaint.CapaVerifyBody]{Name: complaint.CapaStepVerify, Check: checkVerify, Apply: applyVerify}
)

// Open is a new action as the actor opens it, in stage open, or the
// refusal: the actor may not open one (Forbidden), or the body breaks its
// rules or its due date has passed in the company's zone (Invalid, naming
// the field). A case's corrective-actions step opens one with the rights
// of that step (byCase), which the case's rules checked.
func Open(id string, a complaint.Actor, b complaint.CapaOpenBody, byCase bool, now time.Time,
	loc *time.Location,
) (complaint.Capa, error) {
	if !byCase && !granted(complaint.CapaStepOpen, a) {
		return complaint.Capa{}, &rules.Refusal{Kind: rules.Forbidden,
			Message: "only quality opens a corrective action on its own"}
	}
	if err := bodyProblems(b); err != nil {
		return complaint.Capa{}, err
	}
	// A case's step checked its due date by the case's rules, in UTC.
	if problem := dueDateProblem(b.DueDate, now, loc); problem != "" && !byCase {
		return complaint.Capa{}, invalidFields("the due date has passed", map[string]string{"due_date": problem})
	}
	days := complaint.DefaultEffectivenessDays
	if b.EffectivenessDays != nil {
		days = *b.EffectivenessDays
	}
	c := complaint.Capa{ID: id, Stage: complaint.CapaOpen, ComplaintIDs: slices.Clone(b.ComplaintIDs),
		PartNumber: b.PartNumber, RootCause: b.RootCause, Action: b.Action, OwnerDepartment: b.OwnerDepartment,
		Owner: b.Owner, DueDate: b.DueDate, EffectivenessDays: days, Round: 1, RoundStartedAt: now, OpenedBy: a,
		OpenedAt: now, UpdatedAt: now}
	c.AllowedSteps = AllowedSteps(c)
	return c, nil
}

// dueDateProblem refuses a due date before today in the company's zone.
func dueDateProblem(date string, now time.Time, loc *time.Location) string {
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return "must be a date (YYYY-MM-DD)"
	}
	if day.Before(startOfDay(now, loc)) {
		return "must not be in the past"
	}
	return ""
}

func applyDone(c *complaint.Capa, a complaint.Actor, b complaint.CapaDoneBody, now time.Time, _ *time.Location) string {
	c.Done = &complaint.CapaReport{Note: b.Note, Evidence: slices.Clone(b.Evidence), By: a, At: now}
	check := CheckAt(*c)
	c.CheckAt = &check
	c.Stage = complaint.CapaDone
	c.Overdue = false
	return complaint.EventCapaDone
}

// checkVerify refuses a new due date in the past for an ineffective verdict.
func checkVerify(_ *complaint.Capa, b complaint.CapaVerifyBody, now time.Time, loc *time.Location) error {
	if b.Result != complaint.VerdictIneffective {
		return nil
	}
	if problem := dueDateProblem(b.NewDueDate, now, loc); problem != "" {
		return invalidFields("the new due date has passed", map[string]string{"new_due_date": problem})
	}
	return nil
}

func applyVerify(c *complaint.Capa, a complaint.Actor, b complaint.CapaVerifyBody, now time.Time, _ *time.Location) string {
	v := complaint.CapaVerification{By: a, At: now, Result: b.Result, Note: b.Note}
	c.Verification = &v
	c.Verifications = append(c.Verifications, v)
	if b.Result == complaint.VerdictEffective {
		c.Stage = complaint.CapaEffective
		return complaint.EventCapaVerified
	}
	reopen(c, b.NewDueDate, now)
	return complaint.EventCapaVerified
}

// reopen starts a new round: the action is open again with a new due date,
// its report and check date of the last round kept only in the timeline.
func reopen(c *complaint.Capa, due string, now time.Time) {
	c.RoundStartedAt = now
	c.Stage = complaint.CapaOpen
	c.DueDate = due
	c.Round++
	c.Done = nil
	c.CheckAt = nil
	c.Overdue = false
}

// ReopenDays is how long a reopened action has when a recurrence, not a
// verdict with its own date, reopens it.
const ReopenDays = 30

// Recur records that a complaint came back on an action judged effective:
// the verdict becomes ineffective (by the system, naming the complaint) and
// the action is reopened, due ReopenDays after now in the company's zone.
// ok is false, and nothing changes, when the action is not effective (an
// open one is already being worked on) or already heard of caseNumber.
func Recur(c *complaint.Capa, caseNumber string, system complaint.Actor, now time.Time, loc *time.Location) (string, bool) {
	if c.Stage != complaint.CapaEffective || slices.Contains(c.Recurrences, caseNumber) {
		return "", false
	}
	c.Recurrences = append(c.Recurrences, caseNumber)
	v := complaint.CapaVerification{By: system, At: now, Result: complaint.VerdictIneffective,
		Note: "the complaint recurred: " + caseNumber, Recurrence: caseNumber}
	c.Verification = &v
	c.Verifications = append(c.Verifications, v)
	reopen(c, startOfDay(now, loc).AddDate(0, 0, ReopenDays).Format(time.DateOnly), now)
	c.AllowedSteps = AllowedSteps(*c)
	c.UpdatedAt = now
	return complaint.EventCapaReopened, true
}
