package review

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"

	"github.com/caseflow/caseflow/complaint"
)

// cst is the company's zone as a fixed offset, so that the fixture prints
// the same where the zone database lacks Asia/Shanghai.
var cst = time.FixedZone("CST", 8*3600)

func at(month time.Month, day, hour, minute int) *time.Time {
	t := time.Date(2025, month, day, hour, minute, 0, 0, cst)
	return &t
}

// evil is a root cause that markup or a spreadsheet would run if it were
// not escaped.
const evil = `<script>alert("x")</script> & 密封圈老化`

// fixture is May 2025 as a reviewer would see it: several departments,
// Chinese and Latin free text, an unanalyzed share, decisions pending.
func fixture() Review {
	return Review{State: complaint.ReviewOpen, Figures: Figures{
		Month: "2025-05", From: *at(5, 1, 0, 0), To: *at(6, 1, 0, 0), TimeZone: "Asia/Shanghai",
		ComputedAt: *at(6, 1, 2, 0), Cases: 23, Breaches: 8, Recurrences: 3,
		ByCategory: []Count{{"quality", 14}, {"non_quality", 6}, {"other", 3}},
		BySeverity: []Count{{"minor", 17}, {"severe", 6}},
		ByDepartment: []Count{{"production", 9}, {"technical", 5}, {"", 4},
			{"sales", 3}, {"after_sales", 2}},
		ByBranchOffice: []Count{{"杭州办事处", 8}, {"宁波办事处", 6}, {"", 5}, {"Shanghai office", 4}},
		ByRegion:       []Count{{"华东", 15}, {"华南", 5}, {"华北", 3}},
		ServiceLevels: []ServiceLevel{{"response", 23, 21, 2, 91.304}, {"onsite", 12, 9, 3, 75},
			{"resolution", 18, 13, 5, 72.222}},
		Times: []TimeFigure{{"response", 21, 5400, 6840}, {"onsite", 9, 10800, 13680},
			{"resolution", 13, 73800, 172800}},
		TopParts:     []Count{{"PN-4471", 5}, {"PN-2210", 3}, {"PN-0098", 2}},
		TopCauses:    []Count{{"电源板烧毁", 4}, {evil, 2}},
		Capa:         CapaFigures{Open: 7, Overdue: 2, Effective: 4},
		Satisfaction: SatisfactionFigures{Answers: 15, Average: 4.2667},
		Surveys: SurveyFigures{Answers: 12, MeanSatisfaction: 3.8,
			BySatisfaction: []Count{{"1", 1}, {"2", 1}, {"3", 2}, {"4", 4}, {"5", 4}},
			Promoters:      5, Passives: 4, Detractors: 3, NetPromoterScore: 16.7,
			ByKind: []Count{{"post_close_call", 9}, {"annual_survey", 3}}},
		Weeks: []WeekCount{
			{"2025-05-01", map[string]int{"quality": 2, "non_quality": 1}},
			{"2025-05-05", map[string]int{"quality": 4, "non_quality": 1, "other": 1}},
			{"2025-05-12", map[string]int{"quality": 3, "non_quality": 2}},
			{"2025-05-19", map[string]int{"quality": 3, "non_quality": 1, "other": 1}},
			{"2025-05-26", map[string]int{"quality": 2, "non_quality": 1, "other": 1}},
		},
		ResolveDistribution: []Bucket{{"≤ 4 h", 2}, {"4–8 h", 3}, {"8–24 h", 5}, {"24–72 h", 2}, {"> 72 h", 1}},
		MinorByDepartment: []DepartmentCases{{"production", []string{"CF-2025-0412", "CF-2025-0419"}},
			{"sales", []string{"CF-2025-0433"}}},
		Accountability: []Accountability{
			{Department: "after_sales", Cases: 2, Liability: map[string]int{"company": 1, "customer": 1},
				Decision: "no_action", DecidedBy: "u-17", DecidedAt: at(6, 3, 10, 30)},
			{Department: "sales", Cases: 3, Liability: map[string]int{"company": 2, "third_party": 1},
				Decision: "warning", Note: "=SUM(A1:A9) 交期延误", DecidedBy: "u-21", DecidedAt: at(6, 4, 9, 0)},
			{Department: "technical", Cases: 5, Liability: map[string]int{"company": 3, "undetermined": 2}},
			{Department: "production", Cases: 9, Liability: map[string]int{"company": 8, "customer": 1},
				Decision: "penalty", Note: "批次 B-0425 焊接不良", DecidedBy: "u-08", DecidedAt: at(6, 5, 16, 45)},
			{Department: "quality"},
			{Department: "branch_office"},
		},
	}}
}

