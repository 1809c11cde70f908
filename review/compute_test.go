package review_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestParseMonth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2026-10", time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-01", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{"2026-1", time.Time{}, false},
		{"2026-13", time.Time{}, false},
		{"2026-00", time.Time{}, false},
		{"26-10", time.Time{}, false},
		{"2026-10-01", time.Time{}, false},
		{"2026/10", time.Time{}, false},
		{" 2026-10", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := review.ParseMonth(tc.in)
			if !tc.ok {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestMonthRange(t *testing.T) {
	shanghai, newYork := zone(t, "Asia/Shanghai"), zone(t, "America/New_York")
	for _, tc := range []struct {
		policy   string
		month    string
		loc      *time.Location
		from, to string // RFC 3339
	}{
		{"a month in Shanghai starts at 16:00 UTC the day before", "2026-10", shanghai,
			"2026-09-30T16:00:00Z", "2026-10-31T16:00:00Z"},
		{"December ends at the first instant of January", "2026-12", shanghai,
			"2026-11-30T16:00:00Z", "2026-12-31T16:00:00Z"},
		{"a month that changes to summer time ends an hour earlier in UTC", "2026-03", newYork,
			"2026-03-01T05:00:00Z", "2026-04-01T04:00:00Z"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			from, to, err := review.MonthRange(tc.month, tc.loc)
			require.NoError(t, err)
			require.Equal(t, tc.from, from.UTC().Format(time.RFC3339))
			require.Equal(t, tc.to, to.UTC().Format(time.RFC3339))
			require.Equal(t, tc.loc, from.Location(), "the range is in the company's zone")
		})
	}
	_, _, err := review.MonthRange("2026-13", shanghai)
	require.Error(t, err)
	_, _, err = review.MonthRange("2026-10", nil)
	require.Error(t, err)
}

func TestPreviousMonth(t *testing.T) {
	shanghai := zone(t, "Asia/Shanghai")
	for _, tc := range []struct {
		policy string
		now    time.Time
		loc    *time.Location
		want   string
	}{
		{"on the first of November in Shanghai, October is reviewed",
			time.Date(2026, 11, 1, 0, 30, 0, 0, shanghai), shanghai, "2026-10"},
		{"the month is the company's: 17:00 UTC on 31 October is already November in Shanghai",
			time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), shanghai, "2026-10"},
		{"the same instant in UTC reviews September", time.Date(2026, 10, 31, 17, 0, 0, 0, time.UTC), time.UTC, "2026-09"},
		{"in January the previous year's December is reviewed",
			time.Date(2027, 1, 15, 9, 0, 0, 0, shanghai), shanghai, "2026-12"},
		{"the last day of March reviews February", time.Date(2026, 3, 31, 12, 0, 0, 0, shanghai), shanghai, "2026-02"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.Equal(t, tc.want, review.PreviousMonth(tc.now, tc.loc))
		})
	}
}

// The builders of the table below: October 2026 in Shanghai.

type caseOpt func(*review.CaseFacts)

func kase(number string, received time.Time, opts ...caseOpt) review.CaseFacts {
	c := review.CaseFacts{ID: number, CaseNumber: number, ReceivedAt: received,
		Category: string(complaint.CategoryQuality), Severity: string(complaint.SeverityMinor),
		Clocks: map[string]review.ClockFacts{}}
	for _, o := range opts {
		o(&c)
	}
	return c
}

func clock(name string, state complaint.ClockState, elapsed ...time.Duration) caseOpt {
	return func(c *review.CaseFacts) {
		cf := review.ClockFacts{State: string(state)}
		if len(elapsed) > 0 {
			cf.Elapsed = &elapsed[0]
		}
		c.Clocks[name] = cf
	}
}

func with(f func(*review.CaseFacts)) caseOpt { return f }

