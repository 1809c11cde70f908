package sla_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

func workweek(zone string, spans ...sla.Span) sla.Calendar {
	c := sla.Calendar{TimeZone: zone}
	for _, d := range []string{"monday", "tuesday", "wednesday", "thursday", "friday"} {
		c.Hours = append(c.Hours, sla.WeekdayHours{Weekday: d, Spans: spans})
	}
	return c
}

// shanghai is Mon–Fri 08:30–12:00 and 13:00–17:30 in Asia/Shanghai.
func shanghai() sla.Calendar {
	return workweek("Asia/Shanghai", sla.Span{Start: "08:30", End: "12:00"}, sla.Span{Start: "13:00", End: "17:30"})
}

func at(t *testing.T, zone, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation(zone)
	require.NoError(t, err)
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return v
}

func TestAddAroundTheClock(t *testing.T) {
	start := time.Date(2026, 3, 13, 16, 45, 0, 0, time.UTC)
	for _, c := range []sla.Calendar{{}, {TimeZone: "UTC"}, {TimeZone: "Asia/Shanghai"}} {
		due, err := c.Add(start, 2*time.Hour)
		require.NoError(t, err)
		require.Equal(t, start.Add(2*time.Hour), due)
		el, err := c.Elapsed(start, due)
		require.NoError(t, err)
		require.Equal(t, 2*time.Hour, el)
		el, err = c.Elapsed(due, start)
		require.NoError(t, err)
		require.Zero(t, el)
	}
	_, err := sla.Calendar{TimeZone: "Mars/Olympus"}.Add(start, time.Hour)
	require.ErrorContains(t, err, "time_zone")
	_, err = sla.Calendar{TimeZone: "Mars/Olympus"}.Elapsed(start, start.Add(time.Hour))
	require.ErrorContains(t, err, "time_zone")
	_, err = sla.Calendar{Holidays: []string{"someday"}}.Elapsed(start, start.Add(time.Hour))
	require.EqualError(t, err, "sla: invalid calendar: holidays[0]: must be a date YYYY-MM-DD")
}

func TestAddBusinessHours(t *testing.T) {
	const sh = "Asia/Shanghai"
	require.Equal(t, time.Friday, at(t, sh, "2026-03-13 16:45").Weekday())
	holiday := shanghai()
	holiday.Holidays = []string{"2026-03-16"} // that Monday
	for _, tc := range []struct {
		name  string
		cal   sla.Calendar
		start string
		d     time.Duration
		want  string
	}{
		{"friday evening runs over the weekend", shanghai(), "2026-03-13 16:45", 2 * time.Hour, "2026-03-16 09:45"},
		{"holiday monday pushes to tuesday", holiday, "2026-03-13 16:45", 2 * time.Hour, "2026-03-17 09:45"},
		{"saturday start counts from monday", shanghai(), "2026-03-14 10:00", 2 * time.Hour, "2026-03-16 10:30"},
		{"lunch gap", shanghai(), "2026-03-16 11:00", 2 * time.Hour, "2026-03-16 14:00"},
		{"start in lunch", shanghai(), "2026-03-16 12:10", time.Hour, "2026-03-16 14:00"},
		{"start at closing", shanghai(), "2026-03-13 17:30", time.Hour, "2026-03-16 09:30"},
		{"ends exactly at closing, not at the next opening", shanghai(), "2026-03-16 08:30", 210 * time.Minute, "2026-03-16 12:00"},
		{"on site 4h", shanghai(), "2026-03-13 16:45", 4 * time.Hour, "2026-03-16 11:45"},
		{"resolution 24h", shanghai(), "2026-03-13 16:45", 24 * time.Hour, "2026-03-18 16:45"},
		{"zero from a closed time", shanghai(), "2026-03-14 10:00", 0, "2026-03-14 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := at(t, sh, tc.start)
			due, err := tc.cal.Add(start, tc.d)
			require.NoError(t, err)
			require.Equal(t, at(t, sh, tc.want), due, due.String())
			require.Equal(t, start.Location(), due.Location())
			el, err := tc.cal.Elapsed(start, due)
			require.NoError(t, err)
			require.Equal(t, tc.d, el)
		})
	}
}

