package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

// Long targets step over whole weeks; these read like the policies they test.
func TestLongTargets(t *testing.T) {
	mondayMinute := sla.Calendar{Hours: []sla.WeekdayHours{{Weekday: "monday", Spans: []sla.Span{{Start: "00:00", End: "00:01"}}}}}
	office := workweek("UTC", sla.Span{Start: "09:00", End: "17:00"})
	office.Holidays = []string{
		"2026-01-01", // Thursday, before the start
		"2026-05-01", // Friday, inside the weeks stepped over: 8 h more
		"2026-10-03", // Saturday, closed anyway
		"2026-12-25", // Friday, after the due
	}
	berlin := workweek("Europe/Berlin", sla.Span{Start: "09:00", End: "17:00"})
	berlin24 := sla.Calendar{TimeZone: "Europe/Berlin", Holidays: []string{"2026-12-24"}}
	for _, tc := range []struct {
		name        string
		cal         sla.Calendar
		zone, start string
		target      time.Duration
		want        string // local time in zone, or the error
	}{
		{"slowcal: one minute each Monday, 1h takes 60 Mondays", mondayMinute, "UTC", "2026-01-05 00:00", time.Hour, "2027-02-22 00:01"},
		{"slowcal: one minute each Monday, 8760h is 10,000 years away", mondayMinute, "UTC", "2026-01-05 00:00", 8760 * time.Hour,
			"sla: calendar time not reached within 10 years"},
		{"office hours, 50 weeks of 40h, a Friday holiday inside", office, "UTC", "2026-01-05 09:00", 2000 * time.Hour, "2026-12-21 17:00"},
		{"office hours in Berlin across the autumn change: wall-clock hours", berlin, "Europe/Berlin", "2026-03-27 16:00", 2000 * time.Hour, "2027-03-12 16:00"},
		{"24/7 in Berlin with Christmas Eve off: absolute hours plus the holiday", berlin24, "Europe/Berlin", "2026-03-01 00:00", 8000 * time.Hour, "2027-01-29 08:00"},
		{"24/7 in UTC, a year", sla.Calendar{}, "UTC", "2026-01-05 09:00", 8760 * time.Hour, "2027-01-05 09:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := at(t, tc.zone, tc.start)
			due, err := tc.cal.Add(start, tc.target)
			if _, perr := time.Parse("2006-01-02 15:04", tc.want); perr != nil {
				require.EqualError(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.Equal(t, at(t, tc.zone, tc.want), due, due.String())
			el, err := tc.cal.Elapsed(start, due)
			require.NoError(t, err)
			require.Equal(t, tc.target, el)
		})
	}
}

func TestElapsedHorizon(t *testing.T) {
	c := shanghai()
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	el, err := c.Elapsed(from, from.AddDate(9, 0, 0))
	require.NoError(t, err)
	require.Greater(t, el, 9*52*40*time.Hour)
	_, err = c.Elapsed(from, from.AddDate(11, 0, 0))
	require.EqualError(t, err, "sla: elapsed calendar time over more than 10 years is not computed")
	// Around the clock without holidays is plain subtraction, at any length.
	el, err = sla.Calendar{}.Elapsed(from, from.AddDate(11, 0, 0))
	require.NoError(t, err)
	require.Equal(t, from.AddDate(11, 0, 0).Sub(from), el)
}
