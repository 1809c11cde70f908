// Package rma holds the rules of a return or exchange (RMA) [1.(1).F], free
// of Temporal and of the database: which steps an RMA takes in its stage,
// who may take them, what each step checks and changes, and when its goods
// are due in. workflows.RmaWorkflow is the durable shell that calls them
// under its lock; their refusals are complaint/rules refusals, so the
// workflow and the API map them as they map a complaint's (409 with the
// stage and the steps it takes, 403, 422 naming the field).
package rma

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// The desks that act on an RMA.
var (
	afterSalesDesk   = complaint.Grant{Departments: []string{complaint.DepartmentAfterSales}, Roles: []string{complaint.RoleAgent, complaint.RoleSupervisor}}
	branchOfficeDesk = complaint.Grant{Departments: []string{complaint.DepartmentBranchOffice}, Roles: []string{complaint.RoleAgent, complaint.RoleSupervisor}}
	approvers        = complaint.Grant{Departments: []string{complaint.DepartmentAfterSales, complaint.DepartmentSales}, Roles: []string{complaint.RoleApprover}}
	inspectors       = complaint.Grant{Departments: []string{complaint.DepartmentQuality}, Roles: []string{complaint.RoleAgent, complaint.RoleEngineer, complaint.RoleSupervisor}}
)

// grants is who may take each step of an RMA: the one table. auth.Policy
// takes the RMA routes' rules from it (Grants), and the workflow checks it
// again, department and role (MayTake).
var grants = complaint.GrantTable{
	// A branch office asks for the return of what its customer sent back,
	// or after-sales does on the customer's call.
	complaint.RMAStepRequest: {branchOfficeDesk, afterSalesDesk},
	// After-sales or sales approvers decide whether the goods may come back.
	complaint.RMAStepApprove: {approvers},
	complaint.RMAStepReject:  {approvers},
	// After-sales takes the goods in, and decides what becomes of them.
	complaint.RMAStepReceive:  {afterSalesDesk},
	complaint.RMAStepInspect:  {inspectors},
	complaint.RMAStepComplete: {afterSalesDesk},
}

// Grants is who may take step: the grants of the one table, nil for an
// unknown step.
func Grants(step string) []complaint.Grant {
	return grants.Grants(step)
}

// MayTake reports whether the actor may take step: its department and one
// of its roles must be granted together. (Unlike a complaint's, an RMA has
// no history from before actors carried their roles.)
func MayTake(step string, a complaint.Actor) bool {
	return grants.Allows(step, a)
}

// next is the stage each step leaves an RMA in, and the stage it takes it
// from.
var next = map[string]struct{ from, to string }{
	complaint.RMAStepApprove:  {complaint.RMARequested, complaint.RMAApproved},
	complaint.RMAStepReject:   {complaint.RMARequested, complaint.RMARejected},
	complaint.RMAStepReceive:  {complaint.RMAApproved, complaint.RMAReceived},
	complaint.RMAStepInspect:  {complaint.RMAReceived, complaint.RMAInspected},
	complaint.RMAStepComplete: {complaint.RMAInspected, complaint.RMACompleted},
}

// AllowedSteps lists the steps an RMA in its stage takes, in the order of
// the process; none once it is rejected or completed.
func AllowedSteps(r complaint.RMA) []string {
	out := []string{}
	for _, step := range complaint.RMASteps() {
		if next[step].from == r.Stage {
			out = append(out, step)
		}
	}
	return out
}

// Step is one step's rules: Check refuses what the RMA does not allow
// beyond the checks every step shares (nil: nothing more); Apply changes the
// RMA and names the timeline event. The workflow runs both under its lock;
// Check only reads.
type Step[B any] struct {
	Name  string
	Check func(r *complaint.RMA, a complaint.Actor, b B) error
	Apply func(r *complaint.RMA, a complaint.Actor, b B, now time.Time) string
}

// Admit is every check of the step on r: the stage, the actor's rights, the
// body's fields, then the step's own.
func (st Step[B]) Admit(r *complaint.RMA, a complaint.Actor, b B) error {
	allowed := AllowedSteps(*r)
	if !slices.Contains(allowed, st.Name) {
		return &rules.Refusal{Kind: rules.WrongStage,
			Message:  fmt.Sprintf("an RMA in stage %s does not take %s", r.Stage, st.Name),
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(r.Stage), AllowedSteps: allowed}}
	}
	if err := mayTake(st.Name, a); err != nil {
		return err
	}
	if err := bodyProblems(b); err != nil {
		return err
	}
	if st.Check == nil {
		return nil
	}
	return st.Check(r, a, b)
}

// Take applies the step, which Admit allowed: the step's own changes, then
// the RMA's new stage, its allowed steps and time. It names the event.
func (st Step[B]) Take(r *complaint.RMA, a complaint.Actor, b B, now time.Time) string {
	kind := st.Apply(r, a, b, now)
	r.Stage = next[st.Name].to
	r.AllowedSteps = AllowedSteps(*r)
	r.UpdatedAt = now
	return kind
}

func mayTake(step string, a complaint.Actor) error {
	if MayTake(step, a) {
		return nil
	}
	return &rules.Refusal{Kind: rules.Forbidden,
		Message: fmt.Sprintf("%s of an RMA is not open to department %q with roles %v", step, a.Department, a.Roles)}
}

// bodyProblems refuses a body that breaks its field rules, or the checks
// between its fields, with the words the API uses.
func bodyProblems(b any) error {
	problems := complaint.BodyProblems(b)
	if len(problems) == 0 {
		if p, ok := b.(interface{ Problems() map[string]string }); ok {
			problems = p.Problems()
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return invalidFields("the body has invalid fields", problems)
}

func invalidFields(msg string, fields map[string]string) error {
	return &rules.Refusal{Kind: rules.Invalid, Message: msg, Fields: fields}
}
