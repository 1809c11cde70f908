package complaint

import (
	"slices"
)

// Departments of the company [DOMAIN.md, who works with the system]. Actor.Department
// holds one of them.
const (
	DepartmentAfterSales   = "after_sales"
	DepartmentSales        = "sales"
	DepartmentTechnical    = "technical"
	DepartmentProduction   = "production"
	DepartmentQuality      = "quality"
	DepartmentBranchOffice = "branch_office"
)

// Departments lists every department, in the order the API documents them.
func Departments() []string {
	return []string{DepartmentAfterSales, DepartmentSales, DepartmentTechnical,
		DepartmentProduction, DepartmentQuality, DepartmentBranchOffice}
}

// Roles an actor may hold besides its department.
const (
	// RoleAgent works cases for the department.
	RoleAgent = "agent"
	// RoleApprover decides approvals for the actor's department.
	RoleApprover = "approver"
	// RoleEngineer is a field engineer, who reports progress from site.
	RoleEngineer = "engineer"
	// RoleSupervisor sees and steers every case and receives escalations.
	RoleSupervisor = "supervisor"
	// RoleAdmin manages users and answers for the Temporal cluster.
	RoleAdmin = "admin"
)

// Roles lists every role, in the order the API documents them.
func Roles() []string {
	return []string{RoleAgent, RoleApprover, RoleEngineer, RoleSupervisor, RoleAdmin}
}

// HasRole reports whether the actor holds role.
func (a Actor) HasRole(role string) bool { return slices.Contains(a.Roles, role) }

// Liability says who is at fault, as the analysis finds it.
type Liability string

const (
	LiabilityCompany      Liability = "company"
	LiabilityCustomer     Liability = "customer"
	LiabilityThirdParty   Liability = "third_party"
	LiabilityUndetermined Liability = "undetermined"
)

// Liabilities lists every liability.
func Liabilities() []string {
	return names(LiabilityCompany, LiabilityCustomer, LiabilityThirdParty, LiabilityUndetermined)
}

// AgreementType is the kind of solution agreed with the customer.
type AgreementType string

const (
	AgreementRepair              AgreementType = "repair"
	AgreementReplace             AgreementType = "replace"
	AgreementRefund              AgreementType = "refund"
	AgreementCredit              AgreementType = "credit"
	AgreementExplanationAccepted AgreementType = "explanation_accepted"
	AgreementOther               AgreementType = "other"
)

// AgreementTypes lists every agreement type.
func AgreementTypes() []string {
	return names(AgreementRepair, AgreementReplace, AgreementRefund, AgreementCredit,
		AgreementExplanationAccepted, AgreementOther)
}

// Decision is an approver's answer to an agreement.
type Decision string

const (
	DecisionApprove Decision = "approve"
	DecisionReject  Decision = "reject"
)

// Decisions lists every decision.
func Decisions() []string { return names(DecisionApprove, DecisionReject) }

// names spells an enum's values as the strings filters, checks and the API
// document compare against.
func names[T ~string](values ...T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