// block is one table as read back: its title, then header and rows.
type block struct {
	Title string
	Rows  [][]string
}

// wantZH is every table of the fixture in Chinese, as both renderings
// show it (the CSV guards the formula-like note, see TestWriteCSV).
var wantZH = []block{
	{"概要", [][]string{{"项目", "数值"}, {"月份", "2025-05"}, {"状态", "进行中"},
		{"统计期间", "2025-05-01 – 2025-05-31"}, {"时区", "Asia/Shanghai"},
		{"计算时间", "2025-06-01 02:00"}, {"关闭时间", "—"}, {"投诉数", "23"},
		{"超时案件", "8"}, {"重复发生", "3"}}},
	{"按投诉类别", [][]string{{"类别", "投诉数"}, {"质量问题", "14"}, {"非质量问题", "6"}, {"其他", "3"}}},
	{"按严重程度", [][]string{{"严重程度", "投诉数"}, {"一般", "17"}, {"严重", "6"}}},
	{"按责任部门", [][]string{{"部门", "投诉数"}, {"生产部", "9"}, {"技术部", "5"},
		{"未分析", "4"}, {"销售部", "3"}, {"售后服务部", "2"}}},
	{"按办事处", [][]string{{"办事处", "投诉数"}, {"杭州办事处", "8"}, {"宁波办事处", "6"},
		{"（无）", "5"}, {"Shanghai office", "4"}}},
	{"按地区", [][]string{{"地区", "投诉数"}, {"华东", "15"}, {"华南", "5"}, {"华北", "3"}}},
	{"服务时效达标", [][]string{{"时限", "考核数", "达标", "超时", "达标率（%）"},
		{"响应", "23", "21", "2", "91.3"}, {"到场", "12", "9", "3", "75.0"}, {"解决", "18", "13", "5", "72.2"}}},
	{"处理时长（小时）", [][]string{{"时限", "已完成数", "中位数（小时）", "90 分位（小时）"},
		{"响应", "21", "1.5", "1.9"}, {"到场", "9", "3.0", "3.8"}, {"解决", "13", "20.5", "48.0"}}},
	{"高发零件号", [][]string{{"零件号", "投诉数"}, {"PN-4471", "5"}, {"PN-2210", "3"}, {"PN-0098", "2"}}},
	{"主要原因", [][]string{{"原因", "投诉数"}, {"电源板烧毁", "4"}, {evil, "2"}}},
	{"纠正预防措施（CAPA）", [][]string{{"未关闭", "逾期", "本月验证有效"}, {"7", "2", "4"}}},
	{"客户满意度", [][]string{{"评价数", "平均分（1–5）"}, {"15", "4.27"}}},
	{"回访满意度调查", [][]string{
		{"评价数", "平均满意度（1–5）", "推荐者（9–10）", "中立者（7–8）", "贬损者（0–6）", "净推荐值（NPS）"},
		{"12", "3.8", "5", "4", "3", "16.7"}}},
	{"调查满意度分布", [][]string{{"满意度", "评价数", "占比（%）"}, {"1", "1", "8.3"}, {"2", "1", "8.3"},
		{"3", "2", "16.7"}, {"4", "4", "33.3"}, {"5", "4", "33.3"}}},
	{"按回访类型的调查答卷", [][]string{{"回访类型", "评价数"}, {"结案回访", "9"}, {"年度满意度调查", "3"}}},
	{"每周投诉数", [][]string{{"周起始日", "质量问题", "非质量问题", "其他", "合计"},
		{"2025-05-01", "2", "1", "0", "3"}, {"2025-05-05", "4", "1", "1", "6"},
		{"2025-05-12", "3", "2", "0", "5"}, {"2025-05-19", "3", "1", "1", "5"},
		{"2025-05-26", "2", "1", "1", "4"}}},
	{"解决时长分布", [][]string{{"解决时长", "投诉数"}, {"≤ 4 h", "2"}, {"4–8 h", "3"},
		{"8–24 h", "5"}, {"24–72 h", "2"}, {"> 72 h", "1"}}},
	{"反馈至各部门的一般投诉", [][]string{{"部门", "投诉数", "案件编号"},
		{"生产部", "2", "CF-2025-0412、CF-2025-0419"}, {"销售部", "1", "CF-2025-0433"}}},
	{"部门责任考核", [][]string{
		{"部门", "投诉数", "公司责任", "客户责任", "第三方责任", "责任待定", "考核决定", "说明", "决定人", "决定时间"},
		{"售后服务部", "2", "1", "1", "0", "0", "不予处理", "", "u-17", "2025-06-03 10:30"},
		{"销售部", "3", "2", "0", "1", "0", "警告", "=SUM(A1:A9) 交期延误", "u-21", "2025-06-04 09:00"},
		{"技术部", "5", "3", "0", "0", "2", "待决定", "", "", ""},
		{"生产部", "9", "8", "1", "0", "0", "处罚", "批次 B-0425 焊接不良", "u-08", "2025-06-05 16:45"},
		{"质量部", "0", "0", "0", "0", "0", "待决定", "", "", ""},
		{"办事处", "0", "0", "0", "0", "0", "待决定", "", "", ""}}},
}

