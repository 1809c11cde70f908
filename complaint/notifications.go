package complaint

import "time"

// Notification is one service-level notification to one recipient: what the
// workflow decides to send, the store's outbox keeps and the channels
// deliver. It lives in the vocabulary so the store needs no channel code.
type Notification struct {
	ID          string `json:"id"` // unique, stable across retries
	ComplaintID string `json:"complaint_id"`
	CaseNumber  string `json:"case_number"`
	Clock       string `json:"clock,omitempty"` // one of ClockNames; none for paid_service
	Kind        string `json:"kind"`            // one of NotificationKinds
	Level       int    `json:"level"`           // warning: 1-based warning point; escalation: level
	Recipient   string `json:"recipient"`       // user id or "role@department"
	Name        string `json:"name"`            // recipient's display name
	Email       string `json:"email,omitempty"`
	WebhookURL  string `json:"webhook_url,omitempty"`
	// Facts are what a dispatch tells the engineer (customer, site,
	// contact, phone, equipment, demand, onsite_due); Render words them.
	Facts     map[string]string `json:"facts,omitempty"`
	Subject   string            `json:"subject"`
	Text      string            `json:"text"`
	DueAt     time.Time         `json:"due_at"`
	CreatedAt time.Time         `json:"created_at"`
}

// OutboxKey is what the outbox keys n's process by: the complaint's id, or,
// for a process of its own (a corrective action, a review, a follow-up),
// its number behind a "#" that no complaint id has. Without it every such
// process shared the key "" and a second one's notice to the same person
// at the same kind and level was taken for the first's.
func (n Notification) OutboxKey() string { return OutboxKey(n.ComplaintID, n.CaseNumber) }

// OutboxKey is the outbox's key of a notice of complaintID, or of the
// process numbered caseNumber when it belongs to no complaint.
func OutboxKey(complaintID, caseNumber string) string {
	if complaintID != "" {
		return complaintID
	}
	return "#" + caseNumber
}

// Kinds of notification.
const (
	// NotificationWarning comes before a deadline, at a warning point.
	NotificationWarning = "warning"
	// NotificationEscalation comes after a breach, at an escalation level.
	NotificationEscalation = "escalation"
	// NotificationPaidService tells sales that a case is out of warranty
	// and needs a quote [2.(4).d].
	NotificationPaidService = "paid_service"
	// NotificationDispatch tells engineers a case needs them on site
	// [2.(5).2].
	NotificationDispatch = "dispatch"
)

// NotificationKinds lists every kind of notification.
func NotificationKinds() []string {
	return []string{NotificationWarning, NotificationEscalation, NotificationPaidService, NotificationDispatch,
		NotificationReorder, NotificationRMAReceipt, NotificationCapaDueSoon, NotificationCapaOverdue,
		NotificationCapaVerify, NotificationRecurrence, NotificationReviewReady, NotificationReviewReminder,
		NotificationFollowupDueSoon, NotificationFollowupOverdue, NotificationSurveyLowScore,
		NotificationFeedbackReceived, NotificationFeedbackOverdue}
}

// Delivery states of a notification in the outbox.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliverySkipped   = "skipped" // no channel applies to the recipient
	// DeliveryFailed is a permanent failure, or a delivery that ran out of
	// attempts; the outbox keeps the last error.
	DeliveryFailed = "failed"
)

// DeliveryStates lists every delivery state.
func DeliveryStates() []string {
	return []string{DeliveryPending, DeliveryDelivered, DeliverySkipped, DeliveryFailed}
}
