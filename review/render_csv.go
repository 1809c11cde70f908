package review

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// table is one table of a rendered review: a block of the CSV and a table
// of the HTML page, built once so that both show the same rows.
type table struct {
	ID      string
	Title   string
	Head    []string
	Numeric []bool // per column: right-aligned in HTML, never formula-guarded in CSV
	Rows    [][]string
}

// WriteCSV writes the review as CSV in lang: one block per table (a title
// row, a header row, the rows), an empty row between blocks, as the
// sheets of a workbook would be. It starts with a UTF-8 byte-order mark,
// without which Excel reads the file in the system's code page and garbles
// the Chinese.
func WriteCSV(w io.Writer, r Review, lang Lang) error {
	l, err := labelsFor(lang)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes and expects
	for i, t := range tables(r, l) {
		if i > 0 {
			if err := cw.Write(nil); err != nil {
				return err
			}
		}
		if err := cw.Write([]string{t.Title}); err != nil {
			return err
		}
		if err := cw.Write(t.Head); err != nil {
			return err
		}
		for _, row := range t.Rows {
			out := make([]string, len(row))
			for j, cell := range row {
				out[j] = cell
				if !t.Numeric[j] {
					out[j] = guardFormula(cell)
				}
			}
			if err := cw.Write(out); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// guardFormula keeps a spreadsheet from running text as a formula: free
// text (a note, a root cause) that starts like one gets a leading
// apostrophe, as OWASP advises against CSV injection.
func guardFormula(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// tables lays the review out as tables, in the order both renderings show.
func tables(r Review, l *labels) []table {
	loc := location(r.TimeZone)
	closedAt := "—"
	if r.ClosedAt != nil {
		closedAt = stamp(*r.ClosedAt, loc)
	}
	ts := []table{{
		ID: "summary", Title: l.Summary, Head: []string{l.Item, l.Value}, Numeric: []bool{false, false},
		Rows: [][]string{
			{l.Month, r.Month},
			{l.State, name(l.States, r.State)},
			{l.Period, period(r.From, r.To, loc)},
			{l.TimeZone, r.TimeZone},
			{l.ComputedAt, stamp(r.ComputedAt, loc)},
			{l.ClosedAt, closedAt},
			{l.Cases, itoa(r.Cases)},
			{l.Breaches, itoa(r.Breaches)},
			{l.Recurrences, itoa(r.Recurrences)},
		},
	}}
	ts = append(ts,
		counts("by-category", l.ByCategory, l.Category, l.Cases, r.ByCategory, func(k string) string { return name(l.Categories, k) }),
		counts("by-severity", l.BySeverity, l.Severity, l.Cases, r.BySeverity, func(k string) string { return name(l.Severities, k) }),
		counts("by-department", l.ByDepartment, l.Department, l.Cases, r.ByDepartment, func(k string) string { return name(l.Departments, k) }),
		counts("by-branch-office", l.ByBranchOffice, l.BranchOffice, l.Cases, r.ByBranchOffice, l.text),
		counts("by-region", l.ByRegion, l.Region, l.Cases, r.ByRegion, l.text),
	)

	sl := table{ID: "service-levels", Title: l.ServiceLevels,
		Head:    []string{l.Clock, l.Measured, l.Met, l.Breached, l.MetPercent},
		Numeric: []bool{false, true, true, true, true}}
	for _, s := range r.ServiceLevels {
		sl.Rows = append(sl.Rows, []string{name(l.Clocks, s.Clock), itoa(s.Measured), itoa(s.Met), itoa(s.Breached), measured(s.Measured, fixed(s.MetPercent, 1))})
	}
	tt := table{ID: "times", Title: l.Times, Head: []string{l.Clock, l.Stopped, l.MedianHours, l.P90Hours},
		Numeric: []bool{false, true, true, true}}
	for _, t := range r.Times {
		tt.Rows = append(tt.Rows, []string{name(l.Clocks, t.Clock), itoa(t.Count),
			measured(t.Count, fixed(t.MedianSeconds/3600, 1)), measured(t.Count, fixed(t.P90Seconds/3600, 1))})
	}
	ts = append(ts, sl, tt,
		counts("top-parts", l.TopParts, l.PartNumber, l.Cases, r.TopParts, l.text),
		counts("top-causes", l.TopCauses, l.RootCause, l.Cases, r.TopCauses, l.text),
		table{ID: "capa", Title: l.Capa, Head: []string{l.CapaOpen, l.CapaOverdue, l.CapaEffective},
			Numeric: []bool{true, true, true},
			Rows:    [][]string{{itoa(r.Capa.Open), itoa(r.Capa.Overdue), itoa(r.Capa.Effective)}}},
		table{ID: "satisfaction", Title: l.Satisfaction, Head: []string{l.Answers, l.Average},
			Numeric: []bool{true, true},
			Rows:    [][]string{{itoa(r.Satisfaction.Answers), measured(r.Satisfaction.Answers, fixed(r.Satisfaction.Average, 2))}}},
	)
	ts = append(ts, surveys(r.Surveys, l)...)
	ts = append(ts,
		weeks(r.Weeks, l),
	)

	rd := table{ID: "resolve-distribution", Title: l.ResolveDistribution, Head: []string{l.Bucket, l.Cases},
		Numeric: []bool{false, true}}
	for _, b := range r.ResolveDistribution {
		rd.Rows = append(rd.Rows, []string{b.Label, itoa(b.Count)})
	}
	mb := table{ID: "minor-by-department", Title: l.MinorByDepartment,
		Head: []string{l.Department, l.Cases, l.CaseNumbers}, Numeric: []bool{false, true, false}}
	for _, d := range r.MinorByDepartment {
		mb.Rows = append(mb.Rows, []string{name(l.Departments, d.Department), itoa(len(d.CaseNumbers)), strings.Join(d.CaseNumbers, l.ListSep)})
	}
	return append(ts, rd, mb, accountability(r.Accountability, l, loc))
}

// counts is a two-column table of a Count list.
func counts(id, title, keyHead, countHead string, cs []Count, label func(string) string) table {
	t := table{ID: id, Title: title, Head: []string{keyHead, countHead}, Numeric: []bool{false, true}}
	for _, c := range cs {
		t.Rows = append(t.Rows, []string{label(c.Key), itoa(c.Count)})
	}
	return t
}

// surveys are three tables: the answers with their mean satisfaction and
// net promoter score, the answers by satisfaction (every score from 1 to
// 5, so that a review stored before surveys were counted shows zeros),
// and the answers by follow-up kind. Nothing answered shows a dash for
// the mean, the score and the shares.
func surveys(s SurveyFigures, l *labels) []table {
	n := s.Answers
	summary := table{ID: "surveys", Title: l.Surveys,
		Head:    []string{l.Answers, l.MeanSatisfaction, l.Promoters, l.Passives, l.Detractors, l.NetPromoter},
		Numeric: []bool{true, true, true, true, true, true},
		Rows: [][]string{{itoa(n), measured(n, fixed(s.MeanSatisfaction, 1)), itoa(s.Promoters), itoa(s.Passives),
			itoa(s.Detractors), measured(n, fixed(s.NetPromoterScore, 1))}}}
	scores := table{ID: "survey-satisfaction", Title: l.SurveyScores, Head: []string{l.Score, l.Answers, l.Share},
		Numeric: []bool{false, true, true}}
	for score := minSatisfaction; score <= maxSatisfaction; score++ {
		key, count := itoa(score), 0
		for _, c := range s.BySatisfaction {
			if c.Key == key {
				count = c.Count
			}
		}
		share := "—"
		if n > 0 {
			share = fixed(round(100*float64(count)/float64(n), 1), 1)
		}
		scores.Rows = append(scores.Rows, []string{key, itoa(count), share})
	}
	kinds := counts("survey-kinds", l.SurveyKinds, l.FollowupKind, l.Answers, s.ByKind,
		func(k string) string { return name(l.FollowupKinds, k) })
	return []table{summary, scores, kinds}
}

// weeks has a column per category, then the week's total.
func weeks(ws []WeekCount, l *labels) table {
	var maps []map[string]int
	for _, w := range ws {
		maps = append(maps, w.ByCategory)
	}
	cats := keysWith(complaint.Categories(), maps)
	t := table{ID: "weeks", Title: l.Weeks, Head: []string{l.WeekStart}, Numeric: []bool{false}}
	for _, c := range cats {
		t.Head = append(t.Head, name(l.Categories, c))
		t.Numeric = append(t.Numeric, true)
	}
	t.Head, t.Numeric = append(t.Head, l.Total), append(t.Numeric, true)
	for _, w := range ws {
		row, total := []string{w.Start}, 0
		for _, c := range cats {
			row = append(row, itoa(w.ByCategory[c]))
			total += w.ByCategory[c]
		}
		t.Rows = append(t.Rows, append(row, itoa(total)))
	}
	return t
}

// accountability has a column per liability between the cases and the
// decision.
func accountability(as []Accountability, l *labels, loc *time.Location) table {
	var maps []map[string]int
	for _, a := range as {
		maps = append(maps, a.Liability)
	}
	libs := keysWith(complaint.Liabilities(), maps)
	t := table{ID: "accountability", Title: l.Accountability, Head: []string{l.Department, l.Cases}, Numeric: []bool{false, true}}
	for _, lb := range libs {
		t.Head = append(t.Head, name(l.Liabilities, lb))
		t.Numeric = append(t.Numeric, true)
	}
	t.Head = append(t.Head, l.Decision, l.Note, l.DecidedBy, l.DecidedAt)
	t.Numeric = append(t.Numeric, false, false, false, false)
	for _, a := range as {
		row := []string{name(l.Departments, a.Department), itoa(a.Cases)}
		for _, lb := range libs {
			row = append(row, itoa(a.Liability[lb]))
		}
		decidedAt := ""
		if a.DecidedAt != nil {
			decidedAt = stamp(*a.DecidedAt, loc)
		}
		t.Rows = append(t.Rows, append(row, name(l.Decisions, a.Decision), a.Note, a.DecidedBy, decidedAt))
	}
	return t
}

// keysWith is known, then any other key the maps hold (sorted), so that a
// value newer than the vocabulary still gets its column.
func keysWith(known []string, maps []map[string]int) []string {
	var extra []string
	for _, m := range maps {
		for k := range m {
			if !slices.Contains(known, k) && !slices.Contains(extra, k) {
				extra = append(extra, k)
			}
		}
	}
	slices.Sort(extra)
	return append(slices.Clip(known), extra...)
}

// location is the review's zone; times show in their own zone when the
// name is unknown here.
func location(tz string) *time.Location {
	if tz == "" {
		return nil
	}
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return nil
	}
	return loc
}

func stamp(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "—"
	}
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04")
}

// period shows the month's first and last day (To is the next month's
// first instant).
func period(from, to time.Time, loc *time.Location) string {
	if from.IsZero() || to.IsZero() {
		return "—"
	}
	if loc != nil {
		from, to = from.In(loc), to.In(loc)
	}
	return fmt.Sprintf("%s – %s", from.Format(time.DateOnly), to.Add(-time.Nanosecond).Format(time.DateOnly))
}

// measured is s, or a dash when nothing was measured: a 0 there (the
// figure's zero value) would read as a measurement.
func measured(n int, s string) string {
	if n == 0 {
		return "—"
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

func fixed(f float64, decimals int) string { return strconv.FormatFloat(f, 'f', decimals, 64) }
