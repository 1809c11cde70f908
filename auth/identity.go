// Package auth knows who is calling and what they may do: departments, roles,
// API tokens, JWTs from an identity provider, and the table of which role of
// which department may take which action.
package auth

import (
	"slices"

	"github.com/caseflow/caseflow/complaint"
)

// Department is the organisational unit a user belongs to.
type Department string

// The departments are the case vocabulary's, so the route table and the
// workflow's checks name the same ones.
const (
	AfterSales   Department = complaint.DepartmentAfterSales
	Sales        Department = complaint.DepartmentSales
	Technical    Department = complaint.DepartmentTechnical
	Production   Department = complaint.DepartmentProduction
	Quality      Department = complaint.DepartmentQuality
	BranchOffice Department = complaint.DepartmentBranchOffice
)

// Departments lists every department, as the case vocabulary does.
var Departments = named[Department](complaint.Departments())

// Role is what a user does in the system.
type Role string

// The roles are the case vocabulary's (see complaint.Roles for what each does).
const (
	Agent      Role = complaint.RoleAgent
	Approver   Role = complaint.RoleApprover
	Engineer   Role = complaint.RoleEngineer
	Supervisor Role = complaint.RoleSupervisor
	Admin      Role = complaint.RoleAdmin
)

// Roles lists every role, as the case vocabulary does.
var Roles = named[Role](complaint.Roles())

// named types the vocabulary's names.
func named[T ~string](names []string) []T {
	out := make([]T, len(names))
	for i, n := range names {
		out[i] = T(n)
	}
	return out
}

// ValidDepartment reports whether d names a department.
func ValidDepartment(d string) bool { return slices.Contains(Departments, Department(d)) }

// ValidRole reports whether r names a role.
func ValidRole(r string) bool { return slices.Contains(Roles, Role(r)) }

// Principal is an authenticated caller.
type Principal struct {
	UserID     string
	Name       string
	Department Department
	Roles      []Role
}

// Has reports whether the principal holds role.
func (p Principal) Has(role Role) bool { return slices.Contains(p.Roles, role) }

// Actor is the principal as recorded in the timeline and workflow history.
func (p Principal) Actor() complaint.Actor {
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	return complaint.Actor{UserID: p.UserID, Name: p.Name, Department: string(p.Department), Roles: roles}
}