func TestElapsedBusinessHours(t *testing.T) {
	const sh = "Asia/Shanghai"
	c := shanghai()
	for _, tc := range []struct {
		from, to string
		want     time.Duration
	}{
		{"2026-03-13 16:00", "2026-03-16 10:00", 3 * time.Hour}, // 1.5 h Friday + 1.5 h Monday
		{"2026-03-14 00:00", "2026-03-16 00:00", 0},             // the weekend
		{"2026-03-16 12:10", "2026-03-16 12:50", 0},             // lunch
		{"2026-03-16 07:00", "2026-03-20 23:00", 40 * time.Hour},
		{"2026-03-16 10:00", "2026-03-16 09:00", 0}, // to before from
	} {
		el, err := c.Elapsed(at(t, sh, tc.from), at(t, sh, tc.to))
		require.NoError(t, err)
		require.Equal(t, tc.want, el, tc.from+" → "+tc.to)
	}
}

func TestAddElapsedInverse(t *testing.T) {
	sh := shanghai()
	sh.Holidays = []string{"2026-03-16", "2026-04-03"}
	berlin := workweek("Europe/Berlin", sla.Span{Start: "09:00", End: "17:00"})
	berlin.Hours = append(berlin.Hours, sla.WeekdayHours{Weekday: "sunday", Spans: []sla.Span{{Start: "00:00", End: "24:00"}}})
	cals := map[string]sla.Calendar{"shanghai": sh, "berlin": berlin, "utc": {}, "utc-holiday": {Holidays: []string{"2026-03-14"}}}
	starts := []time.Time{
		time.Date(2026, 3, 13, 8, 45, 17, 3, time.UTC),
		time.Date(2026, 3, 14, 4, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 16, 0, 30, 0, 0, time.UTC),
		time.Date(2026, 3, 27, 15, 59, 0, 0, time.UTC),
		time.Date(2026, 3, 28, 23, 0, 0, 0, time.UTC),
		time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), // Berlin 03:00 CEST, just after the jump
	}
	durations := []time.Duration{1, time.Minute, 45 * time.Minute, 2 * time.Hour, 210 * time.Minute, 24 * time.Hour, 100 * time.Hour}
	for name, c := range cals {
		for _, s := range starts {
			for _, d := range durations {
				due, err := c.Add(s, d)
				require.NoError(t, err)
				require.False(t, due.Before(s.Add(d)), "%s %s %s: calendar time cannot outrun real time", name, s, d)
				el, err := c.Elapsed(s, due)
				require.NoError(t, err)
				require.Equal(t, d, el, "%s from %s + %s = %s", name, s, d, due)
			}
		}
	}
}

func TestDST(t *testing.T) {
	const be = "Europe/Berlin"
	// 2026-03-29 is the last Sunday of March: 02:00 CET jumps to 03:00 CEST.
	require.Equal(t, time.Sunday, at(t, be, "2026-03-29 12:00").Weekday())

	// Around the clock is absolute time: 24 h from Saturday noon is Sunday 13:00 local.
	c24 := sla.Calendar{TimeZone: be}
	due, err := c24.Add(at(t, be, "2026-03-28 12:00"), 24*time.Hour)
	require.NoError(t, err)
	require.Equal(t, at(t, be, "2026-03-29 13:00"), due)

	// Spans are wall-clock: Friday 16:00 CET + 2 h lands on Monday 10:00 CEST.
	biz := workweek(be, sla.Span{Start: "09:00", End: "17:00"})
	due, err = biz.Add(at(t, be, "2026-03-27 16:00"), 2*time.Hour)
	require.NoError(t, err)
	require.Equal(t, at(t, be, "2026-03-30 10:00"), due)
	require.Equal(t, time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC), due.UTC())

	// A Sunday open 00:00–24:00 holds only 23 hours that day.
	sunday := sla.Calendar{TimeZone: be, Hours: []sla.WeekdayHours{{Weekday: "sunday", Spans: []sla.Span{{Start: "00:00", End: "24:00"}}}}}
	el, err := sunday.Elapsed(at(t, be, "2026-03-28 12:00"), at(t, be, "2026-03-30 12:00"))
	require.NoError(t, err)
	require.Equal(t, 23*time.Hour, el)
	due, err = sunday.Add(at(t, be, "2026-03-28 12:00"), 23*time.Hour)
	require.NoError(t, err)
	require.Equal(t, at(t, be, "2026-03-30 00:00"), due)
	// ...and 25 hours on the last Sunday of October.
	el, err = sunday.Elapsed(at(t, be, "2026-10-24 12:00"), at(t, be, "2026-10-26 12:00"))
	require.NoError(t, err)
	require.Equal(t, 25*time.Hour, el)
}

