package complaint

import "time"

// Paid service [2.(4).d]: a case on equipment whose warranty has run out
// needs sales to agree paid service with the customer before remediation.
// Sales quotes, the customer accepts or declines (recorded by after-sales or
// sales); a declined quote closes the case with an explanation, or an
// approver waives the charge and the case goes on free of charge.

// Where a case's paid service stands; empty for a case that needs none.
const (
	PaidServiceRequired = "required" // out of warranty, no quote yet
	PaidServiceQuoted   = "quoted"   // a quote waits for the customer's decision
	PaidServiceAccepted = "accepted"
	PaidServiceDeclined = "declined"
	PaidServiceWaived   = "waived" // an approver let the case go on free of charge
)

// PaidServiceStates lists every paid-service state.
func PaidServiceStates() []string {
	return []string{PaidServiceRequired, PaidServiceQuoted, PaidServiceAccepted, PaidServiceDeclined,
		PaidServiceWaived}
}

// PaidServiceSettled reports whether a case in paid-service state s may
// agree a solution and enter remediation.
func PaidServiceSettled(s string) bool {
	return s == "" || s == PaidServiceAccepted || s == PaidServiceWaived
}

// Currencies a quote is made in.
const (
	CurrencyCNY = "CNY"
	CurrencyUSD = "USD"
	CurrencyEUR = "EUR"
	CurrencyJPY = "JPY"
	CurrencyHKD = "HKD"
)

// Currencies lists every currency a quote is made in.
func Currencies() []string {
	return []string{CurrencyCNY, CurrencyUSD, CurrencyEUR, CurrencyJPY, CurrencyHKD}
}

// QuoteBody is sales' quote for paid service.
type QuoteBody struct {
	Amount   float64 `json:"amount" validate:"required,min=0.01,max=1000000000"`
	Currency string  `json:"currency" validate:"required,enum=currency"`
	Note     string  `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// QuoteDecisionBody is the customer's answer to the open quote.
type QuoteDecisionBody struct {
	Accepted *bool  `json:"accepted" validate:"required"`
	Note     string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// Quote is one quote with the customer's decision once made.
type Quote struct {
	QuoteBody
	Actor    Actor          `json:"actor"`
	At       time.Time      `json:"at"`
	Decision *QuoteDecision `json:"decision,omitempty"`
}

// QuoteDecision records the customer's answer to a quote.
type QuoteDecision struct {
	Accepted bool      `json:"accepted"`
	Note     string    `json:"note,omitempty"`
	Actor    Actor     `json:"actor"`
	At       time.Time `json:"at"`
}

// Waiver records an approver's decision to go on free of charge.
type Waiver struct {
	Note  string    `json:"note"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// CaseCustomer is what the archive said of the customer when the complaint
// was registered, copied so the case reads the same when the archive changes.
type CaseCustomer struct {
	Name         string `json:"name"`
	Region       string `json:"region,omitempty"`
	BranchOffice string `json:"branch_office,omitempty"`
	KeyCustomer  bool   `json:"key_customer"`
	Class        string `json:"class,omitempty"`
}

// Warranty is a case's warranty, fixed at registration from the equipment's
// warranty end against the time the complaint was received.
type Warranty struct {
	Status string `json:"status"`
	EndsOn string `json:"ends_on,omitempty"`
}

// CaseSite is the customer's site of the case's equipment.
type CaseSite struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Address string `json:"address,omitempty"`
}

// NewCaseFacts is what the API adds to a registration from the archive.
type NewCaseFacts struct {
	Customer *CaseCustomer `json:"customer,omitempty"`
	Warranty *Warranty     `json:"warranty,omitempty"`
}

// PaidServiceFor is the paid-service state a case registered under w
// starts in.
func PaidServiceFor(w *Warranty) string {
	if w != nil && w.Status == WarrantyOut {
		return PaidServiceRequired
	}
	return ""
}
