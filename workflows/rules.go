package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/complaint"
)

// Error types of refused steps, as temporal.ApplicationError types. Refusals
// come from the update's validator, so they leave no trace in history, or,
// when the case moved on while the step waited its turn, from the handler.
const (
	// ErrTypeWrongStage: the case does not take the step now. Details:
	// complaint.StageConflict. The API answers 409.
	ErrTypeWrongStage = "WrongStage"
	// ErrTypeForbidden: the actor may not take the step on this case (wrong
	// department or role, or a department the agreement does not ask). The
	// API answers 403.
	ErrTypeForbidden = "Forbidden"
	// ErrTypeInvalid: the body does not fit the case. With a
	// complaint.FieldProblems detail a field is to blame (422); without, the
	// case lacks something first (409), such as the proposals a severe quality
	// agreement needs, or a department's approval already given.
	ErrTypeInvalid = "InvalidStep"
)

// allowedSteps are the steps a case takes in its stage and state, in the
// order of the lifecycle, then the service-level steps. A closed case takes
// none.
func allowedSteps(c complaint.Case) []string {
	return append(lifecycleSteps(c), clockSteps(c)...)
}

func lifecycleSteps(c complaint.Case) []string {
	switch c.Stage {
	case complaint.StageConfirm:
		return []string{UpdateContact, UpdateConfirm, UpdateWithdraw}
	case complaint.StageAnalyze:
		return []string{UpdateContact, UpdateAnalysis, UpdateWithdraw}
	case complaint.StageNegotiate:
		return []string{UpdateContact, UpdateProposals, UpdateAgreement, UpdateWithdraw}
	case complaint.StageApprove:
		return []string{UpdateContact, UpdateApprovals, UpdateWithdraw}
	case complaint.StageRemediate:
		// Resolve once; then close, which needs the remediation done.
		last := UpdateResolve
		if c.Resolution != nil {
			last = UpdateClose
		}
		return []string{UpdateContact, UpdateProgress, UpdateCorrectiveActions, last, UpdateWithdraw}
	}
	return []string{}
}

// permission is who may take a step: a member of one of the departments, or
// anyone holding one of the roles.
type permission struct {
	departments []string
	roles       []string
}

var (
	afterSales   = []string{complaint.DepartmentAfterSales}
	investigates = []string{complaint.DepartmentTechnical, complaint.DepartmentProduction, complaint.DepartmentQuality}
	// analysts may analyse a non-quality case; a quality case is the
	// technical department's [3.(2).2].
	analysts = append(slices.Clone(investigates), complaint.DepartmentAfterSales)
	// Sales joins negotiation [3.(2).3]: it may propose (a credit, paid
	// service) and agree with the customer alongside after-sales.
	proposers   = append(slices.Clone(investigates), complaint.DepartmentSales)
	negotiators = []string{complaint.DepartmentAfterSales, complaint.DepartmentSales}
)

// permissions match the API's route table (auth/policy.go) department for
// department; the API adds its own role rules (agent, supervisor).
var permissions = map[string]permission{
	UpdateContact:           {departments: afterSales},
	UpdateConfirm:           {departments: afterSales},
	UpdateAnalysis:          {departments: analysts},
	UpdateProposals:         {departments: proposers},
	UpdateAgreement:         {departments: negotiators},
	UpdateApprovals:         {roles: []string{complaint.RoleApprover}},
	UpdateProgress:          {departments: afterSales, roles: []string{complaint.RoleEngineer}},
	UpdateCorrectiveActions: {departments: investigates},
	UpdateResolve:           {departments: afterSales},
	UpdateClose:             {departments: afterSales},
	UpdateWithdraw:          {departments: afterSales},
	UpdateOnsite:            {departments: afterSales, roles: []string{complaint.RoleEngineer}},
	UpdatePause:             {departments: afterSales},
	UpdateResume:            {departments: afterSales},
	UpdateInterim:           {departments: afterSales, roles: []string{complaint.RoleEngineer}},
}

// Permitted reports whether the actor may take the step on some case: the
// part of the rights that does not depend on the case, for the API's route
// table. The workflow checks it again, together with the case's own part.
func Permitted(step string, a complaint.Actor) bool {
	p, ok := permissions[step]
	if !ok {
		return false
	}
	return slices.Contains(p.departments, a.Department) || slices.ContainsFunc(p.roles, a.HasRole)
}

// admit runs the checks every step shares: stage, rights, body tags.
func (w *complaintWorkflow) admit(step string, actor complaint.Actor, body any) error {
	allowed := allowedSteps(w.state)
	if !slices.Contains(allowed, step) {
		msg := fmt.Sprintf("a case in stage %s does not take %s", w.state.Stage, step)
		if step == UpdateClose && w.state.Stage == complaint.StageRemediate {
			msg = "close needs the remediation resolved first"
		}
		return refusal(msg, ErrTypeWrongStage, complaint.StageConflict{Stage: w.state.Stage, AllowedSteps: allowed})
	}
	if !Permitted(step, actor) {
		return forbidden(fmt.Sprintf("%s is not open to department %q with roles %v", step, actor.Department, actor.Roles))
	}
	if problems := complaint.BodyProblems(body); len(problems) > 0 {
		return invalidFields("the body has invalid fields", problems)
	}
	return nil
}

func refusal(msg, errType string, details ...any) error {
	return temporal.NewApplicationErrorWithOptions(msg, errType,
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: details})
}

func forbidden(msg string) error { return refusal(msg, ErrTypeForbidden) }

// invalid refuses a step the case is not ready for.
func invalid(msg string) error { return refusal(msg, ErrTypeInvalid) }

// invalidFields refuses a step for the body's fields.
func invalidFields(msg string, fields map[string]string) error {
	return refusal(msg, ErrTypeInvalid, complaint.FieldProblems{Fields: fields})
}

func invalidField(field, problem string) error {
	return invalidFields(field+" "+problem, map[string]string{field: problem})
}

func joinNames(names []string) string { return strings.Join(names, ", ") }
