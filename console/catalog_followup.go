package console

// followupCatalog is the catalog's part for follow-ups, surveys and
// feedback (enquiries, suggestions, praise), {English, Chinese}: their
// vocabulary, their events and notifications, and their bodies' fields.
// init adds it to catalog; a key the catalog holds keeps its wording
// (TestFollowupCatalogsAgreeWithTheCatalog says when the two differ).
var followupCatalog = map[string][2]string{
	"followup_kind.delivery_call":      {"Call after delivery", "交付回访"},
	"followup_kind.post_close_call":    {"Call after the case closed", "结案回访"},
	"followup_kind.annual_survey":      {"Annual satisfaction survey", "年度满意度调查"},
	"followup_kind.key_customer_visit": {"Key-customer visit", "重点客户拜访"},
	"followup_kind.recovery_call":      {"Recovery call (low score)", "低分挽回回访"},

	"followup_stage.open":      {"Open", "待回访"},
	"followup_stage.done":      {"Done", "已完成"},
	"followup_stage.cancelled": {"Cancelled", "已取消"},

	"followup_step.open":   {"Open a follow-up", "新建回访任务"},
	"followup_step.done":   {"Record the outcome", "登记回访结果"},
	"followup_step.cancel": {"Cancel the follow-up", "取消回访"},
	"followup_step.survey": {"Survey answer", "问卷答复"},

	"followup_help.done": {"Record what the call or visit found. A key-customer visit needs its written report; after a post-close call or the annual survey the customer may be sent the survey link. When issues were found, tick both boxes and fill in the complaint to raise it at once.",
		"记录回访或拜访的结果。重点客户拜访须填写书面报告；结案回访和年度调查可向客户发送满意度问卷链接。发现问题时，勾选两个选项并填写客诉信息，即可同时登记客诉。"},
	"followup_help.cancel": {"Cancel a follow-up that is no longer owed; say why.", "取消不再需要的回访，请说明原因。"},

	"followup_department.after_sales":   {"After-sales", "售后服务部"},
	"followup_department.branch_office": {"Branch office", "办事处"},

	"survey_state.sent":     {"Sent, awaiting the answer", "已发送，待答复"},
	"survey_state.unsent":   {"Not sent", "未发送"},
	"survey_state.answered": {"Answered", "已答复"},
	"survey_state.expired":  {"Expired unanswered", "已过期未答复"},

	"feedback_kind.enquiry":    {"Enquiry", "咨询"},
	"feedback_kind.suggestion": {"Suggestion", "建议"},
	"feedback_kind.praise":     {"Praise", "表扬"},

	"feedback_stage.open":     {"Awaiting an answer", "待答复"},
	"feedback_stage.answered": {"Answered", "已答复"},

	"feedback_step.log":    {"Log an enquiry or suggestion", "登记咨询或建议"},
	"feedback_step.answer": {"Answer", "答复"},

	"event.followup_opened":    {"Follow-up opened", "已创建回访任务"},
	"event.followup_due_soon":  {"Follow-up due soon", "回访即将到期"},
	"event.followup_overdue":   {"Follow-up overdue", "回访已逾期"},
	"event.followup_done":      {"Follow-up done", "已完成回访"},
	"event.followup_cancelled": {"Follow-up cancelled", "已取消回访"},
	"event.survey_sent":        {"Survey sent", "已发送满意度问卷"},
	"event.survey_unsent":      {"Survey not sent", "满意度问卷未发送"},
	"event.survey_answered":    {"Survey answered", "客户已答复问卷"},
	"event.survey_expired":     {"Survey expired", "问卷已过期"},
	"event.feedback_logged":    {"Logged", "已登记"},
	"event.feedback_overdue":   {"Answer overdue", "答复已超时"},
	"event.feedback_answered":  {"Answered", "已答复"},

	"notification_kind.followup_due_soon": {"Follow-up due soon", "回访即将到期"},
	"notification_kind.followup_overdue":  {"Follow-up overdue", "回访已逾期"},
	"notification_kind.survey_low_score":  {"Low survey score", "满意度评分偏低"},
	"notification_kind.survey_invitation": {"Satisfaction survey invitation", "满意度调查邀请"},
	"notification_kind.feedback_received": {"New enquiry or suggestion", "收到新的咨询或建议"},
	"notification_kind.feedback_overdue":  {"Enquiry or suggestion unanswered", "咨询或建议答复超时"},

	"field.due_at":              {"Due", "到期时间"},
	"field.issues_found":        {"Issues were found", "发现问题"},
	"field.report":              {"Visit report", "拜访报告"},
	"field.send_survey":         {"Send the customer the satisfaction survey", "向客户发送满意度问卷"},
	"field.raise":               {"Raise a complaint from the issues found", "根据发现的问题登记客诉"},
	"field.raise_complaint":     {"Complaint to raise", "待登记的客诉"},
	"field.raised_complaint_id": {"Raised complaint", "由此登记的客诉"},
	"field.from_customer_id":    {"From customer (id; blank: from staff)", "来自客户（编号；不填表示来自员工）"},
	"field.text":                {"What was asked or suggested", "咨询或建议内容"},
	"field.routed_to":           {"Routed to", "转交部门"},
	"field.answer":              {"Answer", "答复"},
	"field.would_recommend":     {"Would recommend (0–10)", "推荐意愿（0–10）"},
}

func init() {
	for k, v := range followupCatalog {
		if _, ok := catalog[k]; !ok {
			catalog[k] = v
		}
	}
}
