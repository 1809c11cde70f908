package notify

import (
	"fmt"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// rmaReceiptText words an RMA's receipt reminder, in Chinese then English:
// approved goods that have not come in within the receipt period. The RMA's
// number is n.CaseNumber; the branch office, part and quantity are facts.
func rmaReceiptText(n complaint.Notification) (subject, lead string) {
	due := ""
	if !n.DueAt.IsZero() {
		due = n.DueAt.Format(time.RFC3339)
	}
	f := n.Facts
	subject = fmt.Sprintf("[退换货逾期 RMA overdue] %s 退回货物未按期到货 / returned goods not received (due %s)",
		n.CaseNumber, due)
	lead = fmt.Sprintf("退换货单 %s（%s，%s × %s）已批准，但货物未在 %s 前入库：请联系分公司催收。\n"+
		"The goods of %s (%s, %s × %s) were approved for return but not received by %s: chase the branch office.",
		n.CaseNumber, f["branch_office"], f["quantity"], f["part"], due,
		n.CaseNumber, f["branch_office"], f["quantity"], f["part"], due)
	return subject, lead
}
