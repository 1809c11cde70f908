package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Approval [3.(2).3]: a severe case's agreement goes to each department it
// names. Each department's approver decides once per round; all approving
// sends the case to remediation, one rejection back to negotiation, where a
// new agreement opens the next round.

// openRound puts the agreement to its approving departments.
func (s *State) openRound(a *complaint.Agreement) {
	a.Round = len(s.ApprovalRounds) + 1
	s.ApprovalRounds = append(s.ApprovalRounds, complaint.ApprovalRound{
		Number:    a.Round,
		Agreement: *a,
		Decisions: []complaint.ApprovalDecision{},
		Outcome:   complaint.RoundPending,
	})
	s.Stage = complaint.StageApprove
}

// CurrentRound is the round awaiting decisions, nil when none is.
func (s *State) CurrentRound() *complaint.ApprovalRound {
	n := len(s.ApprovalRounds)
	if n == 0 || s.ApprovalRounds[n-1].Outcome != complaint.RoundPending {
		return nil
	}
	return &s.ApprovalRounds[n-1]
}

func checkApproval(s *State, a complaint.Actor, _ complaint.ApprovalBody, _ time.Time) error {
	round := s.CurrentRound()
	if round == nil {
		return notReady("no approval round is open")
	}
	dept := a.Department
	if !slices.Contains(round.Agreement.ApprovingDepartments, dept) {
		return forbidden(fmt.Sprintf("round %d is for %s to approve, not %s",
			round.Number, strings.Join(round.Agreement.ApprovingDepartments, ", "), dept))
	}
	if decided(round, dept) {
		return notReady(fmt.Sprintf("%s has already decided in round %d", dept, round.Number))
	}
	return nil
}

func applyApproval(s *State, a complaint.Actor, b complaint.ApprovalBody, now time.Time) string {
	round := s.CurrentRound()
	round.Decisions = append(round.Decisions, complaint.ApprovalDecision{
		Department: a.Department, Decision: b.Decision, Comment: b.Comment, Actor: a, At: now,
	})
	if b.Decision == complaint.DecisionReject {
		round.Outcome, round.Reason, round.EndedAt = complaint.RoundRejected, b.Comment, &now
		s.Stage = complaint.StageNegotiate
		return complaint.EventRejected
	}
	// Every decision so far is an approval: a rejection ends the round.
	if !slices.ContainsFunc(round.Agreement.ApprovingDepartments, func(d string) bool { return !decided(round, d) }) {
		round.Outcome, round.EndedAt = complaint.RoundApproved, &now
		s.Stage = complaint.StageRemediate
	}
	return complaint.EventApproved
}

func decided(round *complaint.ApprovalRound, dept string) bool {
	return slices.ContainsFunc(round.Decisions, func(d complaint.ApprovalDecision) bool { return d.Department == dept })
}
