// Package capa holds the rules of a corrective and preventive action
// (CAPA) [3.(2).4, 3.(3)], free of Temporal and of the database: which
// steps an action takes in its stage, who may take them, what each step
// checks and changes, and its clocks (the reminder before the due date,
// the overdue escalation, the effectiveness check). workflows.CapaWorkflow
// is the durable shell that calls them under its lock; their refusals are
// complaint/rules refusals, so the API maps them as a complaint's (409 with
// the stage and the steps it takes, 403, 422 naming the field).
package capa

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

var (
	// Quality owns corrective actions so that a complaint does not come
	// back [3.(2).4]: its people open them on their own.
	qualityDesk = complaint.Grant{Departments: []string{complaint.DepartmentQuality},
		Roles: []string{complaint.RoleAgent, complaint.RoleEngineer, complaint.RoleSupervisor, complaint.RoleApprover}}
	// Any department may own an action; MayTake narrows done to the owner.
	ownerDesk = complaint.Grant{Roles: []string{complaint.RoleAgent, complaint.RoleEngineer, complaint.RoleSupervisor}}
	// After-sales or quality check that it worked [3.(3).①(4)].
	verifiers = complaint.Grant{Departments: []string{complaint.DepartmentAfterSales, complaint.DepartmentQuality},
		Roles: []string{complaint.RoleAgent, complaint.RoleSupervisor}}
)

// grants is who may take each step: the one table. auth.Policy takes the
// CAPA routes' rules from it (Grants); the workflow checks it again, with
// the owner department for done (MayTake).
var grants = complaint.GrantTable{
	complaint.CapaStepOpen:   {qualityDesk},
	complaint.CapaStepDone:   {ownerDesk},
	complaint.CapaStepVerify: {verifiers},
}

// Grants is who may take step: the grants of the one table, nil for an
// unknown step.
func Grants(step string) []complaint.Grant {
	return grants.Grants(step)
}

// MayTake reports whether the actor may take step on c: its department and
// one of its roles granted together, and for done the owner department.
func MayTake(step string, c complaint.Capa, a complaint.Actor) bool {
	if step == complaint.CapaStepDone && a.Department != c.OwnerDepartment {
		return false
	}
	return granted(step, a)
}

func granted(step string, a complaint.Actor) bool {
	return grants.Allows(step, a)
}

// from is the stage each step takes an action from.
var from = map[string]string{
	complaint.CapaStepDone:   complaint.CapaOpen,
	complaint.CapaStepVerify: complaint.CapaVerifying,
}

// AllowedSteps lists the steps an action in its stage takes: done while it
// is open, verify once its effectiveness check has come.
func AllowedSteps(c complaint.Capa) []string {
	out := []string{}
	for _, step := range complaint.CapaSteps() {
		if from[step] == c.Stage {
			out = append(out, step)
		}
	}
	return out
}

// Step is one step's rules: Check refuses what the action does not allow
// beyond the checks every step shares (nil: nothing more); Apply changes
// the action and names the timeline event.
type Step[B any] struct {
	Name  string
	Check func(c *complaint.Capa, b B, now time.Time, loc *time.Location) error
	Apply func(c *complaint.Capa, a complaint.Actor, b B, now time.Time, loc *time.Location) string
}

// Admit is every check of the step on c: the stage, the actor's rights,
// the body's fields, then the step's own.
func (st Step[B]) Admit(c *complaint.Capa, a complaint.Actor, b B, now time.Time, loc *time.Location) error {
	allowed := AllowedSteps(*c)
	if !slices.Contains(allowed, st.Name) {
		return &rules.Refusal{Kind: rules.WrongStage,
			Message:  fmt.Sprintf("a corrective action in stage %s does not take %s", c.Stage, st.Name),
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(c.Stage), AllowedSteps: allowed}}
	}
	if !MayTake(st.Name, *c, a) {
		msg := fmt.Sprintf("%s of a corrective action is not open to department %q with roles %v", st.Name,
			a.Department, a.Roles)
		if st.Name == complaint.CapaStepDone {
			msg = fmt.Sprintf("only department %s, which owns the action, reports it done", c.OwnerDepartment)
		}
		return &rules.Refusal{Kind: rules.Forbidden, Message: msg}
	}
	if err := bodyProblems(b); err != nil {
		return err
	}
	if st.Check == nil {
		return nil
	}
	return st.Check(c, b, now, loc)
}

// Take applies the step, which Admit allowed, and names the event.
func (st Step[B]) Take(c *complaint.Capa, a complaint.Actor, b B, now time.Time, loc *time.Location) string {
	kind := st.Apply(c, a, b, now, loc)
	c.AllowedSteps = AllowedSteps(*c)
	c.UpdatedAt = now
	return kind
}

func bodyProblems(b any) error {
	problems := complaint.BodyProblems(b)
	if len(problems) == 0 {
		return nil
	}
	return invalidFields("the body has invalid fields", problems)
}

func invalidFields(msg string, fields map[string]string) error {
	return &rules.Refusal{Kind: rules.Invalid, Message: msg, Fields: fields}
}