// wantEN is some of the same tables in English.
var wantEN = []block{
	{"By responsible department", [][]string{{"Department", "Cases"}, {"Production", "9"},
		{"Technical center", "5"}, {"Not yet analyzed", "4"}, {"Sales", "3"}, {"After-sales service", "2"}}},
	{"Service levels", [][]string{{"Clock", "Measured", "Met", "Breached", "Met (%)"},
		{"Response", "23", "21", "2", "91.3"}, {"On site", "12", "9", "3", "75.0"}, {"Resolution", "18", "13", "5", "72.2"}}},
	{"Times (hours)", [][]string{{"Clock", "Stopped", "Median (h)", "90th percentile (h)"},
		{"Response", "21", "1.5", "1.9"}, {"On site", "9", "3.0", "3.8"}, {"Resolution", "13", "20.5", "48.0"}}},
	{"Follow-up surveys", [][]string{
		{"Answers", "Mean satisfaction (1–5)", "Promoters (9–10)", "Passives (7–8)", "Detractors (0–6)", "Net promoter score"},
		{"12", "3.8", "5", "4", "3", "16.7"}}},
	{"Survey satisfaction", [][]string{{"Satisfaction", "Answers", "Share (%)"}, {"1", "1", "8.3"}, {"2", "1", "8.3"},
		{"3", "2", "16.7"}, {"4", "4", "33.3"}, {"5", "4", "33.3"}}},
	{"Survey answers by follow-up kind", [][]string{{"Follow-up kind", "Answers"}, {"Post-close call", "9"},
		{"Annual survey", "3"}}},
}

func TestEveryValueHasLabels(t *testing.T) {
	vocabularies := []struct {
		name   string
		values []string
		pick   func(*labels) map[string]string
	}{
		{"department", append(complaint.Departments(), ""), func(l *labels) map[string]string { return l.Departments }},
		{"category", complaint.Categories(), func(l *labels) map[string]string { return l.Categories }},
		{"severity", complaint.Severities(), func(l *labels) map[string]string { return l.Severities }},
		{"clock", complaint.ClockNames(), func(l *labels) map[string]string { return l.Clocks }},
		{"liability", append(complaint.Liabilities(), ""), func(l *labels) map[string]string { return l.Liabilities }},
		{"decision", append(complaint.AccountabilityDecisions(), ""), func(l *labels) map[string]string { return l.Decisions }},
		{"review state", complaint.ReviewStates(), func(l *labels) map[string]string { return l.States }},
		{"follow-up kind", append(complaint.FollowupKinds(), ""), func(l *labels) map[string]string { return l.FollowupKinds }},
	}
	for _, lang := range Langs() {
		l, err := labelsFor(lang)
		require.NoError(t, err)
		for _, v := range vocabularies {
			for _, value := range v.values {
				got := v.pick(l)[value]
				require.NotEmpty(t, got, "%s has no %s label for %s %q", lang, lang, v.name, value)
				require.NotEqual(t, value, got, "%s label of %s %q is the code itself", lang, v.name, value)
			}
		}
		// Every heading and column title is written in both languages.
		rv := reflect.ValueOf(*l)
		for i := range rv.NumField() {
			if f := rv.Field(i); f.Kind() == reflect.String {
				require.NotEmpty(t, f.String(), "%s: %s", lang, rv.Type().Field(i).Name)
			}
		}
	}
}

