package review

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// MonthLayout is how a month is written: yyyy-mm.
const MonthLayout = "2006-01"

// TopN is how many part numbers and root causes the review lists.
const TopN = 10

// ParseMonth reads yyyy-mm (nothing else: no day, no single-digit month)
// and returns the month's first day at midnight UTC.
func ParseMonth(s string) (time.Time, error) {
	t, err := time.Parse(MonthLayout, s)
	if err != nil || len(s) != len(MonthLayout) {
		return time.Time{}, fmt.Errorf("month %q: want yyyy-mm", s)
	}
	return t, nil
}

// MonthRange is the month as instants: its first instant in loc, and the
// first instant of the next month.
func MonthRange(month string, loc *time.Location) (from, to time.Time, err error) {
	if loc == nil {
		return time.Time{}, time.Time{}, errors.New("month range: no time zone")
	}
	m, err := ParseMonth(month)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	from = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, loc)
	return from, from.AddDate(0, 1, 0), nil
}

// PreviousMonth is the month before the one now falls in, in loc: the
// month a review run on the first of the month reviews.
func PreviousMonth(now time.Time, loc *time.Location) string {
	y, m, _ := now.In(loc).Date()
	return time.Date(y, m-1, 1, 0, 0, 0, 0, loc).Format(MonthLayout)
}

// Compute makes a month's figures from the facts. Only the cases received
// within the month count, so the caller may pass a wider set. Rules beyond
// the type's comments:
//   - counts keep the empty key ("" = not known yet) so that each list adds
//     up to Cases; top parts and causes skip it;
//   - a clock is measured when met or breached; one breached at any time
//     counts as breached, stopped or not;
//   - Times and ResolveDistribution read the clocks that stopped (Elapsed);
//     median and 90th percentile by nearest rank: the ⌈p·n⌉-th smallest;
//   - CAPA, at the month's end (to): open = opened before it and not at
//     stage effective; overdue = open with its due day over by then (due
//     date before to's date, as capa.OverdueAt has it); effective = judged
//     effective within the month, whatever its stage now;
//   - satisfaction averages the answers of the month's cases;
//   - surveys count the answers given within the month (AnsweredAt in
//     [from, to), so the caller may pass a wider set) whose scores are on
//     their scales (satisfaction 1–5, would_recommend 0–10; the survey form
//     takes no other); the net promoter score is promoters (9–10) less
//     detractors (0–6) in percent of those answers.
//
// surveys is last and optional so that a caller without surveys (a test,
// a benchmark) reads as before.
func Compute(month string, loc *time.Location, cases []CaseFacts, capas []CapaFacts, now time.Time,
	surveys ...SurveyFacts) (Figures, error) {
	from, to, err := MonthRange(month, loc)
	if err != nil {
		return Figures{}, err
	}
	in := make([]CaseFacts, 0, len(cases))
	for _, c := range cases {
		if !c.ReceivedAt.Before(from) && c.ReceivedAt.Before(to) {
			in = append(in, c)
		}
	}
	f := Figures{
		Month: month, From: from, To: to, TimeZone: loc.String(), ComputedAt: now,
		Cases:             len(in),
		ByCategory:        tally(in, func(c CaseFacts) string { return c.Category }, true, 0),
		BySeverity:        tally(in, func(c CaseFacts) string { return c.Severity }, true, 0),
		ByDepartment:      tally(in, func(c CaseFacts) string { return c.ResponsibleDepartment }, true, 0),
		ByBranchOffice:    tally(in, func(c CaseFacts) string { return c.BranchOffice }, true, 0),
		ByRegion:          tally(in, func(c CaseFacts) string { return c.Region }, true, 0),
		TopParts:          tally(in, func(c CaseFacts) string { return c.PartNumber }, false, TopN),
		TopCauses:         tally(in, func(c CaseFacts) string { return c.RootCause }, false, TopN),
		Capa:              capaFigures(capas, from, to, loc),
		Satisfaction:      satisfactionOf(in),
		Surveys:           surveyFigures(surveys, from, to),
		Weeks:             weekCounts(in, from, to, loc),
		MinorByDepartment: minorCases(in),
		Accountability:    accountabilityRows(in),
	}
	f.ServiceLevels, f.Times = clockFigures(in)
	f.ResolveDistribution = resolveDistribution(in)
	for _, c := range in {
		if anyBreached(c) {
			f.Breaches++
		}
		if c.Recurrence {
			f.Recurrences++
		}
	}
	return f, nil
}

