package workflows_test

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

func (s *clockSuite) notices(kind string) []string {
	var got []string
	for _, n := range s.notifications() {
		if n.Kind != kind {
			continue
		}
		for _, r := range n.Recipients {
			to := r.UserID
			if to == "" {
				to = r.Role + "@" + r.Department
			}
			got = append(got, s.sinceStart(n.At)+" "+to)
		}
	}
	return got
}

// A quality case needs a visit: registration sends out the department's
// engineers (none is assigned yet); the engineer assigned at confirm is
// sent out at once, once.
func (s *clockSuite) TestDispatchAtRegistrationAndAtConfirm() {
	in := s.clockInput(complaint.CategoryQuality, s.shanghaiOffice())
	confirmed := s.stepAt(10*time.Minute, req(workflows.UpdateConfirm.Name, agent,
		complaint.ConfirmBody{AssignedEngineer: new(engineer.UserID)}))
	again := s.stepAt(20*time.Minute, req(workflows.UpdateEngineers.Name, agent,
		complaint.EngineersBody{Engineers: []string{engineer.UserID, "e7"}}))
	s.run(in, time.Hour)
	s.ok(confirmed)
	s.ok(again)
	s.Equal([]string{"0s engineer@after_sales", "10m0s " + engineer.UserID, "20m0s e7"}, s.notices(complaint.NotificationDispatch))
	n := s.notifications()[0]
	s.Equal("Huaxin Clinic", n.Facts["customer"])
	s.Equal("Ma", n.Facts["contact"])
}

// A case that needs no visit sends nobody out.
func (s *clockSuite) TestNoDispatchWithoutAVisit() {
	s.run(s.clockInput(complaint.CategoryNonQuality, s.shanghaiOffice()), time.Hour)
	s.Empty(s.notices(complaint.NotificationDispatch))
}

// The record checked out on a Thursday afternoon in Shanghai is due five
// working days later, the next Thursday (the weekend does not count); the
// engineers are warned on Wednesday and the supervisor of the engineer's
// department hears of it at the due instant, each once.
func (s *clockSuite) TestTheServiceRecordClockWarnsAndEscalatesOnWorkingDays() {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	s.Require().NoError(err)
	s.startAt(time.Date(2026, 12, 3, 9, 0, 0, 0, shanghai)) // a Thursday
	in := s.clockInput(complaint.CategoryQuality, s.shanghaiOffice())
	plan := s.stepAt(time.Minute, req(workflows.UpdateVisits.Name, agent, complaint.VisitPlanBody{
		Engineers: []string{engineer.UserID}, PlannedAt: s.at(time.Hour).Format(time.RFC3339)}))
	in1 := s.stepAt(time.Hour, req(workflows.UpdateCheckIn.Name, engineer, complaint.CheckInBody{Visit: "V1"}))
	out := s.stepAt(7*time.Hour, req(workflows.UpdateCheckOut.Name, engineer, complaint.CheckOutBody{Visit: "V1",
		WorkDone: "replaced the seal"}))
	mid := s.caseAt(8 * time.Hour)
	final := s.run(in, 10*24*time.Hour)
	s.ok(plan)
	s.ok(in1)
	checkedOut := s.ok(out)
	s.Equal(complaint.ClockMet, checkedOut.Clocks.Onsite.State, "the check-in met the on-site clock")
	due := time.Date(2026, 12, 10, 16, 0, 0, 0, shanghai)
	s.sameTime(due, checkedOut.Visits[0].RecordDueAt)
	s.Require().True(mid.taken)
	s.Require().NotNil(mid.Clocks.ServiceRecord)
	s.sameTime(due, mid.Clocks.ServiceRecord.DueAt)
	var warned, escalated []string
	for _, n := range s.notifications() {
		if n.Clock != complaint.ClockServiceRecord {
			continue
		}
		s.Equal(1, n.Level, "the level is the visit's number")
		to := n.Recipients[0].UserID + n.Recipients[0].Role + "@" + n.Recipients[0].Department
		if n.Kind == complaint.NotificationWarning {
			warned = append(warned, s.sinceStart(n.At)+" "+to)
		} else {
			escalated = append(escalated, s.sinceStart(n.At)+" "+to)
		}
	}
	s.Equal([]string{s.sinceStart(due.AddDate(0, 0, -1)) + " " + engineer.UserID + "@"}, warned)
	s.Equal([]string{s.sinceStart(due) + " supervisor@" + engineer.Department}, escalated)
	s.True(final.Visits[0].RecordEscalated)
	s.Equal(complaint.ClockBreached, final.Clocks.ServiceRecord.State)
}

// Closing waits for the record, unless a supervisor waives it.
func (s *complaintSuite) TestACaseClosesOnlyWithItsRecordsOrAWaiver() {
	s.mockStore()
	s.recordNotices()
	lead := complaint.Actor{UserID: "l1", Name: "Lead", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleSupervisor}}
	steps := append(toStage("resolved"),
		req(workflows.UpdateVisits.Name, agent, complaint.VisitPlanBody{Engineers: []string{engineer.UserID},
			PlannedAt: "2026-11-29T10:00:00Z"}),
		closeCase(5),
		req(workflows.UpdateRecordWaiver.Name, agent, complaint.RecordWaiverBody{Visit: "V1", Reason: "x"}),
		req(workflows.UpdateRecordWaiver.Name, lead, complaint.RecordWaiverBody{Visit: "V1",
			Reason: "the customer cancelled the visit"}),
		closeCase(5))
	outs := s.play(severeQuality(), steps...)
	n := len(outs)
	s.Contains(s.refused(outs[n-4], workflows.ErrTypeInvalid).Error(), "visit V1 has no service record")
	s.refused(outs[n-3], workflows.ErrTypeForbidden)
	waived := s.ok(outs[n-2]).Visits[0]
	s.Equal(complaint.VisitRecordWaived, waived.State)
	s.Equal(lead.UserID, waived.RecordWaiver.Actor.UserID)
	s.Equal(complaint.StageClosed, s.ok(outs[n-1]).Stage)
}