func TestCompute(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	day := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, sh) }
	now := time.Date(2026, 11, 1, 2, 0, 0, 0, sh)
	severe := with(func(c *review.CaseFacts) { c.Severity = string(complaint.SeveritySevere) })
	dept := func(d, liability string) caseOpt {
		return with(func(c *review.CaseFacts) { c.ResponsibleDepartment, c.Liability = d, liability })
	}
	part := func(p string) caseOpt { return with(func(c *review.CaseFacts) { c.PartNumber = p }) }
	satisfied := func(n int) caseOpt { return with(func(c *review.CaseFacts) { c.Satisfaction = &n }) }
	resolved := func(d time.Duration) caseOpt {
		return clock(complaint.ClockResolution, complaint.ClockMet, d)
	}
	capa := func(number, stage, due string, opened time.Time, effective *time.Time) review.CapaFacts {
		return review.CapaFacts{ID: number, Number: number, Stage: stage, DueDate: due, OpenedAt: opened,
			OwnerDepartment: complaint.DepartmentQuality, VerifiedEffectiveAt: effective}
	}
	company, customer := string(complaint.LiabilityCompany), string(complaint.LiabilityCustomer)

	for _, tc := range []struct {
		policy string
		cases  []review.CaseFacts
		capas  []review.CapaFacts
		check  func(t *testing.T, f review.Figures)
	}{
		{policy: "a case received on the last day at 23:30 in Shanghai belongs to that month",
			cases: []review.CaseFacts{kase("A", day(31, 23, 30))},
			check: func(t *testing.T, f review.Figures) { require.Equal(t, 1, f.Cases) }},
		{policy: "a case received at the first instant of the month in Shanghai belongs to it, though UTC still says September",
			cases: []review.CaseFacts{kase("A", day(1, 0, 0))},
			check: func(t *testing.T, f review.Figures) { require.Equal(t, 1, f.Cases) }},
		{policy: "a case received at midnight ending the month belongs to the next, and one on the 30th of September to the last",
			cases: []review.CaseFacts{kase("A", time.Date(2026, 11, 1, 0, 0, 0, 0, sh)), kase("B", day(1, 0, 0).Add(-time.Second))},
			check: func(t *testing.T, f review.Figures) {
				require.Zero(t, f.Cases)
				require.Empty(t, f.ByCategory)
			}},
		{policy: "counts run most frequent first, then by key, and keep the empty key so that they add up",
			cases: []review.CaseFacts{
				kase("A", day(2, 9, 0), dept(complaint.DepartmentTechnical, company)),
				kase("B", day(2, 9, 0), dept(complaint.DepartmentTechnical, company)),
				kase("C", day(2, 9, 0), dept(complaint.DepartmentSales, customer)),
				kase("D", day(2, 9, 0), dept(complaint.DepartmentProduction, company)),
				kase("E", day(2, 9, 0)),
				kase("F", day(2, 9, 0)),
				kase("G", day(2, 9, 0), severe),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, []review.Count{{Key: "", Count: 3}, {Key: "technical", Count: 2},
					{Key: "production", Count: 1}, {Key: "sales", Count: 1}}, f.ByDepartment)
				require.Equal(t, []review.Count{{Key: "minor", Count: 6}, {Key: "severe", Count: 1}}, f.BySeverity)
				require.Equal(t, []review.Count{{Key: "", Count: 7}}, f.ByRegion, "the region is not known")
			}},
		{policy: "a clock breached and then stopped counts as breached, and its time counts",
			cases: []review.CaseFacts{kase("A", day(3, 9, 0), clock(complaint.ClockResponse, complaint.ClockBreached, 3*time.Hour))},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.ServiceLevel{Clock: "response", Measured: 1, Breached: 1}, f.ServiceLevels[0])
				require.Equal(t, review.TimeFigure{Clock: "response", Count: 1, MedianSeconds: 10800, P90Seconds: 10800}, f.Times[0])
				require.Equal(t, 1, f.Breaches)
			}},
		{policy: "a clock breached while still running counts as breached, with no time yet",
			cases: []review.CaseFacts{kase("A", day(3, 9, 0), clock(complaint.ClockOnsite, complaint.ClockBreached))},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.ServiceLevel{Clock: "onsite", Measured: 1, Breached: 1}, f.ServiceLevels[1])
				require.Equal(t, review.TimeFigure{Clock: "onsite"}, f.Times[1])
				require.Equal(t, 1, f.Breaches)
			}},
		{policy: "running, paused and not-required clocks are not measured",
			cases: []review.CaseFacts{kase("A", day(3, 9, 0),
				clock(complaint.ClockResponse, complaint.ClockRunning), clock(complaint.ClockOnsite, complaint.ClockNotRequired),
				clock(complaint.ClockResolution, complaint.ClockPaused))},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, []review.ServiceLevel{{Clock: "response"}, {Clock: "onsite"}, {Clock: "resolution"}}, f.ServiceLevels)
				require.Zero(t, f.Breaches)
			}},
		{policy: "the share met is a percentage rounded to one decimal",
			cases: []review.CaseFacts{
				kase("A", day(4, 9, 0), clock(complaint.ClockResponse, complaint.ClockMet, time.Hour)),
				kase("B", day(4, 9, 0), clock(complaint.ClockResponse, complaint.ClockMet, time.Hour)),
				kase("C", day(4, 9, 0), clock(complaint.ClockResponse, complaint.ClockBreached, 3*time.Hour)),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.ServiceLevel{Clock: "response", Measured: 3, Met: 2, Breached: 1, MetPercent: 66.7}, f.ServiceLevels[0])
			}},
		{policy: "median and 90th percentile are nearest-rank: the 5th and 9th of ten times",
			cases: func() []review.CaseFacts {
				var cs []review.CaseFacts
				for i := 10; i >= 1; i-- { // out of order on purpose
					cs = append(cs, kase(fmt.Sprint(i), day(5, 9, 0), resolved(time.Duration(i)*time.Hour)))
				}
				return cs
			}(),
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.TimeFigure{Clock: "resolution", Count: 10, MedianSeconds: 5 * 3600, P90Seconds: 9 * 3600}, f.Times[2])
			}},
		{policy: "of eleven times the median is the 6th and the 90th percentile the 10th",
			cases: func() []review.CaseFacts {
				var cs []review.CaseFacts
				for i := 1; i <= 11; i++ {
					cs = append(cs, kase(fmt.Sprint(i), day(5, 9, 0), resolved(time.Duration(i)*time.Minute)))
				}
				return cs
			}(),
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.TimeFigure{Clock: "resolution", Count: 11, MedianSeconds: 360, P90Seconds: 600}, f.Times[2])
			}},
		{policy: "top parts skip cases without a part number and keep the ten most frequent",
			cases: func() []review.CaseFacts {
				cs := []review.CaseFacts{kase("x1", day(6, 9, 0)), kase("x2", day(6, 9, 0)), kase("x3", day(6, 9, 0))}
				for i := range 12 {
					for range 12 - i { // P-00 twelve times, ..., P-11 once
						cs = append(cs, kase("p", day(6, 9, 0), part(fmt.Sprintf("P-%02d", i))))
					}
				}
				return append(cs, kase("q", day(6, 9, 0), part("P-10"))) // P-10 ties P-09
			}(),
			check: func(t *testing.T, f review.Figures) {
				require.Len(t, f.TopParts, 10)
				require.Equal(t, review.Count{Key: "P-00", Count: 12}, f.TopParts[0])
				require.Equal(t, review.Count{Key: "P-08", Count: 4}, f.TopParts[8])
				require.Equal(t, review.Count{Key: "P-09", Count: 3}, f.TopParts[9], "a tie goes to the smaller key")
				require.Empty(t, f.TopCauses, "no case has a root cause yet")
			}},
		{policy: "recurrences count the cases that repeat an earlier one",
			cases: []review.CaseFacts{kase("A", day(7, 9, 0), with(func(c *review.CaseFacts) { c.Recurrence = true })), kase("B", day(7, 9, 0))},
			check: func(t *testing.T, f review.Figures) { require.Equal(t, 1, f.Recurrences) }},
		{policy: "satisfaction averages the answers given, rounded to two decimals",
			cases: []review.CaseFacts{kase("A", day(8, 9, 0), satisfied(4)), kase("B", day(8, 9, 0), satisfied(5)),
				kase("C", day(8, 9, 0), satisfied(5)), kase("D", day(8, 9, 0))},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.SatisfactionFigures{Answers: 3, Average: 4.67}, f.Satisfaction)
			}},
		{policy: "weeks start on Monday, the first one clipped to the month, each with every category",
			cases: []review.CaseFacts{
				kase("Thu 1st", day(1, 0, 0)),
				kase("Sun 4th", day(4, 23, 59), with(func(c *review.CaseFacts) { c.Category = string(complaint.CategoryOther) })),
				kase("Mon 5th", day(5, 0, 0)),
				kase("Sat 31st", day(31, 23, 30), with(func(c *review.CaseFacts) { c.Category = string(complaint.CategoryNonQuality) })),
			},
			check: func(t *testing.T, f review.Figures) {
				week := func(start string, q, n, o int) review.WeekCount {
					return review.WeekCount{Start: start, ByCategory: map[string]int{"quality": q, "non_quality": n, "other": o}}
				}
				require.Equal(t, []review.WeekCount{week("2026-10-01", 1, 0, 1), week("2026-10-05", 1, 0, 0),
					week("2026-10-12", 0, 0, 0), week("2026-10-19", 0, 0, 0), week("2026-10-26", 0, 1, 0)}, f.Weeks)
			}},
		{policy: "resolution times fall in buckets that include their upper bound",
			cases: []review.CaseFacts{
				kase("A", day(9, 9, 0), resolved(4*time.Hour)),
				kase("B", day(9, 9, 0), resolved(4*time.Hour+time.Second)),
				kase("C", day(9, 9, 0), resolved(24*time.Hour)),
				kase("D", day(9, 9, 0), resolved(72*time.Hour)),
				kase("E", day(9, 9, 0), resolved(72*time.Hour+time.Second)),
				kase("F", day(9, 9, 0), clock(complaint.ClockResolution, complaint.ClockBreached, 100*time.Hour)),
				kase("G", day(9, 9, 0), clock(complaint.ClockResolution, complaint.ClockRunning)),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, []review.Bucket{{Label: "≤ 4 h", Count: 1}, {Label: "4–8 h", Count: 1}, {Label: "8–24 h", Count: 1},
					{Label: "24–72 h", Count: 1}, {Label: "> 72 h", Count: 2}}, f.ResolveDistribution)
			}},
		{policy: "minor cases go back to their department, in the departments' order, the unanalyzed last",
			cases: []review.CaseFacts{
				kase("CMP-2026-000009", day(10, 9, 0), dept(complaint.DepartmentProduction, company)),
				kase("CMP-2026-000002", day(10, 9, 0), dept(complaint.DepartmentProduction, company)),
				kase("CMP-2026-000003", day(10, 9, 0)),
				kase("CMP-2026-000004", day(10, 9, 0), dept(complaint.DepartmentSales, customer)),
				kase("CMP-2026-000005", day(10, 9, 0), dept(complaint.DepartmentAfterSales, customer), severe),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, []review.DepartmentCases{
					{Department: "sales", CaseNumbers: []string{"CMP-2026-000004"}},
					{Department: "production", CaseNumbers: []string{"CMP-2026-000002", "CMP-2026-000009"}},
					{Department: "", CaseNumbers: []string{"CMP-2026-000003"}},
				}, f.MinorByDepartment)
			}},
		{policy: "every department has an accountability row with a count for every liability",
			cases: []review.CaseFacts{
				kase("A", day(11, 9, 0), dept(complaint.DepartmentProduction, company)),
				kase("B", day(11, 9, 0), dept(complaint.DepartmentProduction, customer), severe),
				kase("C", day(11, 9, 0)),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Len(t, f.Accountability, len(complaint.Departments()))
				none := map[string]int{"company": 0, "customer": 0, "third_party": 0, "undetermined": 0}
				require.Equal(t, review.Accountability{Department: "after_sales", Liability: none}, f.Accountability[0])
				require.Equal(t, review.Accountability{Department: "production", Cases: 2,
					Liability: map[string]int{"company": 1, "customer": 1, "third_party": 0, "undetermined": 0}}, f.Accountability[3])
			}},
		{policy: "an action is open until effective, and overdue once its due day has ended by the month's end",
			capas: []review.CapaFacts{
				capa("due in September", complaint.CapaOpen, "2026-09-15", day(1, 9, 0).AddDate(0, -2, 0), nil),
				capa("due on the last day", complaint.CapaDone, "2026-10-31", day(2, 9, 0), nil),
				capa("due in November", complaint.CapaVerifying, "2026-11-01", day(3, 9, 0), nil),
				capa("reopened", complaint.CapaIneffective, "2026-10-20", day(3, 9, 0), nil),
				capa("effective", complaint.CapaEffective, "2026-09-01", day(1, 9, 0).AddDate(0, -3, 0), new(day(20, 9, 0))),
				capa("opened after the month", complaint.CapaOpen, "2026-10-01", time.Date(2026, 11, 1, 0, 0, 0, 0, sh), nil),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.CapaFigures{Open: 4, Overdue: 3, Effective: 1}, f.Capa)
			}},
		{policy: "an action judged effective within the month counts as effective, whatever its stage now",
			capas: []review.CapaFacts{
				capa("at the first instant", complaint.CapaEffective, "2026-09-01", day(1, 0, 0).AddDate(0, -1, 0), new(day(1, 0, 0))),
				capa("since reopened", complaint.CapaOpen, "2026-12-01", day(1, 0, 0).AddDate(0, -1, 0), new(day(15, 0, 0))),
				capa("in September", complaint.CapaEffective, "2026-09-01", day(1, 0, 0).AddDate(0, -1, 0), new(day(1, 0, 0).Add(-time.Second))),
			},
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, review.CapaFigures{Open: 1, Effective: 2}, f.Capa)
			}},
		{policy: "a month without cases has every list, with zeros",
			check: func(t *testing.T, f review.Figures) {
				require.Equal(t, "2026-10", f.Month)
				require.Equal(t, "Asia/Shanghai", f.TimeZone)
				require.True(t, f.From.Equal(day(1, 0, 0)))
				require.True(t, f.To.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, sh)))
				require.Equal(t, now, f.ComputedAt)
				require.Len(t, f.ServiceLevels, 3)
				require.Len(t, f.Times, 3)
				require.Len(t, f.Weeks, 5)
				require.Len(t, f.ResolveDistribution, 5)
				require.Len(t, f.Accountability, 6)
				raw, err := json.Marshal(f)
				require.NoError(t, err)
				require.NotContains(t, string(raw), "null", "lists render as [], not null")
			}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			f, err := review.Compute("2026-10", sh, tc.cases, tc.capas, now)
			require.NoError(t, err)
			tc.check(t, f)
		})
	}
}

