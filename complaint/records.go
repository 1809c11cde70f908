package complaint

import (
	"time"
)

// Records the case view keeps of its steps. Each carries who did it and when.

// Contact is one contact with the customer.
type Contact struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Confirmation records who confirmed the register and what they noted.
type Confirmation struct {
	Note  string    `json:"note,omitempty"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Analysis is the analysis's finding.
type Analysis struct {
	AnalysisBody
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Proposal is the measures one department proposed.
type Proposal struct {
	Department string    `json:"department"`
	Measures   string    `json:"measures"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
}

// Agreement is a solution agreed with the customer. Round numbers the
// approval round it opened; 0 when it needed no approval.
type Agreement struct {
	AgreementBody
	Round int       `json:"round,omitempty"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Outcomes of an approval round.
const (
	RoundPending  = "pending"
	RoundApproved = "approved"
	RoundRejected = "rejected"
	// RoundWithdrawn ends a round the customer's withdrawal left undecided.
	RoundWithdrawn = "withdrawn"
)

// RoundOutcomes lists every outcome of an approval round.
func RoundOutcomes() []string {
	return []string{RoundPending, RoundApproved, RoundRejected, RoundWithdrawn}
}

// ApprovalRound is one agreement put to its approving departments; it ends
// approved when all approve, or rejected at the first rejection.
type ApprovalRound struct {
	Number    int                `json:"number"`
	Agreement Agreement          `json:"agreement"`
	Decisions []ApprovalDecision `json:"decisions"`
	Outcome   string             `json:"outcome"`
	Reason    string             `json:"reason,omitempty"` // the rejection's comment
	EndedAt   *time.Time         `json:"ended_at,omitempty"`
}

// ApprovalDecision is one department's decision in a round.
type ApprovalDecision struct {
	Department string    `json:"department"`
	Decision   Decision  `json:"decision"`
	Comment    string    `json:"comment,omitempty"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
}

// CorrectiveAction is an action that prevents recurrence.
type CorrectiveAction struct {
	CorrectiveActionBody
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
	// CapaID is the corrective action's own workflow (capa-<id>), on cases
	// from the CAPA change on.
	CapaID string `json:"capa_id,omitempty"`
}

// ProgressNote is feedback given to the customer during remediation.
type ProgressNote struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// Resolution records that the remediation is done.
type Resolution struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// How a case closed.
const (
	OutcomeResolved            = "resolved"
	OutcomeExplanationAccepted = "explanation_accepted"
	OutcomeWithdrawn           = "withdrawn"
	// OutcomeQuoteDeclined: the customer declined paid service and was
	// given the explanation.
	OutcomeQuoteDeclined = "quote_declined"
)

// Outcomes lists every way a case closes.
func Outcomes() []string {
	return []string{OutcomeResolved, OutcomeExplanationAccepted, OutcomeWithdrawn, OutcomeQuoteDeclined}
}

// Closure records how and when a case closed.
type Closure struct {
	Outcome           string    `json:"outcome"`
	CustomerConfirmed bool      `json:"customer_confirmed"`
	Satisfaction      *int      `json:"satisfaction,omitempty"`
	Withdrawn         bool      `json:"withdrawn"`
	Note              string    `json:"note,omitempty"`
	Actor             Actor     `json:"actor"`
	At                time.Time `json:"at"`
}
