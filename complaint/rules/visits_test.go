package rules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/sla"
)

var fieldEngineer = complaint.Actor{UserID: "e2", Department: complaint.DepartmentAfterSales, Roles: []string{complaint.RoleEngineer}}

func planned(t *testing.T) *rules.State {
	s := newCase(complaint.CategoryQuality, complaint.SeverityMinor)
	take(t, s, rules.PlanVisit, agent, complaint.VisitPlanBody{Engineers: []string{"e1", "e2"},
		PlannedAt: now.Add(time.Hour).Format(time.RFC3339)})
	return s
}

func TestAVisitGoesFromPlanToSignedRecord(t *testing.T) {
	s := planned(t)
	require.Equal(t, []string{"e1", "e2"}, s.AssignedEngineers, "the visit's engineers join the case")
	require.Contains(t, s.AllowedSteps, "check-in")

	take(t, s, rules.CheckIn, fieldEngineer, complaint.CheckInBody{Visit: "V1"})
	require.Equal(t, complaint.ClockMet, s.Clocks.Onsite.State, "the first arrival meets the on-site clock")
	take(t, s, rules.CheckOut, fieldEngineer, complaint.CheckOutBody{Visit: "V1", WorkDone: "replaced the seal",
		PartsUsed: []complaint.PartUsed{{PartNumber: "P-778", Quantity: 2}}})
	v := s.Visits[0]
	require.Equal(t, complaint.VisitCheckedOut, v.State)
	require.Equal(t, now.AddDate(0, 0, 5), *v.RecordDueAt, "due five days later around the clock")

	r := refusal(t, rules.Close.Admit(s, agent, complaint.CloseBody{CustomerConfirmed: true}, now))
	require.Contains(t, []rules.RefusalKind{rules.WrongStage, rules.Invalid}, r.Kind)

	filing := complaint.ServiceRecordFiling{SignOff: complaint.SignOff{Visit: "V1", SignerName: "王芳",
		Opinion: complaint.OpinionSatisfied, SignedAt: now.Format(time.RFC3339)}, Number: "SVC-2026-000001", SignatureSHA256: "ab"}
	take(t, s, rules.FileRecord, fieldEngineer, filing)
	take(t, s, rules.FileRecord, fieldEngineer, filing) // a correction
	v = s.Visits[0]
	require.Equal(t, complaint.VisitRecorded, v.State)
	require.Equal(t, []int{1, 2}, []int{v.Records[0].Version, v.Records[1].Version})
	require.NotContains(t, s.AllowedSteps, "record-waiver")
}

func TestTheVisitsStepsCheckWhoAndWhen(t *testing.T) {
	s := planned(t)
	stranger := complaint.Actor{UserID: "e9", Department: complaint.DepartmentTechnical, Roles: []string{complaint.RoleEngineer}}
	for _, tc := range []struct {
		policy string
		err    error
		kind   rules.RefusalKind
	}{
		{"an engineer not on the visit does not check in",
			rules.CheckIn.Admit(s, stranger, complaint.CheckInBody{Visit: "V1"}, now), rules.Forbidden},
		{"no check-out before the check-in",
			rules.CheckOut.Admit(s, fieldEngineer, complaint.CheckOutBody{Visit: "V1", WorkDone: "x"}, now), rules.WrongStage},
		{"no record before the check-out", rules.FileRecord.Admit(s, fieldEngineer, complaint.ServiceRecordFiling{
			SignOff: complaint.SignOff{Visit: "V1", SignerName: "x", Opinion: "satisfied", SignedAt: now.Format(time.RFC3339)}}, now),
			rules.WrongStage},
		{"an unknown visit", rules.CheckIn.Admit(s, fieldEngineer, complaint.CheckInBody{Visit: "V7"}, now), rules.Invalid},
		{"an agent does not check in", rules.CheckIn.Admit(s, agent, complaint.CheckInBody{Visit: "V1"}, now), rules.Forbidden},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.Equal(t, tc.kind, refusal(t, tc.err).Kind)
		})
	}
}

func TestASecondVisitDoesNotRestartTheOnsiteClock(t *testing.T) {
	s := planned(t)
	take(t, s, rules.CheckIn, fieldEngineer, complaint.CheckInBody{Visit: "V1"})
	met := *s.Clocks.Onsite.StoppedAt
	take(t, s, rules.PlanVisit, agent, complaint.VisitPlanBody{Engineers: []string{"e2"}, PlannedAt: now.Format(time.RFC3339)})
	take(t, s, rules.CheckIn, fieldEngineer, complaint.CheckInBody{Visit: "V2"})
	require.Equal(t, met, *s.Clocks.Onsite.StoppedAt)
	require.Equal(t, complaint.ClockMet, s.Clocks.Onsite.State)
}

func TestASupervisorWaivesAMissingRecordSoTheCaseCloses(t *testing.T) {
	s := planned(t)
	lead := complaint.Actor{UserID: "l1", Department: complaint.DepartmentAfterSales, Roles: []string{complaint.RoleSupervisor}}
	refusal(t, rules.WaiveRecord.Admit(s, agent, complaint.RecordWaiverBody{Visit: "V1", Reason: "x"}, now))
	take(t, s, rules.WaiveRecord, lead, complaint.RecordWaiverBody{Visit: "V1", Reason: "the customer cancelled the visit"})
	require.Equal(t, complaint.VisitRecordWaived, s.Visits[0].State)
	require.NotContains(t, s.AllowedSteps, "check-in")
}

func TestTheRecordIsDueInWorkingDaysWarnedADayBefore(t *testing.T) {
	p := sla.Policy{Calendar: sla.Calendar{TimeZone: "UTC", Hours: []sla.WeekdayHours{
		{Weekday: "monday", Spans: []sla.Span{{Start: "09:00", End: "17:00"}}},
		{Weekday: "tuesday", Spans: []sla.Span{{Start: "09:00", End: "17:00"}}},
		{Weekday: "wednesday", Spans: []sla.Span{{Start: "09:00", End: "17:00"}}},
		{Weekday: "thursday", Spans: []sla.Span{{Start: "09:00", End: "17:00"}}},
		{Weekday: "friday", Spans: []sla.Span{{Start: "09:00", End: "17:00"}}},
	}}}
	friday := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)
	require.Equal(t, time.Date(2026, 12, 11, 15, 0, 0, 0, time.UTC), rules.RecordDue(p, friday), "five working days: the next Friday")
	require.Equal(t, time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC), rules.RecordWarnAt(p, friday))
	p.ServiceRecordDays = 2
	require.Equal(t, time.Date(2026, 12, 8, 15, 0, 0, 0, time.UTC), rules.RecordDue(p, friday))
}