func TestAddNeverLoopsForever(t *testing.T) {
	mondays := sla.Calendar{Hours: []sla.WeekdayHours{{Weekday: "monday", Spans: []sla.Span{{Start: "09:00", End: "10:00"}}}}}
	for d := time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC); d.Year() < 2028; d = d.AddDate(0, 0, 7) {
		mondays.Holidays = append(mondays.Holidays, d.Format(time.DateOnly))
	}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := mondays.Add(start, time.Minute)
	require.ErrorContains(t, err, "366 days")
	el, err := mondays.Elapsed(start, start.AddDate(1, 0, 0))
	require.NoError(t, err)
	require.Zero(t, el)

	// Open again in 2028: the search restarts its count after every opening.
	due, err := mondays.Add(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), time.Minute)
	require.NoError(t, err)
	require.Equal(t, time.Date(2028, 1, 3, 9, 1, 0, 0, time.UTC), due)

	_, err = shanghai().Add(start, -time.Second)
	require.ErrorContains(t, err, "negative")
	_, err = sla.Calendar{Hours: []sla.WeekdayHours{{Weekday: "someday"}}}.Add(start, time.Hour)
	require.ErrorContains(t, err, "hours[0].weekday")
}

func TestCalendarValidate(t *testing.T) {
	day := func(w string, spans ...sla.Span) sla.WeekdayHours { return sla.WeekdayHours{Weekday: w, Spans: spans} }
	sp := func(a, b string) sla.Span { return sla.Span{Start: a, End: b} }
	for _, tc := range []struct {
		name string
		cal  sla.Calendar
		want map[string]string
	}{
		{"24/7 utc", sla.Calendar{}, nil},
		{"business hours", shanghai(), nil},
		{"24:00 end and touching spans", sla.Calendar{Hours: []sla.WeekdayHours{day("sunday", sp("00:00", "12:00"), sp("12:00", "24:00"))}}, nil},
		{"unknown zone", sla.Calendar{TimeZone: "Mars/Olympus"}, map[string]string{"time_zone": "unknown time zone"}},
		{"local zone", sla.Calendar{TimeZone: "Local"}, map[string]string{"time_zone": "must be an IANA time zone name, not Local"}},
		{"bad times", sla.Calendar{Hours: []sla.WeekdayHours{day("monday", sp("8:30", "12:00"), sp("13:00", "25:00"), sp("24:00", "24:00"), sp("10:6x", "11:00"))}},
			map[string]string{
				"hours[0].spans[0].start": "must be a time HH:MM",
				"hours[0].spans[1].end":   "must be a time HH:MM",
				"hours[0].spans[2].start": "must be before 24:00",
				"hours[0].spans[3].start": "must be a time HH:MM",
			}},
		{"end not after start", sla.Calendar{Hours: []sla.WeekdayHours{day("monday", sp("09:00", "17:00")), day("tuesday", sp("09:00", "09:00"), sp("12:00", "11:00"))}},
			map[string]string{"hours[1].spans[0].end": "must be after start", "hours[1].spans[1].end": "must be after start"}},
		{"overlap", sla.Calendar{Hours: []sla.WeekdayHours{day("monday", sp("13:00", "17:00"), sp("08:00", "13:30"))}},
			map[string]string{"hours[0].spans[1]": "overlaps spans[0]"}},
		{"unknown and duplicate weekday", sla.Calendar{Hours: []sla.WeekdayHours{day("monday", sp("09:00", "10:00")), day("Monday", sp("09:00", "10:00")), day("monday", sp("11:00", "12:00"))}},
			map[string]string{
				"hours[1].weekday": "must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday",
				"hours[2].weekday": "duplicates hours[0]",
			}},
		{"never open", sla.Calendar{Hours: []sla.WeekdayHours{day("monday")}}, map[string]string{"hours": "must open at least once a week"}},
		{"bad holidays", sla.Calendar{Holidays: []string{"2026-10-01", "2026-02-30", "2026/01/01", "2026-1-1"}},
			map[string]string{
				"holidays[1]": "must be a date YYYY-MM-DD",
				"holidays[2]": "must be a date YYYY-MM-DD",
				"holidays[3]": "must be a date YYYY-MM-DD",
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, tc.cal.Validate())
		})
	}
}
