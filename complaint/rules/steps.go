package rules

import (
	"fmt"
	"slices"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// The steps of the lifecycle and of the service levels: their own checks
// and their state changes.
var (
	Contact          = Step[complaint.ContactBody]{Name: complaint.StepContact, Apply: applyContact}
	Confirm          = Step[complaint.ConfirmBody]{Name: complaint.StepConfirm, Check: checkConfirm, Apply: applyConfirm}
	Analysis         = Step[complaint.AnalysisBody]{Name: complaint.StepAnalysis, Check: checkAnalysis, Apply: applyAnalysis}
	Proposal         = Step[complaint.ProposalBody]{Name: complaint.StepProposals, Apply: applyProposal}
	Agreement        = Step[complaint.AgreementBody]{Name: complaint.StepAgreement, Check: checkAgreement, Apply: applyAgreement}
	Approval         = Step[complaint.ApprovalBody]{Name: complaint.StepApprovals, Check: checkApproval, Apply: applyApproval}
	Progress         = Step[complaint.NoteBody]{Name: complaint.StepProgress, Apply: applyProgress}
	CorrectiveAction = Step[complaint.CorrectiveActionBody]{Name: complaint.StepCorrectiveActions,
		Check: checkCorrectiveAction, Apply: applyCorrectiveAction}
	Resolve  = Step[complaint.NoteBody]{Name: complaint.StepResolve, Apply: applyResolve}
	Close    = Step[complaint.CloseBody]{Name: complaint.StepClose, Check: checkClose, Apply: applyClose}
	Withdraw = Step[complaint.NoteBody]{Name: complaint.StepWithdraw, Check: checkWithdraw, Apply: applyWithdraw}

	Onsite  = Step[complaint.OptionalNoteBody]{Name: complaint.StepOnsite, Apply: applyOnsite}
	Pause   = Step[complaint.PauseBody]{Name: complaint.StepPause, Apply: applyPause}
	Resume  = Step[complaint.OptionalNoteBody]{Name: complaint.StepResume, Apply: applyResume}
	Interim = Step[complaint.InterimBody]{Name: complaint.StepInterim, Check: checkInterim, Apply: applyInterim}
)

func applyContact(s *State, a complaint.Actor, b complaint.ContactBody, now time.Time) string {
	s.Contacts = append(s.Contacts, complaint.Contact{Note: b.Note, Actor: a, At: now})
	s.stopClock(sla.Response, now) // the first contact is the response
	return complaint.EventContacted
}

func applyConfirm(s *State, a complaint.Actor, b complaint.ConfirmBody, now time.Time) string {
	s.Register = b.Correct(s.Register)
	if b.AssignedEngineer != nil {
		s.AssignedEngineer = *b.AssignedEngineer
		if e := *b.AssignedEngineer; e != "" && len(s.AssignedEngineers) > 0 && !slices.Contains(s.AssignedEngineers, e) {
			s.AssignedEngineers = append(s.AssignedEngineers, e)
		}
	}
	s.requireOnsite(s.OnsiteNeeded())
	s.Confirmation = &complaint.Confirmation{Note: b.Note, Actor: a, At: now}
	s.Stage = complaint.StageAnalyze
	return complaint.EventConfirmed
}

func applyAnalysis(s *State, a complaint.Actor, b complaint.AnalysisBody, now time.Time) string {
	s.Analysis = &complaint.Analysis{AnalysisBody: b, Actor: a, At: now}
	s.ResponsibleDepartment = b.ResponsibleDepartment
	s.Stage = complaint.StageNegotiate
	return complaint.EventAnalyzed
}

func applyProposal(s *State, a complaint.Actor, b complaint.ProposalBody, now time.Time) string {
	s.Proposals = append(s.Proposals, complaint.Proposal{Department: a.Department, Measures: b.Measures, Actor: a, At: now})
	return complaint.EventMeasuresProposed
}

func applyAgreement(s *State, a complaint.Actor, b complaint.AgreementBody, now time.Time) string {
	agreement := &complaint.Agreement{AgreementBody: b, Actor: a, At: now}
	switch {
	case b.Type == complaint.AgreementExplanationAccepted:
		// The customer accepts that the company is not at fault: nothing to remedy.
		s.Closure = &complaint.Closure{Outcome: complaint.OutcomeExplanationAccepted,
			CustomerConfirmed: true, Note: b.Description, Actor: a, At: now}
		s.Stage = complaint.StageClosed
		s.stopAllClocks(now)
	case s.Severity == complaint.SeveritySevere:
		s.openRound(agreement)
	default:
		s.Stage = complaint.StageRemediate
	}
	s.Agreement = agreement
	return complaint.EventAgreed
}

func applyProgress(s *State, a complaint.Actor, b complaint.NoteBody, now time.Time) string {
	s.Progress = append(s.Progress, complaint.ProgressNote{Note: b.Note, Actor: a, At: now})
	return complaint.EventProgressReported
}

func applyCorrectiveAction(s *State, a complaint.Actor, b complaint.CorrectiveActionBody, now time.Time) string {
	ca := complaint.CorrectiveAction{CorrectiveActionBody: b, Actor: a, At: now}
	if s.CapaProcess {
		ca.CapaID = fmt.Sprintf("%s-A%d", s.ID, len(s.CorrectiveActions)+1)
	}
	s.CorrectiveActions = append(s.CorrectiveActions, ca)
	return complaint.EventCorrectiveActionSet
}

func applyResolve(s *State, a complaint.Actor, b complaint.NoteBody, now time.Time) string {
	s.Resolution = &complaint.Resolution{Note: b.Note, Actor: a, At: now}
	s.stopClock(sla.Resolution, now)
	return complaint.EventResolved
}

func applyClose(s *State, a complaint.Actor, b complaint.CloseBody, now time.Time) string {
	s.Closure = &complaint.Closure{Outcome: complaint.OutcomeResolved, CustomerConfirmed: b.CustomerConfirmed,
		Satisfaction: b.Satisfaction, Note: b.Note, Actor: a, At: now}
	s.Stage = complaint.StageClosed
	s.stopAllClocks(now)
	return complaint.EventClosed
}

func applyWithdraw(s *State, a complaint.Actor, b complaint.NoteBody, now time.Time) string {
	if round := s.CurrentRound(); round != nil {
		round.Outcome, round.EndedAt = complaint.RoundWithdrawn, &now
	}
	s.Closure = &complaint.Closure{Outcome: complaint.OutcomeWithdrawn, Withdrawn: true, Note: b.Note, Actor: a, At: now}
	s.Stage = complaint.StageClosed
	s.stopAllClocks(now)
	return complaint.EventWithdrawn
}

func applyOnsite(s *State, _ complaint.Actor, _ complaint.OptionalNoteBody, now time.Time) string {
	s.stopClock(sla.Onsite, now)
	return complaint.EventOnsite
}

func applyPause(s *State, a complaint.Actor, b complaint.PauseBody, now time.Time) string {
	s.Run(sla.Resolution).Pause(s.Policy, now)
	s.Paused = &complaint.Pause{Reason: b.Reason, By: a, Since: now}
	return complaint.EventPaused
}

func applyResume(s *State, _ complaint.Actor, _ complaint.OptionalNoteBody, now time.Time) string {
	s.Run(sla.Resolution).Resume(s.Policy, now)
	s.Paused = nil
	return complaint.EventResumed
}

func applyInterim(s *State, a complaint.Actor, b complaint.InterimBody, now time.Time) string {
	s.Interim = &complaint.Interim{Kind: b.Kind, Description: b.Description, By: a, At: now}
	s.Run(sla.Resolution).Changes++ // ends its escalation
	return complaint.EventInterim
}
