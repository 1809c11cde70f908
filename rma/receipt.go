package rma

import (
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// ReceiptPeriod is how long after approval the goods are due in: three
// days, in calendar time (a branch office ships any day; the RMA names no
// service-level policy, so there is no office calendar to count in).
const ReceiptPeriod = 3 * 24 * time.Hour

// ReceiptDue is when goods approved at approvedAt are due in.
func ReceiptDue(approvedAt time.Time) time.Time { return approvedAt.Add(ReceiptPeriod) }

// ReminderDue is when the RMA's receipt reminder falls due, and whether one
// is still owed: only while approved goods have not come and no reminder
// went out yet. The reminder goes out once, at the due time.
func ReminderDue(r complaint.RMA) (time.Time, bool) {
	if r.Stage != complaint.RMAApproved || r.ReceiptOverdue || r.ReceiptDueAt == nil {
		return time.Time{}, false
	}
	return *r.ReceiptDueAt, true
}

// MarkOverdue records that the goods did not come in time, once, and names
// the timeline event; false when no reminder is owed at now.
func MarkOverdue(r *complaint.RMA, now time.Time) (string, bool) {
	due, ok := ReminderDue(*r)
	if !ok || now.Before(due) {
		return "", false
	}
	r.ReceiptOverdue = true
	r.UpdatedAt = now
	return complaint.EventRMAReceiptMissed, true
}

// ReminderRecipients are whom the receipt reminder reaches: the after-sales
// agents, who take the goods in, and the requesting branch office: the
// user who asked, when a branch office asked, else nobody more (after-sales
// asked on the customer's call).
func ReminderRecipients(r complaint.RMA) []rules.Recipient {
	to := []rules.Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales}}
	if r.RequestedBy.Department == complaint.DepartmentBranchOffice && r.RequestedBy.UserID != "" {
		to = append(to, rules.Recipient{UserID: r.RequestedBy.UserID})
	}
	return to
}

// ReminderFacts are what the reminder tells: the RMA, the customer and
// branch office, the part and quantity.
func ReminderFacts(r complaint.RMA) map[string]string {
	return map[string]string{"rma": r.Number, "customer": r.CustomerID, "branch_office": r.BranchOffice,
		"part": r.PartNumber, "quantity": strconv.Itoa(r.Quantity)}
}
