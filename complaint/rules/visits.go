package rules

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// The field-service steps [2.(5).2–4]: engineers, visits, and each visit's
// check-in, check-out and customer-signed service record.
var (
	Engineers     = Step[complaint.EngineersBody]{Name: complaint.StepEngineers, Apply: applyEngineers}
	PlanVisit     = Step[complaint.VisitPlanBody]{Name: complaint.StepVisits, Check: checkPlanVisit, Apply: applyPlanVisit}
	CheckIn       = Step[complaint.CheckInBody]{Name: complaint.StepCheckIn, Check: checkCheckIn, Apply: applyCheckIn}
	CheckOut      = Step[complaint.CheckOutBody]{Name: complaint.StepCheckOut, Check: checkCheckOut, Apply: applyCheckOut}
	FileRecord    = Step[complaint.ServiceRecordFiling]{Name: complaint.StepServiceRecord, Check: checkFileRecord, Apply: applyFileRecord}
	WaiveRecord   = Step[complaint.RecordWaiverBody]{Name: complaint.StepRecordWaiver, Check: checkWaiveRecord, Apply: applyWaiveRecord}
	visitStepsFor = map[string]string{ // the state a visit must be in for each step
		complaint.StepCheckIn:  complaint.VisitPlanned,
		complaint.StepCheckOut: complaint.VisitOnSite,
	}
)

// DefaultServiceRecordDays is how many of the calendar's working days a
// service record may take after the engineer's return [2.(5).4].
const DefaultServiceRecordDays = 5

// EngineersOf are the case's engineers: the list, or the one assigned at
// confirm before cases had lists.
func EngineersOf(c complaint.Case) []string {
	if len(c.AssignedEngineers) > 0 {
		return c.AssignedEngineers
	}
	if c.AssignedEngineer != "" {
		return []string{c.AssignedEngineer}
	}
	return nil
}

// visitSteps are the field-service steps an open case takes now: one that
// needs a visit (or has had one) takes engineers and visits.
func visitSteps(c complaint.Case) []string {
	if c.Stage == complaint.StageClosed || (!c.OnsiteNeeded() && len(c.Visits) == 0) {
		return nil
	}
	steps := []string{complaint.StepEngineers, complaint.StepVisits}
	has := func(states ...string) bool {
		return slices.ContainsFunc(c.Visits, func(v complaint.Visit) bool { return slices.Contains(states, v.State) })
	}
	if has(complaint.VisitPlanned) {
		steps = append(steps, complaint.StepCheckIn)
	}
	if has(complaint.VisitOnSite) {
		steps = append(steps, complaint.StepCheckOut)
	}
	if has(complaint.VisitCheckedOut, complaint.VisitRecorded) {
		steps = append(steps, complaint.StepServiceRecord)
	}
	if has(complaint.VisitPlanned, complaint.VisitOnSite, complaint.VisitCheckedOut) {
		steps = append(steps, complaint.StepRecordWaiver)
	}
	return steps
}

func applyEngineers(s *State, _ complaint.Actor, b complaint.EngineersBody, _ time.Time) string {
	s.AssignedEngineers = slices.Clone(b.Engineers)
	return complaint.EventEngineersAssigned
}

func checkPlanVisit(_ *State, _ complaint.Actor, b complaint.VisitPlanBody, _ time.Time) error {
	if _, err := time.Parse(time.RFC3339, b.PlannedAt); err != nil {
		return invalidField("planned_at", "must be an RFC 3339 time")
	}
	return nil
}

// applyPlanVisit adds the visit; its engineers join the case's, so that
// the newcomers are dispatched.
func applyPlanVisit(s *State, a complaint.Actor, b complaint.VisitPlanBody, _ time.Time) string {
	planned, _ := time.Parse(time.RFC3339, b.PlannedAt)
	s.Visits = append(s.Visits, complaint.Visit{ID: "V" + strconv.Itoa(len(s.Visits)+1), State: complaint.VisitPlanned,
		Engineers: slices.Clone(b.Engineers), PlannedAt: planned.UTC(), PlannedBy: a})
	engineers := slices.Clone(EngineersOf(s.Case))
	for _, e := range b.Engineers {
		if !slices.Contains(engineers, e) {
			engineers = append(engineers, e)
		}
	}
	s.AssignedEngineers = engineers
	return complaint.EventVisitPlanned
}

// visitFor finds the visit a step names and checks that the actor is one
// of its engineers and that the visit is where the step needs it.
func visitFor(s *State, a complaint.Actor, step, id string, states ...string) (*complaint.Visit, error) {
	i := slices.IndexFunc(s.Visits, func(v complaint.Visit) bool { return v.ID == id })
	if i < 0 {
		return nil, invalidField("visit", "names no visit of this case")
	}
	v := &s.Visits[i]
	if step != complaint.StepRecordWaiver && !v.HasEngineer(a.UserID) {
		return nil, forbidden(fmt.Sprintf("only an engineer of visit %s may take %s", id, step))
	}
	if !slices.Contains(states, v.State) {
		return nil, &Refusal{Kind: WrongStage, Message: fmt.Sprintf("visit %s is %s and does not take %s", id, v.State, step),
			Conflict: &complaint.StageConflict{Stage: s.Stage, AllowedSteps: AllowedSteps(s.Case)}}
	}
	return v, nil
}