func TestComputeRefusesABadMonth(t *testing.T) {
	_, err := review.Compute("2026-10-01", time.UTC, nil, nil, time.Now())
	require.Error(t, err)
}

func TestComputeSurveys(t *testing.T) {
	sh := zone(t, "Asia/Shanghai")
	day := func(d, h, m int) time.Time { return time.Date(2026, 10, d, h, m, 0, 0, sh) }
	now := time.Date(2026, 11, 1, 2, 0, 0, 0, sh)
	n := 0
	answer := func(kind string, satisfaction, recommend int, at time.Time) review.SurveyFacts {
		n++
		return review.SurveyFacts{FollowupID: fmt.Sprintf("fu-%d", n), Kind: kind, Satisfaction: satisfaction,
			WouldRecommend: recommend, AnsweredAt: at}
	}
	post, annual := complaint.FollowupPostCloseCall, complaint.FollowupAnnualSurvey
	scores := func(counts ...int) []review.Count {
		out := make([]review.Count, len(counts))
		for i, c := range counts {
			out[i] = review.Count{Key: fmt.Sprint(i + 1), Count: c}
		}
		return out
	}

	for _, tc := range []struct {
		policy  string
		surveys []review.SurveyFacts
		want    review.SurveyFigures
	}{
		{policy: "no answers: zeros, every score's row, no division by zero",
			want: review.SurveyFigures{BySatisfaction: scores(0, 0, 0, 0, 0), ByKind: []review.Count{}}},
		{policy: "the mean has one decimal; the score is promoters less detractors in percent of the answers",
			surveys: []review.SurveyFacts{answer(post, 5, 10, day(3, 9, 0)), answer(post, 4, 9, day(4, 9, 0)),
				answer(annual, 4, 8, day(5, 9, 0)), answer(post, 2, 3, day(6, 9, 0)), answer(post, 5, 7, day(7, 9, 0)),
				answer(annual, 3, 6, day(8, 9, 0))},
			// mean 23/6 = 3.833…; (2 − 2) / 6 = 0
			want: review.SurveyFigures{Answers: 6, MeanSatisfaction: 3.8, BySatisfaction: scores(0, 1, 1, 2, 2),
				Promoters: 2, Passives: 2, Detractors: 2, NetPromoterScore: 0,
				ByKind: []review.Count{{Key: post, Count: 4}, {Key: annual, Count: 2}}}},
		{policy: "a third of promoters and no detractors is 33.3; a mean of 4.666… is 4.7",
			surveys: []review.SurveyFacts{answer(annual, 5, 9, day(1, 0, 0)), answer(annual, 5, 8, day(2, 0, 0)),
				answer(annual, 4, 7, day(2, 0, 0))},
			want: review.SurveyFigures{Answers: 3, MeanSatisfaction: 4.7, BySatisfaction: scores(0, 0, 0, 1, 2),
				Promoters: 1, Passives: 2, NetPromoterScore: 33.3, ByKind: []review.Count{{Key: annual, Count: 3}}}},
		{policy: "every answer a detractor is −100; 6 is a detractor, 7 is not",
			surveys: []review.SurveyFacts{answer(post, 1, 0, day(10, 0, 0)), answer(post, 2, 6, day(11, 0, 0))},
			want: review.SurveyFigures{Answers: 2, MeanSatisfaction: 1.5, BySatisfaction: scores(1, 1, 0, 0, 0),
				Detractors: 2, NetPromoterScore: -100, ByKind: []review.Count{{Key: post, Count: 2}}}},
		{policy: "one in three a detractor, none a promoter, is −33.3",
			surveys: []review.SurveyFacts{answer(post, 3, 5, day(10, 0, 0)), answer(post, 3, 7, day(11, 0, 0)),
				answer(post, 3, 8, day(12, 0, 0))},
			want: review.SurveyFigures{Answers: 3, MeanSatisfaction: 3, BySatisfaction: scores(0, 0, 3, 0, 0),
				Passives: 2, Detractors: 1, NetPromoterScore: -33.3, ByKind: []review.Count{{Key: post, Count: 3}}}},
		{policy: "only the month's answers count: its first instant in, the next month's out",
			surveys: []review.SurveyFacts{answer(post, 5, 10, day(1, 0, 0)),
				answer(post, 1, 0, day(1, 0, 0).Add(-time.Nanosecond)),
				answer(post, 1, 0, time.Date(2026, 11, 1, 0, 0, 0, 0, sh)),
				// 16:30 UTC on 31 October is already November in Shanghai.
				answer(post, 1, 0, time.Date(2026, 10, 31, 16, 30, 0, 0, time.UTC))},
			want: review.SurveyFigures{Answers: 1, MeanSatisfaction: 5, BySatisfaction: scores(0, 0, 0, 0, 1),
				Promoters: 1, NetPromoterScore: 100, ByKind: []review.Count{{Key: post, Count: 1}}}},
		{policy: "scores off their scales are not counted",
			surveys: []review.SurveyFacts{answer(post, 0, 5, day(2, 0, 0)), answer(post, 6, 5, day(2, 0, 0)),
				answer(post, 3, -1, day(2, 0, 0)), answer(post, 3, 11, day(2, 0, 0)), answer(annual, 4, 10, day(2, 0, 0))},
			want: review.SurveyFigures{Answers: 1, MeanSatisfaction: 4, BySatisfaction: scores(0, 0, 0, 1, 0),
				Promoters: 1, NetPromoterScore: 100, ByKind: []review.Count{{Key: annual, Count: 1}}}},
		{policy: "kinds with as many answers are in the order of their codes",
			surveys: []review.SurveyFacts{answer(post, 4, 8, day(2, 0, 0)), answer(annual, 4, 8, day(2, 0, 0))},
			want: review.SurveyFigures{Answers: 2, MeanSatisfaction: 4, BySatisfaction: scores(0, 0, 0, 2, 0),
				Passives: 2, ByKind: []review.Count{{Key: annual, Count: 1}, {Key: post, Count: 1}}}},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			f, err := review.Compute("2026-10", sh, nil, nil, now, tc.surveys...)
			require.NoError(t, err)
			require.Equal(t, tc.want, f.Surveys)
			raw, err := json.Marshal(f.Surveys)
			require.NoError(t, err)
			require.NotContains(t, string(raw), "null", "lists render as [], not null")
		})
	}
}

func TestComputeWithoutSurveys(t *testing.T) {
	// A caller that passes no surveys (and a review stored before they
	// were counted) has no answers.
	f, err := review.Compute("2026-10", time.UTC, nil, nil, time.Now())
	require.NoError(t, err)
	require.Zero(t, f.Surveys.Answers)
	require.Len(t, f.Surveys.BySatisfaction, 5)
	var old review.Figures
	require.NoError(t, json.Unmarshal([]byte(`{"month":"2026-09","satisfaction":{"answers":2,"average":4}}`), &old))
	require.Zero(t, old.Surveys)
}
