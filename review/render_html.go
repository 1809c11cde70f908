package review

import (
	_ "embed"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/caseflow/caseflow/complaint"
)

//go:embed review.html.tmpl
var pageSource string

// pageTemplate escapes every text, SVG text included: the charts are drawn
// by the template from geometry computed here, never from markup built in
// Go.
var pageTemplate = template.Must(template.New("review").Parse(pageSource))

// page is what the template shows.
type page struct {
	L      *labels
	Title  string
	Meta   []pair
	Cards  []pair
	Charts []chart
	Tables []htmlTable
}

type pair struct{ Label, Value string }

type htmlTable struct {
	ID, Title string
	Wide      bool
	Head      []cell
	Rows      [][]cell
}

type cell struct {
	Text string
	Num  bool
}

// WriteHTML writes the review as one self-contained printable page in
// lang: its tables, and charts drawn as inline SVG. The page has no
// script and loads nothing (no stylesheet, font or image), so that it
// prints and archives as it is.
func WriteHTML(w io.Writer, r Review, lang Lang) error {
	l, err := labelsFor(lang)
	if err != nil {
		return err
	}
	loc := location(r.TimeZone)
	p := page{
		L:     l,
		Title: strings.TrimSpace(l.Title + " " + r.Month),
		Meta: []pair{
			{l.Period, period(r.From, r.To, loc)},
			{l.TimeZone, r.TimeZone},
			{l.State, name(l.States, r.State)},
			{l.ComputedAt, stamp(r.ComputedAt, loc)},
		},
		Cards: []pair{
			{l.Cases, itoa(r.Cases)},
			{l.Breaches, itoa(r.Breaches)},
			{l.Recurrences, itoa(r.Recurrences)},
			{l.CapaOpen + " CAPA", itoa(r.Capa.Open)},
			{l.CapaOverdue + " CAPA", itoa(r.Capa.Overdue)},
			{l.Satisfaction, measured(r.Satisfaction.Answers, fixed(r.Satisfaction.Average, 2))},
		},
		Charts: charts(r, l),
	}
	for _, t := range tables(r, l) {
		ht := htmlTable{ID: t.ID, Title: t.Title, Wide: len(t.Head) > 3}
		for i, h := range t.Head {
			ht.Head = append(ht.Head, cell{h, t.Numeric[i]})
		}
		for _, row := range t.Rows {
			cells := make([]cell, len(row))
			for i, c := range row {
				cells[i] = cell{c, t.Numeric[i]}
			}
			ht.Rows = append(ht.Rows, cells)
		}
		p.Tables = append(p.Tables, ht)
	}
	return pageTemplate.Execute(w, p)
}

// Chart geometry, in SVG user units: the page scales a chart to its box,
// the weeks across the page (720 is about A4's printable width in CSS px)
// and the others two to a row, so that their 11-unit text stays legible.
const (
	wideW   = 720
	wideH   = 220
	narrowW = 400
	narrowH = 200
	rowH    = 24
	barH    = 16
	labelW  = 130 // room for a horizontal bar's label
	valueW  = 90  // room for the value after the longest bar
)

// palette colours the series; it is ours, never input.
var palette = []string{"#2f6db5", "#e08a1e", "#5a9b3c", "#8e5ea2", "#c0504d", "#3ba3b8", "#7f7f7f"}

// px prints a coordinate with one decimal.
type px float64

func (p px) String() string { return strconv.FormatFloat(float64(p), 'f', 1, 64) }

type chart struct {
	ID, Title string
	W, H      int
	Empty     bool
	Legend    []swatch
	Lines     []line
	Bars      []bar
	Texts     []label
}

type swatch struct {
	X    px
	Fill string
	Text string
}

type line struct{ X1, Y1, X2, Y2 px }

type bar struct {
	X, Y, W, H px
	Fill, Tip  string
}

type label struct {
	X, Y                px
	Anchor, Text, Class string
}

func charts(r Review, l *labels) []chart {
	var maps []map[string]int
	var weeks []string
	for _, w := range r.Weeks {
		maps = append(maps, w.ByCategory)
		weeks = append(weeks, monthDay(w.Start))
	}
	cats := keysWith(complaint.Categories(), maps)
	var series []string
	values := make([][]int, len(r.Weeks))
	for _, c := range cats {
		series = append(series, name(l.Categories, c))
	}
	for i, w := range r.Weeks {
		for _, c := range cats {
			values[i] = append(values[i], w.ByCategory[c])
		}
	}

	var buckets []string
	var resolved [][]int
	for _, b := range r.ResolveDistribution {
		buckets = append(buckets, b.Label)
		resolved = append(resolved, []int{b.Count})
	}

	// Service levels scale to 100 %, not to the best clock, so that a
	// bar's length reads as its percentage.
	var sl []hbar
	anyMeasured := false
	for _, s := range r.ServiceLevels {
		anyMeasured = anyMeasured || s.Measured > 0
		text := "—"
		if s.Measured > 0 {
			text = fixed(s.MetPercent, 1) + "% (" + itoa(s.Met) + "/" + itoa(s.Measured) + ")"
		}
		sl = append(sl, hbar{name(l.Clocks, s.Clock), s.MetPercent, text})
	}
	if !anyMeasured {
		sl = nil
	}

	return []chart{
		columns("chart-weeks", l.ChartWeeks, wideW, wideH, l, series, weeks, values),
		hbars("chart-service-levels", l.ChartServiceLevels, l, l.MetPercent, sl, 100),
		columns("chart-resolve", l.ChartResolve, narrowW, narrowH, l, []string{l.Cases}, buckets, resolved),
		hbars("chart-parts", l.ChartParts, l, l.Cases, countBars(r.TopParts, l), 0),
		hbars("chart-causes", l.ChartCauses, l, l.Cases, countBars(r.TopCauses, l), 0),
	}
}

