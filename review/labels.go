package review

import (
	"fmt"
	"strings"
)

// Lang is a language a review is rendered in.
type Lang string

// The languages WriteCSV and WriteHTML take.
const (
	LangZH Lang = "zh"
	LangEN Lang = "en"
)

// Langs lists the languages a review is rendered in.
func Langs() []Lang { return []Lang{LangZH, LangEN} }

// ParseLang reads a language code: "zh" (or "zh-CN", as the console
// names Chinese) or "en", case-insensitive.
func ParseLang(s string) (Lang, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "zh", "zh-cn", "zh-hans":
		return LangZH, nil
	case "en":
		return LangEN, nil
	}
	return "", fmt.Errorf("review: unsupported language %q (want %q or %q)", s, LangZH, LangEN)
}

// labels is everything a person reads on a rendered review, in one
// language. The enum maps are keyed by the complaint package's values; ""
// is the value before analysis (or before a decision).
type labels struct {
	HTMLLang, Title, Generated, NoData, ListSep, None string

	// Tables and their column titles.
	Summary, ByCategory, BySeverity, ByDepartment, ByBranchOffice, ByRegion string
	ServiceLevels, Times, TopParts, TopCauses, Capa, Satisfaction           string
	Weeks, ResolveDistribution, MinorByDepartment, Accountability           string
	Charts                                                                  string
	Surveys, SurveyScores, SurveyKinds                                      string

	Item, Value, Month, State, Period, TimeZone, ComputedAt, ClosedAt string
	Cases, Breaches, Recurrences, Category, Severity, Department      string
	BranchOffice, Region, Clock, Measured, Met, Breached, MetPercent  string
	Stopped, MedianHours, P90Hours, PartNumber, RootCause             string
	CapaOpen, CapaOverdue, CapaEffective, Answers, Average            string
	WeekStart, Total, Bucket, CaseNumbers, Decision, Note             string
	DecidedBy, DecidedAt                                              string
	MeanSatisfaction, Promoters, Passives, Detractors, NetPromoter    string
	Score, Share, FollowupKind                                        string

	// Chart titles.
	ChartWeeks, ChartServiceLevels, ChartResolve, ChartParts, ChartCauses string

	Departments, Categories, Severities, Clocks, Liabilities, Decisions, States map[string]string
	FollowupKinds                                                               map[string]string
}