// tally counts items by key, most frequent first, then by key; keepEmpty
// keeps the "" key, limit > 0 keeps that many.
func tally[T any](items []T, key func(T) string, keepEmpty bool, limit int) []Count {
	n := map[string]int{}
	for _, c := range items {
		if k := key(c); k != "" || keepEmpty {
			n[k]++
		}
	}
	out := make([]Count, 0, len(n))
	for k, v := range n {
		out = append(out, Count{Key: k, Count: v})
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Key, b.Key))
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

func clockFigures(cases []CaseFacts) ([]ServiceLevel, []TimeFigure) {
	var levels []ServiceLevel
	var times []TimeFigure
	for _, name := range complaint.ClockNames() {
		l := ServiceLevel{Clock: name}
		var secs []float64
		for _, c := range cases {
			cf := c.Clocks[name]
			switch complaint.ClockState(cf.State) {
			case complaint.ClockMet:
				l.Met++
			case complaint.ClockBreached:
				l.Breached++
			}
			if cf.Elapsed != nil {
				secs = append(secs, cf.Elapsed.Seconds())
			}
		}
		l.Measured = l.Met + l.Breached
		if l.Measured > 0 {
			l.MetPercent = round(100*float64(l.Met)/float64(l.Measured), 1)
		}
		levels = append(levels, l)
		slices.Sort(secs)
		times = append(times, TimeFigure{Clock: name, Count: len(secs),
			MedianSeconds: nearestRank(secs, 50), P90Seconds: nearestRank(secs, 90)})
	}
	return levels, times
}

