package sla

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// refAdd and refElapsed are Add and Elapsed as they were before whole
// weeks: one day at a time, without a horizon. The week-by-week versions
// must agree with them wherever these finish.
func refAdd(c Calendar, start time.Time, d time.Duration) (time.Time, error) {
	s, err := c.compile()
	if err != nil {
		return time.Time{}, err
	}
	if d == 0 {
		return start, nil
	}
	y, m, day := start.In(s.loc).Date()
	cursor, left, closed := start, d, 0
	for i := -1; closed < maxClosedDays; i++ {
		found := false
		for _, sp := range s.open(y, m, day+i) {
			from := later(sp[0], cursor)
			if !sp[1].After(from) {
				continue
			}
			found = true
			avail := sp[1].Sub(from)
			if left <= avail {
				return from.Add(left).In(start.Location()), nil
			}
			left, cursor = left-avail, sp[1]
		}
		if found {
			closed = 0
		} else if i >= 0 {
			closed++
		}
	}
	return time.Time{}, errors.New("sla: calendar has no opening within 366 days")
}

func refElapsed(c Calendar, from, to time.Time) (time.Duration, error) {
	s, err := c.compile()
	if err != nil {
		return 0, err
	}
	if !to.After(from) {
		return 0, nil
	}
	y, m, day := from.In(s.loc).Date()
	cursor, total := from, time.Duration(0)
	for i := -1; ; i++ {
		if time.Date(y, m, day+i, 0, 0, 0, 0, s.loc).After(to) {
			return total, nil
		}
		for _, sp := range s.open(y, m, day+i) {
			a, b := later(sp[0], cursor), earlier(sp[1], to)
			if b.After(a) {
				total += b.Sub(a)
				cursor = b
			}
		}
	}
}

func days(names []string, spans ...Span) []WeekdayHours {
	var out []WeekdayHours
	for _, n := range names {
		out = append(out, WeekdayHours{Weekday: n, Spans: spans})
	}
	return out
}

var workdays = []string{"monday", "tuesday", "wednesday", "thursday", "friday"}

// refCalendars are ordinary calendars, with zones whose offsets change in
// different ways: an hour at 02:00 (Berlin), at midnight (Santiago, Havana),
// by half an hour (Lord Howe), across the date line (Apia, 2011), never
// (Shanghai, Kolkata).
func refCalendars() map[string]Calendar {
	holidays := []string{"2026-01-01", "2026-04-03", "2026-05-01", "2026-10-01", "2026-10-02", "2026-12-25", "2027-01-01", "2027-05-03"}
	night := append(days([]string{"monday", "wednesday", "friday"}, Span{"00:00", "06:00"}, Span{"22:00", "24:00"}),
		WeekdayHours{Weekday: "saturday", Spans: []Span{{"00:00", "06:00"}}})
	return map[string]Calendar{
		"shanghai business hours and holidays": {TimeZone: "Asia/Shanghai", Hours: days(workdays, Span{"08:30", "12:00"}, Span{"13:00", "17:30"}), Holidays: holidays},
		"berlin office":                        {TimeZone: "Europe/Berlin", Hours: days(workdays, Span{"09:00", "17:00"})},
		"berlin around the clock, holidays":    {TimeZone: "Europe/Berlin", Holidays: holidays},
		"berlin nights":                        {TimeZone: "Europe/Berlin", Hours: night},
		"new york sundays":                     {TimeZone: "America/New_York", Hours: days([]string{"sunday"}, Span{"00:00", "24:00"})},
		"santiago office":                      {TimeZone: "America/Santiago", Hours: days(workdays, Span{"00:00", "03:00"}, Span{"08:00", "18:00"})},
		"havana saturdays":                     {TimeZone: "America/Havana", Hours: days([]string{"saturday", "sunday"}, Span{"00:00", "24:00"})},
		"lord howe mornings":                   {TimeZone: "Australia/Lord_Howe", Hours: days(workdays, Span{"01:00", "03:00"})},
		"apia weekdays":                        {TimeZone: "Pacific/Apia", Hours: days(workdays, Span{"09:00", "17:00"})},
		"kolkata four hours on mondays":        {TimeZone: "Asia/Kolkata", Hours: days([]string{"monday"}, Span{"10:00", "14:00"})},
		"utc weekdays, holidays":               {Hours: days(workdays, Span{"09:00", "17:00"}), Holidays: holidays},
	}
}

func TestWeeksAgreeWithDayByDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 5))
	base := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	starts := []time.Time{time.Date(2011, 12, 20, 10, 0, 0, 0, time.UTC)} // Apia skipped 2011-12-30
	for range 40 {
		starts = append(starts, base.Add(time.Duration(rng.Int64N(int64(2*365*oneDay)))).Truncate(time.Minute))
	}
	targets := []time.Duration{time.Minute, 2 * time.Hour, 24 * time.Hour, 100 * time.Hour, 500 * time.Hour, 2000 * time.Hour}
	for range 10 {
		targets = append(targets, time.Duration(rng.Int64N(int64(3000*time.Hour))))
	}
	for name, c := range refCalendars() {
		t.Run(name, func(t *testing.T) {
			require.Nil(t, c.Validate())
			for _, s := range starts {
				for _, d := range targets {
					want, werr := refAdd(c, s, d)
					got, err := c.Add(s, d)
					if errors.Is(err, errAddBeyond) {
						require.NoError(t, werr)
						require.Greater(t, want.Sub(s), (searchDays-1)*oneDay, "%s + %s = %s is within the horizon", s, d, want)
						continue
					}
					require.Equal(t, werr, err, "%s + %s", s, d)
					require.True(t, want.Equal(got), "%s + %s: day by day %s, by weeks %s", s, d, want, got)
					if werr != nil {
						continue
					}
					to := s.Add(d + time.Duration(rng.Int64N(int64(30*oneDay))))
					for _, to := range []time.Time{got, to} {
						wantEl, err := refElapsed(c, s, to)
						require.NoError(t, err)
						gotEl, err := c.Elapsed(s, to)
						require.NoError(t, err)
						require.Equal(t, wantEl, gotEl, "elapsed %s → %s", s, to)
					}
				}
			}
		})
	}
}

// BenchmarkLongTarget compares weeks with days over targets near a year of
// open hours: Shanghai office hours with eight holidays (a year ahead), and
// four hours on Mondays in Kolkata (eight years ahead).
func BenchmarkLongTarget(b *testing.B) {
	start := time.Date(2026, 3, 13, 16, 45, 0, 0, time.UTC)
	type bench struct {
		name string
		f    func() error
	}
	var benches []bench
	for _, tc := range []struct {
		name string
		d    time.Duration
	}{{"shanghai business hours and holidays", 2000 * time.Hour}, {"kolkata four hours on mondays", 1600 * time.Hour}} {
		c := refCalendars()[tc.name]
		due, err := c.Add(start, tc.d)
		require.NoError(b, err)
		benches = append(benches,
			bench{tc.name + "/Add", func() error { _, err := c.Add(start, tc.d); return err }},
			bench{tc.name + "/Elapsed", func() error { _, err := c.Elapsed(start, due); return err }},
			bench{tc.name + "/day by day/Add", func() error { _, err := refAdd(c, start, tc.d); return err }},
			bench{tc.name + "/day by day/Elapsed", func() error { _, err := refElapsed(c, start, due); return err }},
		)
	}
	for _, bc := range append(benches, bench{"slowcal/Add", func() error {
		slow := Calendar{Hours: days([]string{"monday"}, Span{"00:00", "00:01"})}
		if _, err := slow.Add(start, 8760*time.Hour); !errors.Is(err, errAddBeyond) {
			return fmt.Errorf("want errAddBeyond, got %v", err)
		}
		return nil
	}}) {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if err := bc.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
