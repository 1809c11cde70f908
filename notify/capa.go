package notify

import (
	"fmt"

	"github.com/caseflow/caseflow/complaint"
)

// preventionText words the notices of corrective actions, recurrences and
// the monthly review, in Chinese then English; ok is false for another
// kind. The action's number (or the case's, or review-<month>) is
// n.CaseNumber; the rest are facts.
func preventionText(n complaint.Notification) (subject, lead string, ok bool) {
	f := n.Facts
	switch n.Kind {
	case complaint.NotificationCapaDueSoon:
		subject = fmt.Sprintf("[纠正措施即将到期 CAPA due soon] %s 须于 %s 前完成 / due %s", n.CaseNumber, f["due_date"], f["due_date"])
		lead = fmt.Sprintf("纠正措施 %s（责任部门：%s）须于 %s 前完成，请按时落实并在系统中报告完成情况。\n"+
			"Corrective action %s (owner: %s) is due on %s: carry it out and report it done.",
			n.CaseNumber, f["owner_department"], f["due_date"], n.CaseNumber, f["owner_department"], f["due_date"])
	case complaint.NotificationCapaOverdue:
		subject = fmt.Sprintf("[纠正措施逾期 CAPA overdue] %s 已超过 %s / past its due date %s", n.CaseNumber, f["due_date"], f["due_date"])
		lead = fmt.Sprintf("纠正措施 %s（责任部门：%s）已超过到期日 %s 仍未完成，请督办。\n"+
			"Corrective action %s (owner: %s) was due on %s and is not done: see that it is.",
			n.CaseNumber, f["owner_department"], f["due_date"], n.CaseNumber, f["owner_department"], f["due_date"])
	case complaint.NotificationCapaVerify:
		subject = fmt.Sprintf("[效果验证 verify] %s 请验证纠正措施的效果 / check whether it worked", n.CaseNumber)
		lead = fmt.Sprintf("纠正措施 %s 已完成并到了效果验证日期：请确认同类投诉是否再次发生，并在系统中记录验证结论。\n"+
			"Corrective action %s is done and its effectiveness check is due: check whether the complaint recurred and record the verdict.",
			n.CaseNumber, n.CaseNumber)
	case complaint.NotificationRecurrence:
		subject = fmt.Sprintf("[重复投诉 recurrence] %s 与 %s 同类 / repeats %s", n.CaseNumber, f["recurrence_of"], f["recurrence_of"])
		lead = fmt.Sprintf("投诉 %s 与此前的投诉 %s 属同一零件号（或同一设备型号与原因），请复核相关纠正措施。\n"+
			"Complaint %s repeats %s (the same part number, or the same equipment model and root cause): review their corrective actions.",
			n.CaseNumber, f["recurrence_of"], n.CaseNumber, f["recurrence_of"])
	case complaint.NotificationReviewReady:
		subject = fmt.Sprintf("[月度评审 monthly review] %s 的投诉评审已生成 / the review of %s is ready", f["month"], f["month"])
		lead = fmt.Sprintf("%s 的投诉月度评审（%s 件投诉）已生成：请查阅本部门的责任情况并记录处理决定。\n"+
			"The monthly review of %s (%s complaints) is ready: read your department's accountability and record its decision.",
			f["month"], f["cases"], f["month"], f["cases"])
	case complaint.NotificationReviewReminder:
		subject = fmt.Sprintf("[月度评审提醒 review reminder] %s 尚待本部门决定 / your decision is due", f["month"])
		lead = fmt.Sprintf("%s 的月度评审仍在等待本部门的责任处理决定，请尽快记录。\n"+
			"The monthly review of %s still waits for your department's accountability decision.", f["month"], f["month"])
	default:
		return "", "", false
	}
	return subject, lead, true
}
