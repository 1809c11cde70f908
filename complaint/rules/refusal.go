package rules

import "github.com/caseflow/caseflow/complaint"

// RefusalKind says why a step is refused; the workflow names its
// application error after it and the API answers with its status.
type RefusalKind string

const (
	// WrongStage: the case does not take the step now (409, with the stage
	// and the steps it takes).
	WrongStage RefusalKind = "WrongStage"
	// Forbidden: the actor may not take the step on this case (403).
	Forbidden RefusalKind = "Forbidden"
	// Invalid: with Fields, the body does not fit the case (422); without,
	// the case lacks something first (409), such as the proposals a severe
	// quality agreement needs, or a department's approval already given.
	Invalid RefusalKind = "InvalidStep"
)

// Refusal is a step the rules do not allow, and why.
type Refusal struct {
	Kind    RefusalKind
	Message string
	// Conflict details a WrongStage refusal.
	Conflict *complaint.StageConflict
	// Fields names the body's fields to blame, keyed by JSON name.
	Fields map[string]string
}

func (r *Refusal) Error() string { return r.Message }

func forbidden(msg string) error { return &Refusal{Kind: Forbidden, Message: msg} }

// notReady refuses a step the case is not ready for.
func notReady(msg string) error { return &Refusal{Kind: Invalid, Message: msg} }

// invalidFields refuses a step for the body's fields.
func invalidFields(msg string, fields map[string]string) error {
	return &Refusal{Kind: Invalid, Message: msg, Fields: fields}
}

func invalidField(field, problem string) error {
	return invalidFields(field+" "+problem, map[string]string{field: problem})
}
