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

// Departments lists every department.
var Departments = []Department{AfterSales, Sales, Technical, Production, Quality, BranchOffice}

// Role is what a user does in the system.
type Role string

const (
	Agent      Role = "agent"                // works cases
	Approver   Role = complaint.RoleApprover // signs off for their department
	Engineer   Role = complaint.RoleEngineer // field service
	Supervisor Role = "supervisor"           // sees and steers every case, receives escalations
	Admin      Role = "admin"                // manages users
)

// Roles lists every role.
var Roles = []Role{Agent, Approver, Engineer, Supervisor, Admin}

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
