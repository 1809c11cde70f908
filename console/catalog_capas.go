package console

// capasCatalog is the catalog's part for the corrective actions' pages
// (capas.go, capa_page.go, capa_steps.go, case_capas.go) and the monthly
// review's (reviews.go, review_page.go), {English, Chinese}; their
// vocabulary is catalog_capa.go's. init adds it to catalog, and
// TestCapasCatalogAgreesWithTheCatalog refuses a key both hold differently.
var capasCatalog = map[string][2]string{
	"nav.capas":   {"Corrective actions", "纠正措施"},
	"nav.reviews": {"Monthly reviews", "月度评审"},

	"capas.title":         {"Corrective actions", "纠正预防措施"},
	"capas.stage_any":     {"Any stage", "全部阶段"},
	"capas.overdue":       {"Overdue", "是否逾期"},
	"capas.overdue.true":  {"Overdue only", "仅逾期"},
	"capas.overdue.false": {"Not overdue", "未逾期"},
	"capas.overdue_mark":  {"Overdue", "已逾期"},
	"capas.empty":         {"No corrective actions match.", "没有符合条件的纠正措施。"},
	"capas.open":          {"Open a corrective action", "开启纠正措施"},
	"capas.open.help": {"Quality opens an action so that the complaints named do not come back: list the complaints one per line, name the department that carries it out and when it is due. Its effectiveness is checked the given number of days after it is reported done (30 when left blank).",
		"品控中心开启纠正措施，防止所列客诉再次发生：逐行填写关联客诉，指定负责执行的部门和完成期限。报告完成后经过所填天数验证其有效性（不填为 30 天）。"},
	"capas.open.submit": {"Open", "开启"},
	"capas.opened":      {"%s was opened.", "已开启纠正措施 %s。"},
	"capas.wrong_stage": {"This corrective action is %s now: the step no longer applies.", "此纠正措施当前为“%s”，该步骤已不适用。"},

	"col.capa": {"CAPA", "纠正措施编号"},

	"capa.facts":         {"The action", "措施信息"},
	"capa.progress":      {"Progress", "执行与验证"},
	"capa.round":         {"Round", "轮次"},
	"capa.opened":        {"Opened", "开启"},
	"capa.done":          {"Reported done", "完成报告"},
	"capa.check_at":      {"Effectiveness check due", "有效性验证时间"},
	"capa.verifications": {"Effectiveness checks", "有效性验证"},
	"capa.recurrence":    {"reopened by", "因再次发生重新开启，案件"},
	"capa.recurrences":   {"Complaints that came back", "再次发生的客诉"},
	"capa.none_yet":      {"Not reported done yet.", "尚未报告完成。"},
	"capa.verdict":       {"Verdict", "验证结论"},
	"capa.done_note":     {"What was done", "完成情况"},

	"capa_help.done": {"The owner department reports what it did, with its evidence one item per line; the effectiveness check falls due after the action's period.",
		"负责部门报告完成情况，证据逐行填写；经过验证期后进行有效性验证。"},
	"capa_help.verify": {"After-sales or quality judge whether the action worked. An ineffective action is reopened and needs a new due date.",
		"售后服务部或品控中心判断措施是否有效。无效的措施将重新开启，须填写新的完成期限。"},

	"case.capas":         {"Corrective actions", "纠正措施"},
	"case.capas.all":     {"All of this case's corrective actions", "本案的全部纠正措施"},
	"case.capas.open":    {"Open a corrective action for this case", "为本案开启纠正措施"},
	"case.recurrence_of": {"Repeats earlier cases (the 10 most recent at most):", "与以下以往案件重复（至多列出最近 10 件）："},

	"reviews.title":      {"Monthly reviews", "月度评审"},
	"reviews.empty":      {"No month has been reviewed yet.", "尚无月度评审。"},
	"reviews.decided":    {"Departments decided", "已决定部门"},
	"reviews.decided_of": {"%d of %d", "%d / %d"},
	"reviews.run":        {"Run the review of a month", "运行月度评审"},
	"reviews.run.help": {"Reviews a month that has ended: its figures are computed once and kept; running a month already reviewed opens it as it is.",
		"评审已结束的月份：统计数据只计算一次并保存；已评审的月份再次运行时直接打开。"},
	"reviews.run.submit": {"Run", "运行"},
	"col.month":          {"Month", "月份"},
	"field.month":        {"Month", "月份"},

	"review.title":          {"Review of %s", "%s 月度评审"},
	"review.ran":            {"The review of %s is ready.", "%s 的月度评审已生成。"},
	"review.decided":        {"Your department's decision was recorded.", "已记录本部门的决定。"},
	"review.closed_now":     {"This review is closed: decisions can no longer change.", "此评审已结束，不能再修改决定。"},
	"review.closed_at":      {"closed", "结束于"},
	"review.computed":       {"computed", "统计于"},
	"review.print":          {"Printable page with charts", "打印版（含图表）"},
	"review.csv":            {"CSV", "CSV 表格"},
	"review.figures":        {"Key figures", "主要数据"},
	"review.cases":          {"Cases", "案件数"},
	"review.breaches":       {"Cases with a breach", "超时案件"},
	"review.recurrences":    {"Recurrences", "重复客诉"},
	"review.capa_open":      {"Corrective actions open", "未完成纠正措施"},
	"review.capa_overdue":   {"Corrective actions overdue", "逾期纠正措施"},
	"review.capa_effective": {"Corrective actions judged effective", "验证有效的纠正措施"},
	"review.satisfaction":   {"Satisfaction (1–5)", "满意度（1–5）"},
	"review.answers":        {"%d answers", "%d 份答复"},
	"review.by_category":    {"Cases by category", "按类别"},
	"review.service_levels": {"Service levels", "服务时限达成"},
	"review.clock":          {"Clock", "时限"},
	"review.measured":       {"Measured", "统计数"},
	"review.met":            {"Met", "达成"},
	"review.breached":       {"Breached", "超时"},
	"review.met_percent":    {"Met %", "达成率"},
	"review.accountability": {"Accountability", "责任考核"},
	"review.decided_by":     {"Decided by", "决定人"},
	"review.undecided":      {"Not decided yet", "尚未决定"},
	"review.decide":         {"Decision for %s", "%s的考核决定"},
	"review.decide.help": {"Record your department's decision on its row; a warning or a penalty needs a note. A later decision replaces it until the review closes.",
		"记录本部门的考核决定；警告或处罚须填写说明。评审结束前可再次提交以替换。"},
	"review.decide.submit": {"Record decision", "提交决定"},
}

// init adds the pages' entries; one the catalog holds already keeps its
// wording (the test says when the two differ).
func init() {
	for k, v := range capasCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