var labelTable = map[Lang]*labels{
	LangZH: {
		HTMLLang: "zh-CN", Title: "售后投诉月度评审", Generated: "生成于",
		NoData: "无数据", ListSep: "、", None: "（无）",

		Summary: "概要", ByCategory: "按投诉类别", BySeverity: "按严重程度",
		ByDepartment: "按责任部门", ByBranchOffice: "按办事处", ByRegion: "按地区",
		ServiceLevels: "服务时效达标", Times: "处理时长（小时）", TopParts: "高发零件号",
		TopCauses: "主要原因", Capa: "纠正预防措施（CAPA）", Satisfaction: "客户满意度",
		Weeks: "每周投诉数", ResolveDistribution: "解决时长分布",
		MinorByDepartment: "反馈至各部门的一般投诉", Accountability: "部门责任考核",
		Charts:  "图表",
		Surveys: "回访满意度调查", SurveyScores: "调查满意度分布", SurveyKinds: "按回访类型的调查答卷",

		Item: "项目", Value: "数值", Month: "月份", State: "状态", Period: "统计期间",
		TimeZone: "时区", ComputedAt: "计算时间", ClosedAt: "关闭时间",
		Cases: "投诉数", Breaches: "超时案件", Recurrences: "重复发生",
		Category: "类别", Severity: "严重程度", Department: "部门",
		BranchOffice: "办事处", Region: "地区", Clock: "时限",
		Measured: "考核数", Met: "达标", Breached: "超时", MetPercent: "达标率（%）",
		Stopped: "已完成数", MedianHours: "中位数（小时）", P90Hours: "90 分位（小时）",
		PartNumber: "零件号", RootCause: "原因",
		CapaOpen: "未关闭", CapaOverdue: "逾期", CapaEffective: "本月验证有效",
		Answers: "评价数", Average: "平均分（1–5）",
		WeekStart: "周起始日", Total: "合计", Bucket: "解决时长", CaseNumbers: "案件编号",
		Decision: "考核决定", Note: "说明", DecidedBy: "决定人", DecidedAt: "决定时间",
		MeanSatisfaction: "平均满意度（1–5）", Promoters: "推荐者（9–10）", Passives: "中立者（7–8）",
		Detractors: "贬损者（0–6）", NetPromoter: "净推荐值（NPS）",
		Score: "满意度", Share: "占比（%）", FollowupKind: "回访类型",

		ChartWeeks: "每周投诉数（按类别）", ChartServiceLevels: "各时限达标率",
		ChartResolve: "解决时长分布", ChartParts: "高发零件号", ChartCauses: "主要原因",

		// The console's words for the departments (console/catalog.go).
		Departments: map[string]string{
			"": "未分析", "after_sales": "售后服务部", "sales": "销售部",
			"technical": "技术部", "production": "生产部",
			"quality": "质量部", "branch_office": "办事处",
		},
		Categories: map[string]string{"": "未分类", "quality": "质量问题", "non_quality": "非质量问题", "other": "其他"},
		Severities: map[string]string{"": "未定", "minor": "一般", "severe": "严重"},
		Clocks:     map[string]string{"response": "响应", "onsite": "到场", "resolution": "解决"},
		Liabilities: map[string]string{
			"": "未分析", "company": "公司责任", "customer": "客户责任",
			"third_party": "第三方责任", "undetermined": "责任待定",
		},
		Decisions: map[string]string{"": "待决定", "no_action": "不予处理", "warning": "警告", "penalty": "处罚"},
		States:    map[string]string{"open": "进行中", "closed": "已关闭"},
		// The notices' words for the follow-ups (notify/followup.go).
		FollowupKinds: map[string]string{
			"": "未知类型", "delivery_call": "交货回访", "post_close_call": "结案回访",
			"annual_survey": "年度满意度调查", "key_customer_visit": "重点客户拜访", "recovery_call": "挽回回访",
		},
	},
	LangEN: {
		HTMLLang: "en", Title: "Monthly complaint review", Generated: "Computed",
		NoData: "No data", ListSep: ", ", None: "(none)",

		Summary: "Summary", ByCategory: "By category", BySeverity: "By severity",
		ByDepartment: "By responsible department", ByBranchOffice: "By branch office",
		ByRegion: "By region", ServiceLevels: "Service levels", Times: "Times (hours)",
		TopParts: "Top part numbers", TopCauses: "Top root causes",
		Capa: "Corrective and preventive actions (CAPA)", Satisfaction: "Customer satisfaction",
		Weeks: "Cases per week", ResolveDistribution: "Time to resolve",
		MinorByDepartment: "Minor complaints fed back per department",
		Accountability:    "Accountability", Charts: "Charts",
		Surveys: "Follow-up surveys", SurveyScores: "Survey satisfaction", SurveyKinds: "Survey answers by follow-up kind",

		Item: "Item", Value: "Value", Month: "Month", State: "State", Period: "Period",
		TimeZone: "Time zone", ComputedAt: "Computed at", ClosedAt: "Closed at",
		Cases: "Cases", Breaches: "Cases with a breach", Recurrences: "Recurrences",
		Category: "Category", Severity: "Severity", Department: "Department",
		BranchOffice: "Branch office", Region: "Region", Clock: "Clock",
		Measured: "Measured", Met: "Met", Breached: "Breached", MetPercent: "Met (%)",
		Stopped: "Stopped", MedianHours: "Median (h)", P90Hours: "90th percentile (h)",
		PartNumber: "Part number", RootCause: "Root cause",
		CapaOpen: "Open", CapaOverdue: "Overdue", CapaEffective: "Verified effective this month",
		Answers: "Answers", Average: "Average (1–5)",
		WeekStart: "Week of", Total: "Total", Bucket: "Resolved within", CaseNumbers: "Case numbers",
		Decision: "Decision", Note: "Note", DecidedBy: "Decided by", DecidedAt: "Decided at",
		MeanSatisfaction: "Mean satisfaction (1–5)", Promoters: "Promoters (9–10)", Passives: "Passives (7–8)",
		Detractors: "Detractors (0–6)", NetPromoter: "Net promoter score",
		Score: "Satisfaction", Share: "Share (%)", FollowupKind: "Follow-up kind",

		ChartWeeks: "Cases per week by category", ChartServiceLevels: "Service levels met per clock",
		ChartResolve: "Time to resolve", ChartParts: "Top part numbers", ChartCauses: "Top root causes",

		Departments: map[string]string{
			"": "Not yet analyzed", "after_sales": "After-sales service", "sales": "Sales",
			"technical": "Technical center", "production": "Production",
			"quality": "Quality control", "branch_office": "Branch offices",
		},
		Categories: map[string]string{"": "Uncategorized", "quality": "Quality", "non_quality": "Non-quality", "other": "Other"},
		Severities: map[string]string{"": "Not set", "minor": "Minor", "severe": "Severe"},
		Clocks:     map[string]string{"response": "Response", "onsite": "On site", "resolution": "Resolution"},
		Liabilities: map[string]string{
			"": "Not yet analyzed", "company": "Company", "customer": "Customer",
			"third_party": "Third party", "undetermined": "Undetermined",
		},
		Decisions: map[string]string{"": "Pending", "no_action": "No action", "warning": "Warning", "penalty": "Penalty"},
		States:    map[string]string{"open": "Open", "closed": "Closed"},
		FollowupKinds: map[string]string{
			"": "Unknown kind", "delivery_call": "Delivery call", "post_close_call": "Post-close call",
			"annual_survey": "Annual survey", "key_customer_visit": "Key-customer visit", "recovery_call": "Recovery call",
		},
	},
}

// labelsFor returns the labels of lang.
func labelsFor(lang Lang) (*labels, error) {
	l, err := ParseLang(string(lang))
	if err != nil {
		return nil, err
	}
	return labelTable[l], nil
}

// name labels value from one of the enum maps; a value the map lacks (one
// newer than this file, which TestEveryValueHasLabels prevents) shows as
// itself rather than vanishing.
func name(m map[string]string, value string) string {
	if s, ok := m[value]; ok {
		return s
	}
	return value
}

// text shows free text (a branch office, a part number), "" as None.
func (l *labels) text(s string) string {
	if strings.TrimSpace(s) == "" {
		return l.None
	}
	return s
}
