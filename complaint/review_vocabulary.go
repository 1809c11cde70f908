package complaint

// The vocabulary of the monthly review [3.(4)]: each month the previous
// month's complaints are reviewed per department, with the cause and who
// was accountable. Package review computes its figures; the review
// workflow stores them and waits for each department's decision.

// Decisions a department's supervisor records on its accountability row.
const (
	AccountabilityNoAction = "no_action"
	AccountabilityWarning  = "warning"
	AccountabilityPenalty  = "penalty"
)

// AccountabilityDecisions lists every accountability decision.
func AccountabilityDecisions() []string {
	return []string{AccountabilityNoAction, AccountabilityWarning, AccountabilityPenalty}
}

// Where a monthly review stands: open until every department has decided.
const (
	ReviewOpen   = "open"
	ReviewClosed = "closed"
)

// ReviewStates lists every state of a monthly review.
func ReviewStates() []string { return []string{ReviewOpen, ReviewClosed} }

// Notifications of the monthly review.
const (
	NotificationReviewReady    = "review_ready"    // to each department's supervisor
	NotificationReviewReminder = "review_reminder" // weekly, to those who have not decided
)

// ReviewWorkflowID is the workflow id of the review of month (yyyy-mm).
func ReviewWorkflowID(month string) string { return "review-" + month }

// AccountabilityBody is the body of
// PUT /api/v1/reviews/{yyyy-mm}/departments/{dept}.
type AccountabilityBody struct {
	Decision string `json:"decision" validate:"required,enum=accountability_decision"`
	Note     string `json:"note,omitempty" validate:"required_unless=Decision no_action,max=10000" text:"multiline"`
}

// AccountabilityDecision is a department's decision as the review's
// workflow takes it: the department (from the API's path) and the body.
type AccountabilityDecision struct {
	Department string `json:"department"`
	AccountabilityBody
}
