package rules

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Step is one step's rules: Check refuses what the case does not allow
// beyond the checks every step shares (nil: nothing more); Apply changes
// the state and names the timeline event. The workflow runs both under its
// lock; Check only reads.
type Step[B any] struct {
	Name  string
	Check func(s *State, a complaint.Actor, b B, now time.Time) error
	Apply func(s *State, a complaint.Actor, b B, now time.Time) string
}

// Admit is every check of the step on s: the stage, the actor's rights,
// the body's fields, then the step's own.
func (st Step[B]) Admit(s *State, a complaint.Actor, b B, now time.Time) error {
	if err := Admit(s.Case, st.Name, a, b); err != nil {
		return err
	}
	if st.Check == nil {
		return nil
	}
	return st.Check(s, a, b, now)
}

// Admit runs the checks every step shares: stage, rights, body fields.
func Admit(c complaint.Case, step string, a complaint.Actor, body any) error {
	allowed := AllowedSteps(c)
	if !slices.Contains(allowed, step) {
		msg := fmt.Sprintf("a case in stage %s does not take %s", c.Stage, step)
		if step == complaint.StepClose && c.Stage == complaint.StageRemediate {
			msg = "close needs the remediation resolved first"
		}
		return &Refusal{Kind: WrongStage, Message: msg,
			Conflict: &complaint.StageConflict{Stage: c.Stage, AllowedSteps: allowed}}
	}
	if !complaint.MayTake(step, a) {
		return forbidden(fmt.Sprintf("%s is not open to department %q with roles %v", step, a.Department, a.Roles))
	}
	if problems := complaint.BodyProblems(body); len(problems) > 0 {
		return invalidFields("the body has invalid fields", problems)
	}
	return nil
}
