package notify

import (
	"fmt"

	"github.com/caseflow/caseflow/complaint"
)

// loanText words a loan's due-back notice, in Chinese then English: the
// reminder when the unit is overdue, the escalation a week later.
func loanText(n complaint.Notification) (subject, lead string) {
	unit, due := n.Facts["serial"], n.Facts["due_back"]
	if n.Kind == complaint.NotificationWarning {
		subject = fmt.Sprintf("[借用逾期 loan overdue] %s 备用设备 %s 未按期归还 / backup unit not returned (due %s)",
			n.CaseNumber, unit, due)
		lead = fmt.Sprintf("投诉 %s 借给客户的备用设备 %s 应于 %s 归还，至今未还：请联系客户取回，或报审批人转为销售或替换。\n"+
			"The backup unit %s lent for case %s was due back on %s: get it back, or ask an approver to convert the loan.",
			n.CaseNumber, unit, due, unit, n.CaseNumber, due)
		return subject, lead
	}
	subject = fmt.Sprintf("[借用逾期升级 loan escalated] %s 备用设备 %s 逾期一周 / overdue a week (due %s)",
		n.CaseNumber, unit, due)
	lead = fmt.Sprintf("投诉 %s 的备用设备 %s 已逾期一周未归还（应还日期 %s），请督办。\n"+
		"The backup unit %s of case %s is a week overdue (due back %s): please follow it up.",
		n.CaseNumber, unit, due, unit, n.CaseNumber, due)
	return subject, lead
}
