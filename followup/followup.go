package followup

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

var (
	// The desks that call and visit customers: after-sales and the branch
	// offices [1.(1).G, 2.(5).1].
	callers = complaint.Grant{Departments: complaint.FollowupDepartments(),
		Roles: []string{complaint.RoleAgent, complaint.RoleEngineer, complaint.RoleSupervisor}}
	// Opening one by hand is the desks' agents' and supervisors' work.
	planners = complaint.Grant{Departments: complaint.FollowupDepartments(),
		Roles: []string{complaint.RoleAgent, complaint.RoleSupervisor}}
)

// grants is who may take each step: the one table. auth.Policy takes the
// follow-up routes' rules from it (Grants); the workflow checks it again,
// with the owner (MayTake).
var grants = complaint.GrantTable{
	complaint.FollowupStepOpen:   {planners},
	complaint.FollowupStepDone:   {callers},
	complaint.FollowupStepCancel: {planners},
}

// Grants is who may take step: the grants of the one table, nil for an
// unknown step.
func Grants(step string) []complaint.Grant {
	return grants.Grants(step)
}

// MayTake reports whether the actor may take step on f: granted by the
// table, and of the department that owns it, or its named owner, or an
// after-sales supervisor (who answers for every follow-up).
func MayTake(step string, f complaint.Followup, a complaint.Actor) bool {
	if !granted(step, a) {
		return false
	}
	switch {
	case a.Department == complaint.DepartmentAfterSales && a.HasRole(complaint.RoleSupervisor):
		return true
	case f.Owner != "":
		return a.UserID == f.Owner || (a.Department == f.OwnerDepartment && a.HasRole(complaint.RoleSupervisor))
	default:
		return a.Department == f.OwnerDepartment
	}
}

func granted(step string, a complaint.Actor) bool {
	return grants.Allows(step, a)
}

// AllowedSteps lists the steps staff take on f: done and cancel while it
// is open, none after.
func AllowedSteps(f complaint.Followup) []string {
	if f.Stage != complaint.FollowupOpen {
		return []string{}
	}
	return complaint.FollowupSteps()
}

// Open is a new follow-up in stage open, or the refusal: the actor may not
// open one by hand (Forbidden), or the body breaks its rules (Invalid,
// naming the field). The system's plans and a case's close open with
// bySystem, which skips the actor's rights and the due time in the past (a
// plan caught up late is still owed).
func Open(id string, a complaint.Actor, b complaint.FollowupOpenBody, bySystem bool, now time.Time) (complaint.Followup, error) {
	if !bySystem && !granted(complaint.FollowupStepOpen, a) {
		return complaint.Followup{}, &rules.Refusal{Kind: rules.Forbidden,
			Message: "only after-sales and the branch offices open follow-ups"}
	}
	problems := complaint.BodyProblems(b)
	if problems == nil {
		problems = map[string]string{}
	}
	if !bySystem && b.DueAt.Before(now.Add(-time.Minute)) && problems["due_at"] == "" {
		problems["due_at"] = "must not be in the past"
	}
	if b.Kind == complaint.FollowupDeliveryCall && b.Serial == "" {
		problems["serial"] = "is required for a delivery call"
	}
	if b.Kind == complaint.FollowupPostCloseCall && b.ComplaintID == "" {
		problems["complaint_id"] = "is required for a post-close call"
	}
	if len(problems) > 0 {
		return complaint.Followup{}, invalidFields("the body has invalid fields", problems)
	}
	dept := b.OwnerDepartment
	if dept == "" {
		dept = complaint.DepartmentAfterSales
		if b.BranchOffice != "" {
			dept = complaint.DepartmentBranchOffice
		}
	}
	f := complaint.Followup{ID: id, Kind: b.Kind, Stage: complaint.FollowupOpen, CustomerID: b.CustomerID,
		Serial: b.Serial, ComplaintID: b.ComplaintID, Owner: b.Owner, OwnerDepartment: dept,
		BranchOffice: b.BranchOffice, DueAt: b.DueAt.UTC(), Note: b.Note, OpenedBy: a, OpenedAt: now, UpdatedAt: now}
	f.AllowedSteps = AllowedSteps(f)
	return f, nil
}