func TestParseLang(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Lang
		ok   bool
	}{{"zh", LangZH, true}, {"zh-CN", LangZH, true}, {" EN ", LangEN, true}, {"fr", "", false}, {"", "", false}} {
		got, err := ParseLang(tc.in)
		require.Equal(t, tc.ok, err == nil, tc.in)
		require.Equal(t, tc.want, got, tc.in)
	}
	require.Error(t, WriteCSV(&bytes.Buffer{}, fixture(), "fr"))
	require.Error(t, WriteHTML(&bytes.Buffer{}, fixture(), "fr"))
}

// csvBlocks splits a CSV on its empty rows and parses each block.
func csvBlocks(t *testing.T, data []byte) []block {
	t.Helper()
	var bs []block
	for _, part := range strings.Split(string(data), "\r\n\r\n") {
		r := csv.NewReader(strings.NewReader(part))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		require.NoError(t, err)
		require.NotEmpty(t, recs)
		require.Len(t, recs[0], 1, "a block starts with its title alone")
		bs = append(bs, block{recs[0][0], recs[1:]})
	}
	return bs
}

func TestWriteCSV(t *testing.T) {
	for _, tc := range []struct {
		lang Lang
		want []block
	}{{LangZH, wantZH}, {LangEN, wantEN}} {
		t.Run(string(tc.lang), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, WriteCSV(&buf, fixture(), tc.lang))
			require.True(t, bytes.HasPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}), "starts with a UTF-8 BOM")
			got := csvBlocks(t, bytes.TrimPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}))
			require.Len(t, got, 19, "one block per table")
			if tc.lang == LangZH {
				want := clone(wantZH)
				// A spreadsheet would run the note as a formula.
				want[18].Rows[2][7] = "'=SUM(A1:A9) 交期延误"
				require.Equal(t, want, got)
				return
			}
			for _, w := range tc.want {
				require.Contains(t, got, w)
			}
		})
	}
}

func clone(bs []block) []block {
	out := make([]block, len(bs))
	for i, b := range bs {
		out[i] = block{b.Title, make([][]string, len(b.Rows))}
		for j, r := range b.Rows {
			out[i].Rows[j] = append([]string(nil), r...)
		}
	}
	return out
}

func render(t *testing.T, r Review, lang Lang) (string, *html.Node) {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, r, lang))
	doc, err := html.Parse(bytes.NewReader(buf.Bytes()))
	require.NoError(t, err)
	return buf.String(), doc
}

