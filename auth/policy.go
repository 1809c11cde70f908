package auth

import (
	"fmt"
	"slices"
	"strings"
)

// Action is something a caller asks the API to do.
type Action string

const (
	RegisterComplaint Action = "complaint.register"
	ReadComplaints    Action = "complaint.read"
	StepContact       Action = "complaint.contact"
	StepConfirm       Action = "complaint.confirm"
	StepAnalysis      Action = "complaint.analysis"
	StepProposal      Action = "complaint.proposals"
	StepAgreement     Action = "complaint.agreement"
	StepApproval      Action = "complaint.approvals"
	StepProgress      Action = "complaint.progress"
	StepCorrective    Action = "complaint.corrective-actions"
	StepResolve       Action = "complaint.resolve"
	StepClose         Action = "complaint.close"
	StepWithdraw      Action = "complaint.withdraw"
	StepOnsite        Action = "complaint.onsite"
	StepPause         Action = "complaint.pause"
	StepResume        Action = "complaint.resume"
	StepInterim       Action = "complaint.interim"
	ReopenComplaint   Action = "complaint.reopen"
	ReadNotifications Action = "notification.read"
	ReadPolicies      Action = "sla_policy.read"
	ManagePolicies    Action = "sla_policy.manage"
	ReadCustomers     Action = "customer.read"
	ManageCustomers   Action = "customer.manage"
	ManageUsers       Action = "user.manage"

	// ReadAllNotifications reads everyone's notifications, not only one's own.
	ReadAllNotifications Action = "notification.read_all"
)

// Grant allows the listed roles in the listed departments; no departments
// means any department.
type Grant struct {
	Departments []Department
	Roles       []Role
}

// caseWorkers are the roles that work on cases (not admin, who manages users only).
var caseWorkers = []Role{Agent, Approver, Engineer, Supervisor}

// Policy is the one table of who may do what. The API checks it on every
// route; the workflow's validators check what depends on the case (for
// example that an approval comes from a department the agreement requires).
var Policy = map[Action][]Grant{
	RegisterComplaint: {{Departments: []Department{AfterSales, BranchOffice}, Roles: []Role{Agent, Supervisor}}},
	ReadComplaints:    {{Roles: caseWorkers}},
	StepContact:       {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepConfirm:       {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepAnalysis:      {{Departments: []Department{Technical, Production, Quality, AfterSales}, Roles: []Role{Agent, Engineer, Supervisor}}},
	StepProposal:      {{Departments: []Department{Production, Technical, Quality, Sales}, Roles: []Role{Agent, Engineer, Supervisor}}},
	StepAgreement:     {{Departments: []Department{AfterSales, Sales}, Roles: []Role{Agent, Supervisor}}},
	StepApproval:      {{Roles: []Role{Approver}}},
	StepProgress:      {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}, {Roles: []Role{Engineer}}},
	StepCorrective:    {{Departments: []Department{Quality, Technical, Production}, Roles: []Role{Agent, Engineer, Supervisor}}},
	StepResolve:       {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepClose:         {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepWithdraw:      {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepOnsite:        {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}, {Roles: []Role{Engineer}}},
	StepPause:         {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepResume:        {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}},
	StepInterim:       {{Departments: []Department{AfterSales}, Roles: []Role{Agent, Supervisor}}, {Roles: []Role{Engineer}}},
	// A case whose workflow was ended outside the API is reopened by an
	// admin, who also answers for the Temporal cluster.
	ReopenComplaint:   {{Roles: []Role{Admin}}},
	ReadNotifications: {{Roles: caseWorkers}, {Roles: []Role{Admin}}},
	ReadPolicies:      {{Roles: caseWorkers}, {Roles: []Role{Admin}}},
	// Service levels are the after-sales department's promise; its
	// supervisors and the admins set them.
	ManagePolicies:  {{Departments: []Department{AfterSales}, Roles: []Role{Supervisor}}, {Roles: []Role{Admin}}},
	ReadCustomers:   {{Roles: caseWorkers}},
	ManageCustomers: {{Departments: []Department{AfterSales, Sales}, Roles: []Role{Agent, Supervisor}}, {Roles: []Role{Admin}}},
	ManageUsers:     {{Roles: []Role{Admin}}},

	// Supervisors answer for escalations and admins for delivery, so they
	// see whose notifications failed.
	ReadAllNotifications: {{Roles: []Role{Supervisor, Admin}}},
}

// ForbiddenError says what the caller would need.
type ForbiddenError struct {
	Action Action
	Need   string
}

func (e *ForbiddenError) Error() string {
	return fmt.Sprintf("%s needs %s", e.Action, e.Need)
}

// Authorize checks p against the policy for action.
func Authorize(p Principal, action Action) error {
	grants, ok := Policy[action]
	if !ok {
		// An action missing from the table is a programming error; refuse it.
		return &ForbiddenError{Action: action, Need: "a rule in the policy table"}
	}
	for _, g := range grants {
		if g.allows(p) {
			return nil
		}
	}
	return &ForbiddenError{Action: action, Need: describe(grants)}
}

func (g Grant) allows(p Principal) bool {
	if len(g.Departments) > 0 && !slices.Contains(g.Departments, p.Department) {
		return false
	}
	return slices.ContainsFunc(g.Roles, p.Has)
}

// describe renders grants as "role agent or supervisor in department after_sales; or role engineer".
func describe(grants []Grant) string {
	parts := make([]string, len(grants))
	for i, g := range grants {
		roles := make([]string, len(g.Roles))
		for j, r := range g.Roles {
			roles[j] = string(r)
		}
		s := "role " + strings.Join(roles, " or ")
		if len(g.Departments) > 0 {
			deps := make([]string, len(g.Departments))
			for j, d := range g.Departments {
				deps[j] = string(d)
			}
			s += " in department " + strings.Join(deps, " or ")
		}
		parts[i] = s
	}
	return strings.Join(parts, "; or ")
}
