package sla

import (
	"fmt"
	"sort"
	"time"
)

// Between holidays and changes of UTC offset (DST), every run of seven days
// holds the same open time, so Add and Elapsed step over such runs in one
// go and walk day by day only through the weeks around a holiday or an
// offset change. Their cost grows with the holidays and changes crossed, not
// with the length of the target.

const (
	oneDay  = 24 * time.Hour
	oneWeek = 7 * oneDay
	// searchYears caps how far Add and Elapsed look: Policy.Validate keeps
	// targets within a year of open hours, so only holidays covering years
	// could push a due past this.
	searchYears = 10
	searchDays  = searchYears * 366
)

var (
	errAddBeyond     = fmt.Errorf("sla: calendar time not reached within %d years", searchYears)
	errElapsedBeyond = fmt.Errorf("sla: elapsed calendar time over more than %d years is not computed", searchYears)
)

// weekly is the open time of a week without holidays or offset changes.
func (s schedule) weekly() time.Duration {
	if s.days == nil {
		return oneWeek
	}
	var minutes int
	for _, spans := range s.days {
		for _, sp := range spans {
			minutes += sp[1] - sp[0]
		}
	}
	return time.Duration(minutes) * time.Minute
}

// perYear is the open time of 365 days of regular weeks; holidays are
// dated, so they are not taken off.
func (s schedule) perYear() time.Duration {
	return s.weekly() * 365 / 7
}

// wholeWeeks returns how many whole regular weeks, at most limit, follow the
// local midnight of y-m-d: no holiday falls on them and the zone's offset
// stays the same from that midnight to the one n weeks on, so each holds
// exactly weekly() and those midnights lie exactly n×7×24 h apart.
func (s schedule) wholeWeeks(y int, m time.Month, d int, limit int64) int64 {
	if limit <= 0 {
		return 0
	}
	t0 := time.Date(y, m, d, 0, 0, 0, 0, s.loc)
	if t0.Hour() != 0 || t0.Minute() != 0 {
		return 0 // midnight falls in a DST gap: walk this day
	}
	n := limit
	if _, end := t0.ZoneBounds(); !end.IsZero() {
		n = min(n, int64((end.Sub(t0)-1)/oneWeek))
	}
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	i := sort.Search(len(s.holidayDates), func(i int) bool { return !s.holidayDates[i].Before(date) })
	if i < len(s.holidayDates) {
		n = min(n, int64(s.holidayDates[i].Sub(date)/oneWeek))
	}
	return n
}

// closedBefore counts the weekdays without spans that end a regular week
// whose last day is last: what the day-by-day walk's count of closed days
// reads after such a week.
func (s schedule) closedBefore(last time.Weekday) int {
	if s.days == nil {
		return 0
	}
	n := 0
	for n < 7 && len(s.days[(int(last)-n+7)%7]) == 0 {
		n++
	}
	return n
}
