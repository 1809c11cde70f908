package workflows

import (
	"errors"

	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// Error types of refused steps, as temporal.ApplicationError types: the
// kinds of rules.Refusal. Refusals come from the update's validator, so they
// leave no trace in history, or, when the case moved on while the step
// waited its turn, from the handler.
const (
	// ErrTypeWrongStage: the case does not take the step now. Details:
	// complaint.StageConflict. The API answers 409.
	ErrTypeWrongStage = string(rules.WrongStage)
	// ErrTypeForbidden: the actor may not take the step on this case. The API
	// answers 403.
	ErrTypeForbidden = string(rules.Forbidden)
	// ErrTypeInvalid: the body does not fit the case. With a
	// complaint.FieldProblems detail a field is to blame (422); without, the
	// case lacks something first (409).
	ErrTypeInvalid = string(rules.Invalid)
)

// refusalError maps the rules' refusal to the application error the API
// reads; other errors pass unchanged.
func refusalError(err error) error {
	var r *rules.Refusal
	if !errors.As(err, &r) {
		return err
	}
	switch {
	case r.Conflict != nil:
		return refusal(r.Message, string(r.Kind), *r.Conflict)
	case len(r.Fields) > 0:
		return refusal(r.Message, string(r.Kind), complaint.FieldProblems{Fields: r.Fields})
	default:
		return refusal(r.Message, string(r.Kind))
	}
}

func refusal(msg, errType string, details ...any) error {
	return temporal.NewApplicationErrorWithOptions(msg, errType,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: details})
}

func forbidden(msg string) error { return refusal(msg, ErrTypeForbidden) }
