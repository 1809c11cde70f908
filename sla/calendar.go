package sla

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Span is a daily opening span in the calendar's zone, "HH:MM" to "HH:MM"
// (end after start; "24:00" allowed as end). Spans are wall-clock times, so
// across a DST change an opening keeps its local hours, not its length.
type Span struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// WeekdayHours are the business hours of one weekday ("monday".."sunday").
// A weekday that is not listed, or has no spans, is closed.
type WeekdayHours struct {
	Weekday string `json:"weekday"`
	Spans   []Span `json:"spans"`
}

// Calendar says when service-level clocks run. No Hours means around the
// clock (24/7). Holidays are dates (YYYY-MM-DD, in the zone) on which the
// clock stops all day, also on a 24/7 calendar.
type Calendar struct {
	TimeZone string         `json:"time_zone"` // IANA name; "" = UTC
	Hours    []WeekdayHours `json:"hours,omitempty"`
	Holidays []string       `json:"holidays,omitempty"`
}

// weekdays maps JSON names to time.Weekday; only looked up, never iterated.
var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday,
	"friday": time.Friday, "saturday": time.Saturday,
}

// Validate returns problems keyed by JSON field path relative to the
// calendar ("time_zone", "hours[1].spans[0].end"); Policy.Validate prefixes
// them with "calendar.". It returns nil when the calendar is valid.
func (c Calendar) Validate() map[string]string {
	p := map[string]string{}
	if _, err := c.location(); err != nil {
		p["time_zone"] = err.Error()
	}
	seen := map[string]int{}
	open := false
	for i, wh := range c.Hours {
		at := fmt.Sprintf("hours[%d]", i)
		if _, ok := weekdays[wh.Weekday]; !ok {
			p[at+".weekday"] = "must be one of monday, tuesday, wednesday, thursday, friday, saturday, sunday"
		} else if first, dup := seen[wh.Weekday]; dup {
			p[at+".weekday"] = fmt.Sprintf("duplicates hours[%d]", first)
		} else {
			seen[wh.Weekday] = i
		}
		type span struct{ i, s, e int }
		var ok []span
		for j, sp := range wh.Spans {
			sat := fmt.Sprintf("%s.spans[%d]", at, j)
			s, serr := parseClock(sp.Start, false)
			e, eerr := parseClock(sp.End, true)
			switch {
			case serr != nil:
				p[sat+".start"] = serr.Error()
			case eerr != nil:
				p[sat+".end"] = eerr.Error()
			case e <= s:
				p[sat+".end"] = "must be after start"
			default:
				ok = append(ok, span{j, s, e})
			}
		}
		open = open || len(ok) > 0
		sort.SliceStable(ok, func(a, b int) bool { return ok[a].s < ok[b].s })
		for k := 1; k < len(ok); k++ {
			if ok[k].s < ok[k-1].e {
				later := max(ok[k].i, ok[k-1].i)
				p[fmt.Sprintf("%s.spans[%d]", at, later)] = fmt.Sprintf("overlaps spans[%d]", min(ok[k].i, ok[k-1].i))
			}
		}
	}
	if len(c.Hours) > 0 && !open && len(p) == 0 {
		p["hours"] = "must open at least once a week"
	}
	for i, h := range c.Holidays {
		if _, err := time.Parse(time.DateOnly, h); err != nil {
			p[fmt.Sprintf("holidays[%d]", i)] = "must be a date YYYY-MM-DD"
		}
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

// location loads the zone. "Local" is refused: it differs between workers.
func (c Calendar) location() (*time.Location, error) {
	switch c.TimeZone {
	case "", "UTC":
		return time.UTC, nil
	case "Local":
		return nil, fmt.Errorf("must be an IANA time zone name, not Local")
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone")
	}
	return loc, nil
}

// parseClock reads "HH:MM" as minutes after midnight; "24:00" only as an end.
func parseClock(s string, end bool) (int, error) {
	bad := fmt.Errorf("must be a time HH:MM")
	if len(s) != 5 || s[2] != ':' {
		return 0, bad
	}
	d := func(c byte) int { return int(c - '0') }
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, bad
		}
	}
	h, m := d(s[0])*10+d(s[1]), d(s[3])*10+d(s[4])
	switch {
	case end && h == 24 && m == 0:
		return 24 * 60, nil
	case h > 23 || m > 59:
		if h == 24 && m == 0 {
			return 0, fmt.Errorf("must be before 24:00")
		}
		return 0, bad
	}
	return h*60 + m, nil
}

// problemsError turns Validate's map into one error, keys in sorted order so
// the message is the same on every run.
func problemsError(what string, p map[string]string) error {
	keys := make([]string, 0, len(p))
	for k := range p {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + p[k]
	}
	return fmt.Errorf("sla: invalid %s: %s", what, strings.Join(parts, "; "))
}

// Location is the calendar's zone, in which its dates (a warranty's end,
// a holiday) begin and end; UTC for a zone that does not load (a policy
// is validated before it is stored, so only a zone database that lost it).
func (c Calendar) Location() *time.Location {
	loc, err := c.location()
	if err != nil {
		return time.UTC
	}
	return loc
}