func checkCheckIn(s *State, a complaint.Actor, b complaint.CheckInBody, _ time.Time) error {
	_, err := visitFor(s, a, complaint.StepCheckIn, b.Visit, visitStepsFor[complaint.StepCheckIn])
	return err
}

// applyCheckIn: the first arrival on site meets the on-site clock; a later
// visit's leaves it as it is.
func applyCheckIn(s *State, a complaint.Actor, b complaint.CheckInBody, now time.Time) string {
	v, _ := visitFor(s, a, complaint.StepCheckIn, b.Visit, complaint.VisitPlanned)
	v.State, v.CheckedInAt, v.CheckedInBy = complaint.VisitOnSite, &now, &a
	s.stopClock(sla.Onsite, now)
	return complaint.EventCheckedIn
}

func checkCheckOut(s *State, a complaint.Actor, b complaint.CheckOutBody, _ time.Time) error {
	_, err := visitFor(s, a, complaint.StepCheckOut, b.Visit, visitStepsFor[complaint.StepCheckOut])
	return err
}

// applyCheckOut records the work and starts the service record's filing
// clock: due DefaultServiceRecordDays working days later on the policy's
// calendar (or the policy's own number of days).
func applyCheckOut(s *State, a complaint.Actor, b complaint.CheckOutBody, now time.Time) string {
	v, _ := visitFor(s, a, complaint.StepCheckOut, b.Visit, complaint.VisitOnSite)
	v.State, v.CheckedOutAt = complaint.VisitCheckedOut, &now
	v.WorkDone, v.Findings, v.PartsUsed, v.UnitPickedUp = b.WorkDone, b.Findings, b.PartsUsed, b.UnitPickedUp
	due := RecordDue(s.Policy, now)
	v.RecordDueAt = &due
	return complaint.EventCheckedOut
}

// RecordDue is when a service record checked out at t is due.
func RecordDue(p sla.Policy, t time.Time) time.Time {
	return p.Calendar.AddWorkingDays(t, recordDays(p))
}

// RecordWarnAt is when the engineers are warned of a record due at the
// visit's check-out t: one working day before it is due.
func RecordWarnAt(p sla.Policy, t time.Time) time.Time {
	return p.Calendar.AddWorkingDays(t, recordDays(p)-1)
}

func recordDays(p sla.Policy) int {
	if p.ServiceRecordDays > 0 {
		return p.ServiceRecordDays
	}
	return DefaultServiceRecordDays
}

func checkFileRecord(s *State, a complaint.Actor, b complaint.ServiceRecordFiling, _ time.Time) error {
	if _, err := time.Parse(time.RFC3339, b.SignedAt); err != nil {
		return invalidField("signed_at", "must be an RFC 3339 time")
	}
	if _, err := visitFor(s, a, complaint.StepServiceRecord, b.Visit, complaint.VisitCheckedOut, complaint.VisitRecorded); err != nil {
		return err
	}
	if b.Number == "" || b.SignatureSHA256 == "" {
		// The API keeps these before it sends the filing; a filing without
		// them met a store that showed the case otherwise.
		return notReady("the record was not stored with its number and signature: send it again")
	}
	return nil
}

// applyFileRecord files the record, or a corrected version of it: a filed
// version never changes.
func applyFileRecord(s *State, a complaint.Actor, b complaint.ServiceRecordFiling, now time.Time) string {
	v, _ := visitFor(s, a, complaint.StepServiceRecord, b.Visit, complaint.VisitCheckedOut, complaint.VisitRecorded)
	v.Records = append(v.Records, complaint.ServiceRecord{Number: b.Number, Version: len(v.Records) + 1,
		SignOff: b.SignOff, SignatureSHA256: b.SignatureSHA256, FiledBy: a, FiledAt: now})
	v.State = complaint.VisitRecorded
	return complaint.EventServiceRecordFiled
}

func checkWaiveRecord(s *State, a complaint.Actor, b complaint.RecordWaiverBody, _ time.Time) error {
	_, err := visitFor(s, a, complaint.StepRecordWaiver, b.Visit,
		complaint.VisitPlanned, complaint.VisitOnSite, complaint.VisitCheckedOut)
	return err
}

func applyWaiveRecord(s *State, a complaint.Actor, b complaint.RecordWaiverBody, now time.Time) string {
	v, _ := visitFor(s, a, complaint.StepRecordWaiver, b.Visit,
		complaint.VisitPlanned, complaint.VisitOnSite, complaint.VisitCheckedOut)
	v.State, v.RecordWaiver = complaint.VisitRecordWaived, &complaint.Waiver{Note: b.Reason, Actor: a, At: now}
	return complaint.EventServiceRecordWaived
}

// checkRecordsFiled: a case does not close while a visit owes its service
// record and no supervisor waived it.
func checkRecordsFiled(s *State) error {
	for _, v := range s.Visits {
		if v.RecordOwed() {
			return notReady(fmt.Sprintf("visit %s has no service record: file it, or a supervisor waives it", v.ID))
		}
	}
	return nil
}

func checkClose(s *State, _ complaint.Actor, _ complaint.CloseBody, _ time.Time) error {
	if err := checkRecordsFiled(s); err != nil {
		return err
	}
	return checkLoansSettled(s)
}

func checkWithdraw(s *State, _ complaint.Actor, _ complaint.NoteBody, _ time.Time) error {
	return checkLoansSettled(s)
}
