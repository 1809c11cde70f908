package complaint

import "time"

// The vocabulary of enquiries and suggestions [1.(1).A, 1.(1).E, 2.(5).3]:
// what a customer or a member of staff asks, suggests or praises is logged,
// routed to a department and answered within the policy's response time,
// or escalated like a case's clock. Package feedback has its rules,
// workflows.FeedbackWorkflow the shell.

// Kinds of feedback.
const (
	FeedbackEnquiry    = "enquiry"
	FeedbackSuggestion = "suggestion"
	FeedbackPraise     = "praise"
)

// FeedbackKinds lists every kind of feedback.
func FeedbackKinds() []string { return []string{FeedbackEnquiry, FeedbackSuggestion, FeedbackPraise} }

// Stages of feedback: open until answered.
const (
	FeedbackOpen     = "open"
	FeedbackAnswered = "answered"
)

// FeedbackStages lists every stage of feedback.
func FeedbackStages() []string { return []string{FeedbackOpen, FeedbackAnswered} }

// Steps of feedback: logging it (POST /api/v1/feedback) and answering it
// (POST /api/v1/feedback/{id}/answer).
const (
	FeedbackStepLog    = "log"
	FeedbackStepAnswer = "answer"
)

// Timeline event kinds of feedback.
const (
	EventFeedbackLogged   = "feedback_logged"
	EventFeedbackOverdue  = "feedback_overdue"
	EventFeedbackAnswered = "feedback_answered"
)

// FeedbackEventKinds lists every timeline event kind of feedback.
func FeedbackEventKinds() []string {
	return []string{EventFeedbackLogged, EventFeedbackOverdue, EventFeedbackAnswered}
}

// Notifications of feedback.
const (
	NotificationFeedbackReceived = "feedback_received" // to the department it is routed to
	NotificationFeedbackOverdue  = "feedback_overdue"  // to that department's supervisors
)

// FeedbackWorkflowID is the workflow id of the feedback with id.
func FeedbackWorkflowID(id string) string { return "feedback-" + id }

// FeedbackBody is the body of POST /api/v1/feedback. FromCustomerID names
// the customer it comes from; left out, it comes from the member of staff
// who logs it.
type FeedbackBody struct {
	Kind           string `json:"kind" validate:"required,enum=feedback_kind"`
	FromCustomerID string `json:"from_customer_id,omitempty" validate:"max=64"`
	Text           string `json:"text" validate:"required,max=10000" text:"multiline"`
	RoutedTo       string `json:"routed_to" validate:"required,enum=department"`
}

// FeedbackAnswerBody is the body of answer.
type FeedbackAnswerBody struct {
	Answer string `json:"answer" validate:"required,max=10000" text:"multiline"`
}

// Feedback is an enquiry, suggestion or praise: what its workflow holds,
// the store projects and the API answers.
type Feedback struct {
	ID             string `json:"id"`
	Number         string `json:"number"`
	Kind           string `json:"kind"`
	Stage          string `json:"stage"`
	FromCustomerID string `json:"from_customer_id,omitempty"`
	// FromUserID is the member of staff it comes from, when no customer.
	FromUserID string    `json:"from_user_id,omitempty"`
	Text       string    `json:"text"`
	RoutedTo   string    `json:"routed_to"`
	LoggedBy   Actor     `json:"logged_by"`
	LoggedAt   time.Time `json:"logged_at"`
	// RespondBy is when it escalates unless answered: the policy's
	// response time after it was logged.
	RespondBy    time.Time  `json:"respond_by"`
	Overdue      bool       `json:"overdue"`
	Answer       string     `json:"answer,omitempty"`
	AnsweredBy   *Actor     `json:"answered_by,omitempty"`
	AnsweredAt   *time.Time `json:"answered_at,omitempty"`
	AllowedSteps []string   `json:"allowed_steps"`
	UpdatedAt    time.Time  `json:"updated_at"`
	Version      int64      `json:"version"`
}