// Step is one step's rules: Check refuses what the follow-up does not
// allow beyond the checks every step shares (nil: nothing more); Apply
// changes it and names the timeline event.
type Step[B any] struct {
	Name  string
	Check func(f *complaint.Followup, b B) error
	Apply func(f *complaint.Followup, a complaint.Actor, b B, now time.Time) string
}

// The steps staff take after opening.
var (
	Done   = Step[complaint.FollowupDoneBody]{Name: complaint.FollowupStepDone, Check: checkDone, Apply: applyDone}
	Cancel = Step[complaint.FollowupCancelBody]{Name: complaint.FollowupStepCancel, Apply: applyCancel}
)

// Admit is every check of the step on f: the stage, the actor's rights,
// the body's fields, then the step's own.
func (st Step[B]) Admit(f *complaint.Followup, a complaint.Actor, b B) error {
	allowed := AllowedSteps(*f)
	if !slices.Contains(allowed, st.Name) {
		return &rules.Refusal{Kind: rules.WrongStage,
			Message:  fmt.Sprintf("a follow-up in stage %s does not take %s", f.Stage, st.Name),
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(f.Stage), AllowedSteps: allowed}}
	}
	if !MayTake(st.Name, *f, a) {
		return &rules.Refusal{Kind: rules.Forbidden, Message: fmt.Sprintf(
			"%s of this follow-up is open to its owner and department %s, not to department %q with roles %v",
			st.Name, f.OwnerDepartment, a.Department, a.Roles)}
	}
	if problems := complaint.BodyProblems(b); len(problems) > 0 {
		return invalidFields("the body has invalid fields", problems)
	}
	if st.Check == nil {
		return nil
	}
	return st.Check(f, b)
}

// Take applies the step, which Admit allowed, and names the event.
func (st Step[B]) Take(f *complaint.Followup, a complaint.Actor, b B, now time.Time) string {
	kind := st.Apply(f, a, b, now)
	f.AllowedSteps = AllowedSteps(*f)
	f.UpdatedAt = now
	return kind
}

// checkDone: a visit is done with its written report [2.(5).1]; only calls
// that ask for satisfaction send a survey; a complaint is raised only from
// issues found.
func checkDone(f *complaint.Followup, b complaint.FollowupDoneBody) error {
	problems := map[string]string{}
	if f.Kind == complaint.FollowupKeyCustomerVisit && b.Report == "" {
		problems["report"] = "is required for a key-customer visit"
	}
	if b.SendSurvey && !slices.Contains(complaint.FollowupSurveyKinds(), f.Kind) {
		problems["send_survey"] = "only a post-close call or an annual survey sends a survey"
	}
	if b.RaiseComplaint != nil && !b.IssuesFound {
		problems["raise_complaint"] = "needs issues_found to be true"
	}
	if len(problems) > 0 {
		return invalidFields("the outcome is incomplete", problems)
	}
	return nil
}

func applyDone(f *complaint.Followup, a complaint.Actor, b complaint.FollowupDoneBody, now time.Time) string {
	f.Outcome = &complaint.FollowupOutcome{Note: b.Note, Satisfaction: b.Satisfaction, IssuesFound: b.IssuesFound,
		Report: b.Report, By: a, At: now}
	f.RaisedComplaintID = b.RaisedComplaintID
	f.Stage = complaint.FollowupDone
	f.Overdue = false
	return complaint.EventFollowupDone
}

func applyCancel(f *complaint.Followup, a complaint.Actor, b complaint.FollowupCancelBody, now time.Time) string {
	f.Cancellation = &complaint.Cancellation{Reason: b.Reason, By: a, At: now}
	f.Stage = complaint.FollowupCancelled
	f.Overdue = false
	return complaint.EventFollowupCancelled
}

func invalidFields(msg string, fields map[string]string) error {
	return &rules.Refusal{Kind: rules.Invalid, Message: msg, Fields: fields}
}