// nearestRank is the p-th percentile of sorted values: the ⌈p/100·n⌉-th
// smallest, a value that occurred; 0 for none.
func nearestRank(sorted []float64, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	// Integer arithmetic: ⌈p·n/100⌉ without float rounding at exact ranks.
	rank := (p*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func anyBreached(c CaseFacts) bool {
	for _, name := range complaint.ClockNames() {
		if complaint.ClockState(c.Clocks[name].State) == complaint.ClockBreached {
			return true
		}
	}
	return false
}

func capaFigures(capas []CapaFacts, from, to time.Time, loc *time.Location) CapaFigures {
	endDate := to.In(loc).Format(time.DateOnly)
	var f CapaFigures
	for _, c := range capas {
		if at := c.VerifiedEffectiveAt; at != nil && !at.Before(from) && at.Before(to) {
			f.Effective++
		}
		if !c.OpenedAt.Before(to) || complaint.CapaEnded(c.Stage) {
			continue
		}
		f.Open++
		// yyyy-mm-dd compares in date order.
		if c.DueDate < endDate {
			f.Overdue++
		}
	}
	return f
}

func satisfactionOf(cases []CaseFacts) SatisfactionFigures {
	var s SatisfactionFigures
	sum := 0
	for _, c := range cases {
		if c.Satisfaction != nil {
			s.Answers++
			sum += *c.Satisfaction
		}
	}
	if s.Answers > 0 {
		s.Average = round(float64(sum)/float64(s.Answers), 2)
	}
	return s
}

// Survey scales and the net promoter score's bands.
const (
	minSatisfaction, maxSatisfaction = 1, 5
	maxRecommend                     = 10
	promoterFrom, detractorTo        = 9, 6
)

func surveyFigures(surveys []SurveyFacts, from, to time.Time) SurveyFigures {
	in := make([]SurveyFacts, 0, len(surveys))
	for _, a := range surveys {
		if !a.AnsweredAt.Before(from) && a.AnsweredAt.Before(to) &&
			a.Satisfaction >= minSatisfaction && a.Satisfaction <= maxSatisfaction &&
			a.WouldRecommend >= 0 && a.WouldRecommend <= maxRecommend {
			in = append(in, a)
		}
	}
	s := SurveyFigures{Answers: len(in), BySatisfaction: make([]Count, 0, maxSatisfaction),
		ByKind: tally(in, func(a SurveyFacts) string { return a.Kind }, true, 0)}
	for score := minSatisfaction; score <= maxSatisfaction; score++ {
		s.BySatisfaction = append(s.BySatisfaction, Count{Key: strconv.Itoa(score)})
	}
	sum := 0
	for _, a := range in {
		sum += a.Satisfaction
		s.BySatisfaction[a.Satisfaction-minSatisfaction].Count++
		switch {
		case a.WouldRecommend >= promoterFrom:
			s.Promoters++
		case a.WouldRecommend <= detractorTo:
			s.Detractors++
		default:
			s.Passives++
		}
	}
	if s.Answers > 0 {
		s.MeanSatisfaction = round(float64(sum)/float64(s.Answers), 1)
		s.NetPromoterScore = round(100*float64(s.Promoters-s.Detractors)/float64(s.Answers), 1)
	}
	return s
}

// weekCounts has a week for each Monday in the month, and one from the
// first of the month when it is not a Monday.
func weekCounts(cases []CaseFacts, from, to time.Time, loc *time.Location) []WeekCount {
	var weeks []WeekCount
	var weekOfDay []int // by day of the month - 1
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		if d.Equal(from) || d.Weekday() == time.Monday {
			byCategory := map[string]int{}
			for _, cat := range complaint.Categories() {
				byCategory[cat] = 0
			}
			weeks = append(weeks, WeekCount{Start: d.Format(time.DateOnly), ByCategory: byCategory})
		}
		weekOfDay = append(weekOfDay, len(weeks)-1)
	}
	for _, c := range cases {
		w := weeks[weekOfDay[c.ReceivedAt.In(loc).Day()-1]]
		w.ByCategory[c.Category]++
	}
	return weeks
}

// resolveBuckets are the buckets of the resolution time distribution, by
// their inclusive upper bound; the last is open.
var resolveBuckets = []resolveBucket{
	{"≤ 4 h", 4 * time.Hour},
	{"4–8 h", 8 * time.Hour},
	{"8–24 h", 24 * time.Hour},
	{"24–72 h", 72 * time.Hour},
	{"> 72 h", math.MaxInt64},
}

type resolveBucket struct {
	label string
	upTo  time.Duration
}

func resolveDistribution(cases []CaseFacts) []Bucket {
	out := make([]Bucket, len(resolveBuckets))
	for i, b := range resolveBuckets {
		out[i].Label = b.label
	}
	for _, c := range cases {
		if e := c.Clocks[complaint.ClockResolution].Elapsed; e != nil {
			out[slices.IndexFunc(resolveBuckets, func(b resolveBucket) bool { return *e <= b.upTo })].Count++
		}
	}
	return out
}

// minorCases lists the minor cases by responsible department, in the
// order of complaint.Departments, then any other department by name, then
// the cases not yet analyzed ("").
func minorCases(cases []CaseFacts) []DepartmentCases {
	byDept := map[string][]string{}
	for _, c := range cases {
		if c.Severity == string(complaint.SeverityMinor) {
			byDept[c.ResponsibleDepartment] = append(byDept[c.ResponsibleDepartment], c.CaseNumber)
		}
	}
	order := complaint.Departments()
	var others []string
	for d := range byDept {
		if d != "" && !slices.Contains(order, d) {
			others = append(others, d)
		}
	}
	slices.Sort(others)
	out := []DepartmentCases{}
	for _, d := range append(append(order, others...), "") {
		if numbers, ok := byDept[d]; ok {
			slices.Sort(numbers)
			out = append(out, DepartmentCases{Department: d, CaseNumbers: numbers})
		}
	}
	return out
}

// accountabilityRows has a row for every department, with a count for
// every liability, so that each department's supervisor sees its row.
func accountabilityRows(cases []CaseFacts) []Accountability {
	out := make([]Accountability, len(complaint.Departments()))
	row := map[string]*Accountability{}
	for i, d := range complaint.Departments() {
		out[i] = Accountability{Department: d, Liability: map[string]int{}}
		for _, l := range complaint.Liabilities() {
			out[i].Liability[l] = 0
		}
		row[d] = &out[i]
	}
	for _, c := range cases {
		if a := row[c.ResponsibleDepartment]; a != nil {
			a.Cases++
			if c.Liability != "" {
				a.Liability[c.Liability]++
			}
		}
	}
	return out
}

func round(x float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(x*p) / p
}
