package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

var monday9 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday

func roundTheClock() sla.Policy {
	return sla.Policy{Name: "standard", Response: sla.Duration(2 * time.Hour), Onsite: sla.Duration(4 * time.Hour),
		Resolution: sla.Duration(24 * time.Hour), WarningPoints: sla.DefaultWarningPoints(),
		Escalation: sla.DefaultEscalation()}
}

func officeHours() sla.Policy {
	p := roundTheClock()
	var hours []sla.WeekdayHours
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		hours = append(hours, sla.WeekdayHours{Weekday: d, Spans: []sla.Span{{Start: "09:00", End: "18:00"}}})
	}
	p.Calendar = sla.Calendar{Hours: hours}
	return p
}

// TestAClockWarnsBreachesAndEscalates walks a response clock (2 h) through
// everything it does when nobody answers the customer.
func TestAClockWarnsBreachesAndEscalates(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Response, true)
	r.Start(p, monday9)
	want := []sla.Event{
		{Kind: sla.EventWarning, Level: 1, At: monday9.Add(time.Hour)},        // half the target
		{Kind: sla.EventWarning, Level: 2, At: monday9.Add(96 * time.Minute)}, // four fifths
		{Kind: sla.EventBreach, At: monday9.Add(2 * time.Hour)},               // the deadline
		{Kind: sla.EventEscalation, Level: 1, At: monday9.Add(2 * time.Hour)}, // at the breach
		{Kind: sla.EventEscalation, Level: 2, At: monday9.Add(3 * time.Hour)}, // an hour later
		{Kind: sla.EventEscalation, Level: 3, At: monday9.Add(6 * time.Hour)}, // four hours after
	}
	for _, ev := range want {
		require.Equal(t, ev, r.Next(p, false))
		r.Pass(ev)
	}
	require.Equal(t, sla.Event{}, r.Next(p, false), "nothing after the last level")
	require.Equal(t, complaint.ClockBreached, r.View().State)
	require.Equal(t, 3, r.View().EscalationLevel)
}

func TestAClockStopsOnTheStepThatMeetsIt(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Response, true)
	r.Start(p, monday9)
	require.True(t, r.Stop(p, monday9.Add(30*time.Minute)))
	require.False(t, r.Stop(p, monday9.Add(time.Hour)), "a clock stops once")
	require.Equal(t, sla.Event{}, r.Next(p, false))
	v := r.View()
	require.Equal(t, complaint.ClockMet, v.State)
	require.Equal(t, monday9.Add(30*time.Minute), *v.StoppedAt)
}

func TestAPauseAddsNothingToTheClock(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Resolution, true)
	r.Start(p, monday9)
	r.Pause(p, monday9.Add(4*time.Hour))
	require.Equal(t, sla.Event{}, r.Next(p, false), "a paused clock does nothing")
	require.Equal(t, complaint.ClockPaused, r.View().State)
	r.Resume(p, monday9.Add(10*time.Hour))
	require.Equal(t, monday9.Add(30*time.Hour), r.Due, "24 h target, 4 h run, 6 h paused")
	require.Equal(t, int64(6*3600), r.View().PausedSeconds)
	// Warnings count the time run, not the time paused: half the target
	// is 12 h run, 8 h after the resume.
	require.Equal(t, sla.Event{Kind: sla.EventWarning, Level: 1, At: monday9.Add(18 * time.Hour)}, r.Next(p, false))
}

func TestAStopWhilePausedCountsThePause(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Resolution, true)
	r.Start(p, monday9)
	r.Pause(p, monday9.Add(time.Hour))
	r.Stop(p, monday9.Add(3*time.Hour))
	require.Equal(t, int64(2*3600), r.View().PausedSeconds)
	require.Equal(t, complaint.ClockMet, r.View().State)
}

func TestInterimReliefEndsTheResolutionEscalation(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Resolution, true)
	r.Start(p, monday9)
	r.Pass(sla.Event{Kind: sla.EventBreach})
	require.Equal(t, sla.EventEscalation, r.Next(p, false).Kind)
	require.Equal(t, sla.Event{}, r.Next(p, true), "backup equipment or a workaround ends it [3.(3)]")
	response := sla.NewRun(p, sla.Response, true)
	response.Start(p, monday9)
	response.Pass(sla.Event{Kind: sla.EventBreach})
	require.Equal(t, sla.EventEscalation, response.Next(p, true).Kind, "interim relief is for the resolution only")
}

func TestAnOnsiteClockRunsOnlyWhenAVisitIsNeeded(t *testing.T) {
	p := roundTheClock()
	r := sla.NewRun(p, sla.Onsite, false)
	require.Equal(t, sla.Event{}, r.Next(p, false))
	require.Equal(t, complaint.ClockNotRequired, r.View().State)
	r.Require(p, true, monday9)
	require.Equal(t, monday9.Add(4*time.Hour), r.Due, "counted from when the complaint was received")
	r.Require(p, false, monday9)
	require.Equal(t, sla.Event{}, r.Next(p, false))
}

func TestDeadlinesCountOpenHoursOnly(t *testing.T) {
	p := officeHours()
	friday17 := time.Date(2026, 12, 4, 17, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		policy string
		clock  string
		start  time.Time
		due    time.Time
	}{
		{"a complaint at 17:00 on Friday is answered by 10:00 on Monday", sla.Response, friday17,
			time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)},
		{"one received on Saturday counts from Monday's opening", sla.Response, friday17.Add(20 * time.Hour),
			time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)},
		{"on site in 4 open hours from Monday 9:00", sla.Onsite, monday9, monday9.Add(4 * time.Hour)},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			r := sla.NewRun(p, tc.clock, true)
			r.Start(p, tc.start)
			require.Equal(t, tc.due, r.Due)
		})
	}
	// Escalation does not wait for business hours: a breached case is
	// urgent whatever the calendar says.
	r := sla.NewRun(p, sla.Response, true)
	r.Start(p, friday17)
	r.Pass(sla.Event{Kind: sla.EventBreach})
	r.Pass(sla.Event{Kind: sla.EventEscalation, Level: 1})
	require.Equal(t, r.BreachedAt.Add(time.Hour), r.Next(p, false).At)
}