// hbar is one horizontal bar: its label, value and the value as shown.
type hbar struct {
	Label string
	Value float64
	Text  string
}

func countBars(cs []Count, l *labels) []hbar {
	var bs []hbar
	for _, c := range cs {
		bs = append(bs, hbar{l.text(c.Key), float64(c.Count), itoa(c.Count)})
	}
	return bs
}

// hbars draws one horizontal bar per row, narrowW wide, scaled to scale,
// or to the largest value when scale is 0.
func hbars(id, title string, l *labels, legend string, bs []hbar, scale float64) chart {
	c := chart{ID: id, Title: title, W: narrowW,
		Legend: []swatch{{X: 0, Fill: palette[0], Text: legend}}}
	if scale == 0 {
		for _, b := range bs {
			scale = max(scale, b.Value)
		}
	}
	if len(bs) == 0 || scale <= 0 {
		return empty(c, l.NoData)
	}
	top, area := 30.0, float64(narrowW-labelW-valueW)
	c.H = int(top) + len(bs)*rowH + 6
	c.Lines = []line{{px(labelW), px(top - 4), px(labelW), px(c.H - 4)}}
	for i, b := range bs {
		y := top + float64(i*rowH)
		w := area * min(b.Value, scale) / scale
		c.Bars = append(c.Bars, bar{px(labelW), px(y), px(w), barH, palette[0], b.Label + ": " + b.Text})
		c.Texts = append(c.Texts,
			label{X: px(labelW - 6), Y: px(y + 12), Anchor: "end", Text: clip(b.Label, labelW-12)},
			label{X: px(labelW + w + 5), Y: px(y + 12), Anchor: "start", Text: b.Text})
	}
	return c
}

// columns draws one column per x label, its values stacked by series
// (values[x][series]), scaled to the largest total.
func columns(id, title string, w, h int, l *labels, series, xs []string, values [][]int) chart {
	c := chart{ID: id, Title: title, W: w}
	x := 0.0
	for i, s := range series {
		c.Legend = append(c.Legend, swatch{X: px(x), Fill: palette[i%len(palette)], Text: s})
		x += 24 + textWidth(s)
	}
	peak := 0
	for _, v := range values {
		total := 0
		for _, n := range v {
			total += n
		}
		peak = max(peak, total)
	}
	if len(xs) == 0 || peak == 0 {
		return empty(c, l.NoData)
	}
	c.H = h
	left, right, top, base := 36.0, float64(w-8), 44.0, float64(h-26)
	c.Lines = []line{{px(left), px(base), px(right), px(base)}, {px(left), px(top), px(left), px(base)}}
	c.Texts = append(c.Texts, label{X: px(left - 4), Y: px(top + 4), Anchor: "end", Text: itoa(peak)},
		label{X: px(left - 4), Y: px(base), Anchor: "end", Text: "0"})
	slot := (right - left) / float64(len(xs))
	for i, xl := range xs {
		x0, y, total := left+slot*(float64(i)+0.2), base, 0
		for s, n := range values[i] {
			h := (base - top) * float64(n) / float64(peak)
			y -= h
			total += n
			if n > 0 {
				c.Bars = append(c.Bars, bar{px(x0), px(y), px(slot * 0.6), px(h), palette[s%len(palette)], xl + " " + series[s] + ": " + itoa(n)})
			}
		}
		mid := px(left + slot*(float64(i)+0.5))
		c.Texts = append(c.Texts, label{X: mid, Y: px(y - 4), Anchor: "middle", Text: itoa(total)},
			label{X: mid, Y: px(base + 16), Anchor: "middle", Text: clip(xl, slot-4)})
	}
	return c
}

// empty is a chart without data: its frame, legend and a "no data" line,
// never a division by zero.
func empty(c chart, noData string) chart {
	c.Empty, c.H, c.Bars = true, 90, nil
	c.Lines = []line{{0, 80, px(c.W), 80}}
	c.Texts = []label{{X: px(c.W) / 2, Y: 56, Anchor: "middle", Text: noData, Class: "nodata"}}
	return c
}

// monthDay shortens yyyy-mm-dd to mm-dd, the year being the review's.
func monthDay(date string) string {
	if len(date) == len(time.DateOnly) {
		return date[5:]
	}
	return date
}

// textWidth estimates how wide s prints at the charts' 11px font: CJK
// characters take about twice a Latin one's room.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			w += 11
		default:
			w += 6.2
		}
	}
	return w
}

// clip shortens s with an ellipsis to fit room; the bar's tooltip keeps
// the whole text.
func clip(s string, room float64) string {
	if textWidth(s) <= room {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && textWidth(string(rs))+6.2 > room {
		rs = rs[:len(rs)-1]
	}
	return string(rs) + "…"
}
