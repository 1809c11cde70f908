package console

import "regexp"

// capaCatalog is the catalog's part for corrective actions (CAPA) and the
// monthly review, {English, Chinese}: their vocabulary, their events and
// notifications, and their bodies' fields. init adds it to catalog; a key
// the catalog holds keeps its wording.
var capaCatalog = map[string][2]string{
	"capa_stage.open":        {"Open", "进行中"},
	"capa_stage.done":        {"Done, awaiting its check", "已完成，待验证"},
	"capa_stage.verifying":   {"Effectiveness check due", "待验证有效性"},
	"capa_stage.effective":   {"Effective", "有效"},
	"capa_stage.ineffective": {"Ineffective", "无效"},

	"capa_step.done":   {"Report it done", "报告完成"},
	"capa_step.verify": {"Record the effectiveness check", "登记有效性验证"},

	"verdict.effective":   {"Effective", "有效"},
	"verdict.ineffective": {"Ineffective: reopen it", "无效，重新开启"},

	"event.capa_opened":      {"Corrective action opened", "已开启纠正措施"},
	"event.capa_done":        {"Corrective action reported done", "纠正措施已报告完成"},
	"event.capa_verifying":   {"Effectiveness check due", "有效性验证到期"},
	"event.capa_verified":    {"Effectiveness checked", "已验证有效性"},
	"event.capa_reopened":    {"Corrective action reopened", "纠正措施已重新开启"},
	"event.capa_due_soon":    {"Corrective action due soon", "纠正措施即将到期"},
	"event.capa_overdue":     {"Corrective action overdue", "纠正措施已逾期"},
	"event.capa_recurrence":  {"The complaint came back", "客诉再次发生"},
	"event.recurrence_found": {"Repeats an earlier complaint", "与以往客诉重复"},

	"notification_kind.capa_due_soon":   {"Corrective action due soon", "纠正措施即将到期"},
	"notification_kind.capa_overdue":    {"Corrective action overdue", "纠正措施已逾期"},
	"notification_kind.capa_verify":     {"Effectiveness check due", "待验证纠正措施有效性"},
	"notification_kind.recurrence":      {"A complaint came back", "客诉再次发生"},
	"notification_kind.review_ready":    {"Monthly review ready", "月度评审已生成"},
	"notification_kind.review_reminder": {"Monthly review awaits your decision", "月度评审待您决定"},

	"accountability_decision.no_action": {"No action", "不追责"},
	"accountability_decision.warning":   {"Warning", "警告"},
	"accountability_decision.penalty":   {"Penalty", "处罚"},

	"review_state.open":   {"Open", "进行中"},
	"review_state.closed": {"Closed", "已结束"},

	"field.complaint_ids":      {"Complaints", "关联客诉"},
	"field.owner":              {"Owner (user id)", "负责人（用户编号）"},
	"field.effectiveness_days": {"Days until the effectiveness check", "有效性验证期（天）"},
	"field.new_due_date":       {"New due date", "新的完成期限"},
}

// capaProblemWords translate the CAPA's and the review's own field
// problems (capa/, review/, server/capas.go), before the general ones.
var capaProblemWords = []struct {
	pattern *regexp.Regexp
	zh      string
}{
	{regexp.MustCompile(`^must be a date \(YYYY-MM-DD\)$`), "必须是日期（YYYY-MM-DD）"},
	{regexp.MustCompile(`^is required when result is ineffective$`), "结论为“无效”时必填"},
	{regexp.MustCompile(`^is required unless decision is no_action$`), "除非决定为“不追责”，否则必填"},
	{regexp.MustCompile(`^must be one of \[(.+)\]$`), "必须是以下之一：$1"},
	// The review's month (server/reviews.go).
	{regexp.MustCompile(`^must be a month \(YYYY-MM\)$`), "必须是月份（YYYY-MM）"},
	{regexp.MustCompile(`^must be a month \(YYYY-MM\), optionally followed by \.csv or \.html$`),
		"必须是月份（YYYY-MM），可加 .csv 或 .html 后缀"},
	{regexp.MustCompile(`^must be a month before the current one$`), "必须是本月之前的月份"},
}

func init() {
	for k, v := range capaCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
	problemWords = append(capaProblemWords, problemWords...)
}