func TestWriteHTML(t *testing.T) {
	for _, tc := range []struct {
		lang       Lang
		htmlLang   string
		want       []block
		has, hasNo string
	}{
		{LangZH, "zh-CN", wantZH, "售后服务部", "After-sales service"},
		{LangEN, "en", wantEN, "After-sales service", "售后服务部"},
	} {
		t.Run(string(tc.lang), func(t *testing.T) {
			out, doc := render(t, fixture(), tc.lang)
			// Self-contained and inert: nothing runs, nothing loads.
			for _, banned := range []string{"<script", "http://", "https://", "<link", "<img", "src=", "url(", "@import", "NaN"} {
				require.NotContains(t, out, banned)
			}
			require.Contains(t, out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 密封圈老化")
			require.Equal(t, tc.htmlLang, attr(find(doc, "html")[0], "lang"))
			require.Contains(t, out, "@media print")
			require.Contains(t, out, "size: A4")

			text := textOf(doc)
			require.Contains(t, text, tc.has)
			require.NotContains(t, text, tc.hasNo)
			got := htmlTables(doc)
			require.Len(t, got, 19)
			if tc.lang == LangZH {
				require.Equal(t, wantZH, got)
			}
			for _, w := range tc.want {
				require.Contains(t, got, w)
			}

			svgs := find(doc, "svg")
			require.Len(t, svgs, 5)
			texts := map[string]string{}
			for _, svg := range svgs {
				require.NotEmpty(t, attr(svg, "aria-label"))
				require.NotEmpty(t, find(svg, "title"), "a chart has a title")
				require.NotEmpty(t, find(svg, "g"), "a chart has a legend")
				require.NotContains(t, textOf(svg), map[Lang]string{LangZH: "无数据", LangEN: "No data"}[tc.lang])
				texts[attr(svg, "id")] = textOf(svg)
			}
			for id, want := range map[string][]string{
				"chart-weeks":          {"05-01", "05-26", "6"},
				"chart-service-levels": {"91.3% (21/23)", "75.0% (9/12)", "72.2% (13/18)"},
				"chart-resolve":        {"≤ 4 h", "> 72 h", "5"},
				"chart-parts":          {"PN-4471", "PN-0098"},
				"chart-causes":         {"电源板烧毁", evil},
			} {
				for _, w := range want {
					require.Contains(t, texts[id], w, id)
				}
			}
		})
	}
}

func TestWriteEmptyReview(t *testing.T) {
	for _, lang := range Langs() {
		out, doc := render(t, Review{}, lang)
		for _, bad := range []string{"NaN", "Inf"} {
			require.NotContains(t, out, bad)
		}
		noData := map[Lang]string{LangZH: "无数据", LangEN: "No data"}[lang]
		svgs := find(doc, "svg")
		require.Len(t, svgs, 5)
		for _, svg := range svgs {
			require.Contains(t, textOf(svg), noData, attr(svg, "id"))
		}
		var buf bytes.Buffer
		require.NoError(t, WriteCSV(&buf, Review{Figures: Figures{ServiceLevels: []ServiceLevel{{Clock: "onsite"}}}}, lang))
		blocks := csvBlocks(t, bytes.TrimPrefix(buf.Bytes(), []byte{0xEF, 0xBB, 0xBF}))
		require.Len(t, blocks, 19)
		// Nothing measured shows as a dash, not as 0 %.
		require.Equal(t, []string{"0", "0", "0", "—"}, blocks[6].Rows[1][1:])
		require.Equal(t, []string{"0", "—"}, blocks[11].Rows[1])
		// No survey answered (or a review stored before surveys were
		// counted): dashes for the mean, the score and the shares, and a
		// row for every satisfaction.
		require.Equal(t, []string{"0", "—", "0", "0", "0", "—"}, blocks[12].Rows[1])
		require.Equal(t, [][]string{{"1", "0", "—"}, {"2", "0", "—"}, {"3", "0", "—"}, {"4", "0", "—"}, {"5", "0", "—"}},
			blocks[13].Rows[1:])
		require.Len(t, blocks[14].Rows, 1, "no kinds, only the header")
	}
}

func TestChartsScaleToTheLargest(t *testing.T) {
	l := labelTable[LangEN]
	const area = narrowW - labelW - valueW
	c := hbars("x", "t", l, "n", []hbar{{"a", 5, "5"}, {"b", 2, "2"}, {"c", 0, "0"}}, 0)
	require.Equal(t, []px{area, area * 2 / 5, 0}, []px{c.Bars[0].W, c.Bars[1].W, c.Bars[2].W})
	// Percentages scale to 100 %, not to the best clock.
	c = hbars("x", "t", l, "n", []hbar{{"a", 50, "50%"}}, 100)
	require.Equal(t, px(area/2), c.Bars[0].W)

	c = columns("x", "t", narrowW, narrowH, l, []string{"p", "q"}, []string{"w1", "w2"}, [][]int{{1, 1}, {3, 1}})
	require.Len(t, c.Bars, 4)
	h := func(i int) float64 { return float64(c.Bars[i].H) }
	require.InDelta(t, 2*(h(0)+h(1)), h(2)+h(3), 1e-9, "the column of 4 is twice the column of 2")
	require.InDelta(t, narrowH-26-44, h(2)+h(3), 1e-9, "the largest column fills the plot")

	require.True(t, columns("x", "t", narrowW, narrowH, l, []string{"p"}, []string{"w1"}, [][]int{{0}}).Empty)
	require.True(t, hbars("x", "t", l, "n", nil, 100).Empty)
}

func TestClip(t *testing.T) {
	long := strings.Repeat("电源板", 20)
	got := clip(long, 100)
	require.True(t, strings.HasSuffix(got, "…"))
	require.LessOrEqual(t, textWidth(got), 100.0)
	require.Equal(t, "PN-1", clip("PN-1", 100))
}

// htmlTables reads back the page's tables: each section's heading, then
// its header and rows.
func htmlTables(doc *html.Node) []block {
	var bs []block
	for _, sec := range find(doc, "section") {
		if len(find(sec, "table")) == 0 {
			continue
		}
		b := block{Title: textOf(find(sec, "h2")[0])}
		for _, tr := range find(sec, "tr") {
			var row []string
			for c := tr.FirstChild; c != nil; c = c.NextSibling {
				if c.Data == "th" || c.Data == "td" {
					row = append(row, textOf(c))
				}
			}
			b.Rows = append(b.Rows, row)
		}
		bs = append(bs, b)
	}
	return bs
}

// find lists the elements under n with the given tag, in document order.
func find(n *html.Node, tag string) []*html.Node {
	var out []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.Data == tag {
			out = append(out, d)
		}
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var sb strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			sb.WriteString(d.Data)
		}
	}
	return sb.String()
}
