package complaint

import "slices"

// Steps a case takes, by the names of the API's paths
// (POST /api/v1/complaints/{id}/<step>) and of the workflow's updates.
const (
	StepContact           = "contact"
	StepConfirm           = "confirm"
	StepAnalysis          = "analysis"
	StepProposals         = "proposals"
	StepAgreement         = "agreement"
	StepApprovals         = "approvals"
	StepProgress          = "progress"
	StepCorrectiveActions = "corrective-actions"
	StepResolve           = "resolve"
	StepClose             = "close"
	StepWithdraw          = "withdraw"
	// The service-level steps.
	StepOnsite  = "onsite"
	StepPause   = "pause"
	StepResume  = "resume"
	StepInterim = "interim"
	// The paid-service steps (paid_service.go).
	StepQuote         = "quote"
	StepQuoteDecision = "quote-decision"
	StepWaiver        = "waiver"
	StepCloseDeclined = "close-declined"
	// The field-service steps (visits.go).
	StepEngineers     = "engineers"
	StepVisits        = "visits"
	StepCheckIn       = "check-in"
	StepCheckOut      = "check-out"
	StepServiceRecord = "service-record"
	StepRecordWaiver  = "record-waiver"
)

// Steps lists every step: the lifecycle's in its order, then the service
// levels'.
func Steps() []string {
	return []string{StepContact, StepConfirm, StepAnalysis, StepProposals, StepAgreement, StepApprovals,
		StepProgress, StepCorrectiveActions, StepResolve, StepClose, StepWithdraw,
		StepOnsite, StepPause, StepResume, StepInterim,
		StepQuote, StepQuoteDecision, StepWaiver, StepCloseDeclined,
		StepEngineers, StepVisits, StepCheckIn, StepCheckOut, StepServiceRecord, StepRecordWaiver,
		StepLoanReturn, StepLoanConvert}
}

// Grant allows the listed roles in the listed departments; no departments
// means any department.
type Grant struct {
	Departments []string
	Roles       []string
}

var (
	afterSalesDesk = Grant{Departments: []string{DepartmentAfterSales}, Roles: []string{RoleAgent, RoleSupervisor}}
	salesDesk      = Grant{Departments: []string{DepartmentSales}, Roles: []string{RoleAgent, RoleSupervisor}}
	fieldEngineers = Grant{Roles: []string{RoleEngineer}}
	caseHands      = []string{RoleAgent, RoleEngineer, RoleSupervisor}
)

// stepGrants is who may take each step: the one table. The API's route
// table (auth.Policy) takes its step rules from it, and the workflow checks
// it again (see MayTake).
var stepGrants = map[string][]Grant{
	StepContact: {afterSalesDesk},
	// Sales supplies and corrects the order facts at confirm [3.(2).1].
	StepConfirm: {afterSalesDesk, salesDesk},
	// Technical, production and quality investigate, and after-sales
	// analyses a non-quality case; a quality case is the technical
	// department's [3.(2).2] (checked per case).
	StepAnalysis: {{Departments: []string{DepartmentTechnical, DepartmentProduction, DepartmentQuality, DepartmentAfterSales}, Roles: caseHands}},
	// Sales joins negotiation [3.(2).3]: it may propose (a credit, paid
	// service) and agree with the customer alongside after-sales.
	StepProposals:         {{Departments: []string{DepartmentProduction, DepartmentTechnical, DepartmentQuality, DepartmentSales}, Roles: caseHands}},
	StepAgreement:         {{Departments: []string{DepartmentAfterSales, DepartmentSales}, Roles: []string{RoleAgent, RoleSupervisor}}},
	StepApprovals:         {{Roles: []string{RoleApprover}}},
	StepProgress:          {afterSalesDesk, fieldEngineers},
	StepCorrectiveActions: {{Departments: []string{DepartmentQuality, DepartmentTechnical, DepartmentProduction}, Roles: caseHands}},
	StepResolve:           {afterSalesDesk},
	StepClose:             {afterSalesDesk},
	StepWithdraw:          {afterSalesDesk},
	StepOnsite:            {afterSalesDesk, fieldEngineers},
	StepPause:             {afterSalesDesk},
	StepResume:            {afterSalesDesk},
	StepInterim:           {afterSalesDesk, fieldEngineers},
	// Sales agrees paid service [2.(4).d]; the customer's answer comes
	// through either desk; an approver may waive the charge.
	StepQuote:         {salesDesk},
	StepQuoteDecision: {afterSalesDesk, salesDesk},
	StepWaiver:        {{Roles: []string{RoleApprover}}},
	StepCloseDeclined: {afterSalesDesk, salesDesk},
	// Field service: after-sales dispatches and plans, an engineer may plan
	// a visit too; only the visit's engineers check in and out and file its
	// record (checked per visit); a supervisor waives a missing record.
	StepEngineers:     {afterSalesDesk},
	StepVisits:        {afterSalesDesk, fieldEngineers},
	StepCheckIn:       {fieldEngineers},
	StepCheckOut:      {fieldEngineers},
	StepServiceRecord: {fieldEngineers},
	StepRecordWaiver:  {{Roles: []string{RoleSupervisor}}},
	// Loans [4.(6)]: whoever lends a unit takes it back; only an approver
	// lets the customer keep it.
	StepLoanReturn:  {afterSalesDesk, fieldEngineers},
	StepLoanConvert: {{Roles: []string{RoleApprover}}},
}

// StepGrants is who may take step: the grants of the one table, nil for an
// unknown step.
func StepGrants(step string) []Grant {
	grants := stepGrants[step]
	out := make([]Grant, len(grants))
	for i, g := range grants {
		out[i] = Grant{Departments: slices.Clone(g.Departments), Roles: slices.Clone(g.Roles)}
	}
	return out
}

// MayTake is the workflow's check of the table, which the API checked in
// full: the department of a grant that names departments, the role of one
// that names none. Roles within a department are the API's alone, because
// actors recorded before roles travelled with every step name none, and
// their cases must replay.
func MayTake(step string, a Actor) bool {
	return slices.ContainsFunc(stepGrants[step], func(g Grant) bool {
		if len(g.Departments) > 0 {
			return slices.Contains(g.Departments, a.Department)
		}
		return slices.ContainsFunc(g.Roles, a.HasRole)
	})
}
