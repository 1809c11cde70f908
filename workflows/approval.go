package workflows

import (
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
)

// Approval [3.(2).3]: a severe case's agreement goes to each department it
// names. Each department's approver decides once per round; all approving
// sends the case to remediation, one rejection back to negotiation, where a
// new agreement opens the next round.

// openRound puts the agreement to its approving departments.
func (w *complaintWorkflow) openRound(a *complaint.Agreement) {
	a.Round = len(w.state.ApprovalRounds) + 1
	w.state.ApprovalRounds = append(w.state.ApprovalRounds, complaint.ApprovalRound{
		Number:    a.Round,
		Agreement: *a,
		Decisions: []complaint.ApprovalDecision{},
		Outcome:   complaint.RoundPending,
	})
	w.state.Stage = complaint.StageApprove
}

// currentRound is the round awaiting decisions, nil when none is.
func (w *complaintWorkflow) currentRound() *complaint.ApprovalRound {
	n := len(w.state.ApprovalRounds)
	if n == 0 || w.state.ApprovalRounds[n-1].Outcome != complaint.RoundPending {
		return nil
	}
	return &w.state.ApprovalRounds[n-1]
}

func (w *complaintWorkflow) checkApproval(_ workflow.Context, s ApprovalRequest) error {
	round := w.currentRound()
	if round == nil {
		return invalid("no approval round is open")
	}
	dept := s.Actor.Department
	if !slices.Contains(round.Agreement.ApprovingDepartments, dept) {
		return forbidden(fmt.Sprintf("round %d is for %s to approve, not %s",
			round.Number, joinNames(round.Agreement.ApprovingDepartments), dept))
	}
	if decided(round, dept) {
		return invalid(fmt.Sprintf("%s has already decided in round %d", dept, round.Number))
	}
	return nil
}

func (w *complaintWorkflow) applyApproval(s ApprovalRequest, now time.Time) string {
	round := w.currentRound()
	round.Decisions = append(round.Decisions, complaint.ApprovalDecision{
		Department: s.Actor.Department, Decision: s.Body.Decision, Comment: s.Body.Comment, Actor: s.Actor, At: now,
	})
	if s.Body.Decision == complaint.DecisionReject {
		round.Outcome, round.Reason, round.EndedAt = complaint.RoundRejected, s.Body.Comment, &now
		w.state.Stage = complaint.StageNegotiate
		return complaint.EventRejected
	}
	// Every decision so far is an approval: a rejection ends the round.
	if !slices.ContainsFunc(round.Agreement.ApprovingDepartments, func(d string) bool { return !decided(round, d) }) {
		round.Outcome, round.EndedAt = complaint.RoundApproved, &now
		w.state.Stage = complaint.StageRemediate
	}
	return complaint.EventApproved
}

func decided(round *complaint.ApprovalRound, dept string) bool {
	return slices.ContainsFunc(round.Decisions, func(d complaint.ApprovalDecision) bool { return d.Department == dept })
}
