package console

// followupPagesCatalog is the catalog's part for the follow-up and
// feedback pages (followup*.go, feedback*.go), {English, Chinese}; their
// vocabulary is catalog_followup.go's. init adds it to catalog.
var followupPagesCatalog = map[string][2]string{
	"nav.followups": {"Follow-ups", "回访"},
	"nav.feedback":  {"Enquiries and suggestions", "咨询与建议"},

	"followups.title":       {"Follow-ups", "回访任务"},
	"followups.empty":       {"No follow-ups match.", "没有符合条件的回访任务。"},
	"followups.due_from":    {"Due from", "到期日起"},
	"followups.due_to":      {"Due until", "到期日止"},
	"followups.open":        {"Open a follow-up", "新建回访任务"},
	"followups.open.submit": {"Open", "创建"},
	"followups.open.help": {"Open a call or visit by hand: the customer (as in the archive), what it is about (equipment serial, case), who does it and when it is due. Left without an owner, the owner department's desk shares it. The calls after deliveries and closed cases, the annual survey and the key-customer visits open on their own.",
		"手动新建回访或拜访：填写客户（须为档案中的客户）、相关设备序列号或案件、负责人及到期时间。不指定负责人时由负责部门共同处理。交付回访、结案回访、年度调查和重点客户拜访由系统自动创建。"},
	"followups.opened":      {"The follow-up was opened.", "回访任务已创建。"},
	"followups.wrong_stage": {"This follow-up is %s now: the step no longer applies.", "此回访任务当前为“%s”，该步骤已不适用。"},

	"followup.kind":            {"Kind of follow-up", "回访类型"},
	"followup.facts":           {"The follow-up", "回访信息"},
	"followup.source":          {"Opened from", "来源"},
	"followup.source.link":     {"the follow-up whose survey scored low", "满意度低分的回访"},
	"followup.opened":          {"Opened", "创建"},
	"followup.outcome":         {"Outcome", "回访结果"},
	"followup.raised":          {"Raised complaint:", "由此登记的客诉："},
	"followup.cancelled":       {"Cancelled", "已取消"},
	"followup.none_yet":        {"Not done yet.", "尚未完成。"},
	"followup.survey":          {"Survey", "满意度问卷"},
	"followup.survey.sent":     {"Sent", "发送时间"},
	"followup.survey.expires":  {"Link expires", "链接失效时间"},
	"followup.survey.answered": {"Answered", "答复时间"},
	"followup.done_note":       {"What the customer said", "客户反馈"},
	"followup.raise_required":  {"Complaint: %s (needed to raise it)", "客诉：%s（登记客诉时必填）"},
	"followup.raise_field":     {"Complaint: %s", "客诉：%s"},

	"case.followups":        {"Follow-ups", "回访"},
	"case.followups.all":    {"All of this case's follow-ups", "本案的全部回访"},
	"case.followups.open":   {"Open a follow-up for this case", "为本案新建回访"},
	"case.followups.raised": {"raised this case", "由此回访登记本案"},

	"feedback.title":      {"Enquiries and suggestions", "咨询与建议"},
	"feedback.empty":      {"No enquiries or suggestions match.", "没有符合条件的咨询或建议。"},
	"feedback.kind":       {"Kind", "类型"},
	"feedback.log":        {"Log an enquiry, suggestion or praise", "登记咨询、建议或表扬"},
	"feedback.log.submit": {"Log", "登记"},
	"feedback.log.help": {"Log what a customer (by archive id) or a member of staff asked, suggested or praised, and route it to the department that answers it within the response time.",
		"登记客户（填写档案编号）或员工的咨询、建议或表扬，并转交负责部门在答复时限内答复。"},
	"feedback.logged":      {"Logged as %s.", "已登记，编号 %s。"},
	"feedback.wrong_stage": {"This is %s now: it takes no answer.", "当前为“%s”，不能再答复。"},
	"feedback.from":        {"From", "来自"},
	"feedback.staff":       {"Staff", "员工"},
	"feedback.logged_at":   {"Logged", "登记时间"},
	"feedback.respond_by":  {"Answer due", "答复期限"},
	"feedback.facts":       {"What was said", "内容"},
	"feedback.unanswered":  {"Not answered yet.", "尚未答复。"},
	"feedback.answer.help": {"Your department answers it: the answer is kept with it and stops its clock.",
		"由本部门答复：答复将随记录保存，并停止答复计时。"},
	"col.feedback": {"Number", "编号"},
}

func init() {
	for k, v := range followupPagesCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
