package sla

import (
	"errors"
	"fmt"
	"sort"
	"time"
)

// maxClosedDays bounds the search for the next opening, so a calendar whose
// holidays cover every open day cannot loop forever.
const maxClosedDays = 366

// schedule is a validated calendar: spans per weekday in minutes after local
// midnight, sorted; nil days means around the clock.
type schedule struct {
	loc          *time.Location
	days         *[7][][2]int
	holidays     map[string]bool // looked up only, never iterated
	holidayDates []time.Time     // the same, as UTC midnights in order
}

func (c Calendar) compile() (schedule, error) {
	if p := c.Validate(); p != nil {
		return schedule{}, problemsError("calendar", p)
	}
	loc, _ := c.location()
	s := schedule{loc: loc, holidays: map[string]bool{}}
	for _, h := range c.Holidays {
		s.holidays[h] = true
		d, _ := time.Parse(time.DateOnly, h)
		s.holidayDates = append(s.holidayDates, d)
	}
	sort.Slice(s.holidayDates, func(i, j int) bool { return s.holidayDates[i].Before(s.holidayDates[j]) })
	if len(c.Hours) > 0 {
		s.days = new([7][][2]int)
		for _, wh := range c.Hours {
			wd := weekdays[wh.Weekday]
			for _, sp := range wh.Spans {
				a, _ := parseClock(sp.Start, false)
				b, _ := parseClock(sp.End, true)
				s.days[wd] = append(s.days[wd], [2]int{a, b})
			}
			sort.Slice(s.days[wd], func(i, j int) bool { return s.days[wd][i][0] < s.days[wd][j][0] })
		}
	}
	return s, nil
}

// open returns the opening spans of the local date y-m-d as instants.
// Spans are built with time.Date, so they are wall-clock local times.
func (s schedule) open(y int, m time.Month, d int) [][2]time.Time {
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC) // civil date, no DST
	if s.holidays[date.Format(time.DateOnly)] {
		return nil
	}
	spans := [][2]int{{0, 24 * 60}}
	if s.days != nil {
		spans = s.days[date.Weekday()]
	}
	out := make([][2]time.Time, len(spans))
	for i, sp := range spans {
		out[i] = [2]time.Time{
			time.Date(y, m, d, 0, sp[0], 0, 0, s.loc),
			time.Date(y, m, d, 0, sp[1], 0, 0, s.loc),
		}
	}
	return out
}

// trivial reports a 24/7 calendar without holidays: plain absolute time.
func (c Calendar) trivial() bool { return len(c.Hours) == 0 && len(c.Holidays) == 0 }

// Add returns the earliest instant at which d of calendar time has run from
// start, in start's location. start may lie outside business hours: the
// clock starts at the next opening. It fails on an invalid calendar, a
// negative d, when no opening is found within 366 days, or when the instant
// lies more than 10 years ahead.
func (c Calendar) Add(start time.Time, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, fmt.Errorf("sla: negative duration %s", d)
	}
	if c.trivial() {
		if err := c.checkZone(); err != nil {
			return time.Time{}, err
		}
		return start.Add(d), nil
	}
	s, err := c.compile()
	if err != nil {
		return time.Time{}, err
	}
	if d == 0 {
		return start, nil
	}
	w := s.weekly()
	// Start a day early: a span of the previous local date may still be open.
	y, m, day := start.In(s.loc).Date()
	cursor, left, closed := start, d, 0
	for i := -1; closed < maxClosedDays; i++ {
		// From the day after start on, days lie wholly after cursor: step
		// over regular weeks, leaving the last part of d for the walk.
		if i >= 1 {
			if n := s.wholeWeeks(y, m, day+i, int64((left-1)/w)); n > 0 {
				left -= time.Duration(n) * w
				i += 7 * int(n)
				cursor = time.Date(y, m, day+i, 0, 0, 0, 0, s.loc)
				closed = s.closedBefore(time.Date(y, m, day+i-1, 0, 0, 0, 0, time.UTC).Weekday())
			}
		}
		if i > searchDays {
			return time.Time{}, errAddBeyond
		}
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

// Elapsed returns the calendar time between from and to (0 if to <= from).
// It fails on an invalid calendar or when to lies more than 10 years after
// from.
func (c Calendar) Elapsed(from, to time.Time) (time.Duration, error) {
	if c.trivial() {
		if err := c.checkZone(); err != nil {
			return 0, err
		}
		return max(to.Sub(from), 0), nil
	}
	s, err := c.compile()
	if err != nil {
		return 0, err
	}
	if !to.After(from) {
		return 0, nil
	}
	if to.Sub(from) > searchDays*oneDay {
		return 0, errElapsedBeyond
	}
	w := s.weekly()
	y, m, day := from.In(s.loc).Date()
	cursor, total := from, time.Duration(0)
	for i := -1; ; i++ {
		midnight := time.Date(y, m, day+i, 0, 0, 0, 0, s.loc)
		if midnight.After(to) {
			return total, nil
		}
		// Whole regular weeks that end by to count weekly() each.
		if i >= 1 {
			if n := s.wholeWeeks(y, m, day+i, int64(to.Sub(midnight)/oneWeek)); n > 0 {
				total += time.Duration(n) * w
				i += 7 * int(n)
				cursor = time.Date(y, m, day+i, 0, 0, 0, 0, s.loc)
			}
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

// checkZone keeps a trivial calendar from accepting a bad zone silently.
func (c Calendar) checkZone() error {
	if _, err := c.location(); err != nil {
		return fmt.Errorf("sla: invalid calendar: time_zone: %v", err)
	}
	return nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// AddWorkingDays moves t n working days on: to the same wall-clock time on
// the n-th later local date that has an opening (a weekday with hours, not
// a holiday; every date but the holidays on a calendar around the clock).
// A calendar that does not compile counts plain days.
func (c Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	s, err := c.compile()
	if err != nil || n <= 0 {
		return t.AddDate(0, 0, max(n, 0))
	}
	local := t.In(s.loc)
	y, m, d := local.Date()
	for i := 1; i <= searchDays; i++ {
		if len(s.open(y, m, d+i)) == 0 {
			continue
		}
		if n--; n == 0 {
			return time.Date(y, m, d+i, local.Hour(), local.Minute(), local.Second(), local.Nanosecond(), s.loc).
				In(t.Location())
		}
	}
	return t.AddDate(0, 0, n)
}
