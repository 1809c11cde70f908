package workflows

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// The state changes of the steps, run under the lock once the checks pass.
// Each returns the kind of its timeline event.

func (w *complaintWorkflow) applyContact(s ContactRequest, now time.Time) string {
	w.state.Contacts = append(w.state.Contacts, complaint.Contact{Note: s.Body.Note, Actor: s.Actor, At: now})
	w.stopClock(w.clock(sla.Response), now) // the first contact is the response
	return complaint.EventContacted
}

func (w *complaintWorkflow) applyConfirm(s ConfirmRequest, now time.Time) string {
	w.state.Register = s.Body.Correct(w.state.Register)
	if s.Body.AssignedEngineer != nil {
		w.state.AssignedEngineer = *s.Body.AssignedEngineer
	}
	w.requireOnsite(w.state.OnsiteNeeded())
	w.state.Confirmation = &complaint.Confirmation{Note: s.Body.Note, Actor: s.Actor, At: now}
	w.state.Stage = complaint.StageAnalyze
	return complaint.EventConfirmed
}

func (w *complaintWorkflow) applyAnalysis(s AnalysisRequest, now time.Time) string {
	w.state.Analysis = &complaint.Analysis{AnalysisBody: s.Body, Actor: s.Actor, At: now}
	w.state.ResponsibleDepartment = s.Body.ResponsibleDepartment
	w.state.Stage = complaint.StageNegotiate
	return complaint.EventAnalyzed
}

func (w *complaintWorkflow) applyProposal(s ProposalRequest, now time.Time) string {
	w.state.Proposals = append(w.state.Proposals, complaint.Proposal{
		Department: s.Actor.Department, Measures: s.Body.Measures, Actor: s.Actor, At: now,
	})
	return complaint.EventMeasuresProposed
}

func (w *complaintWorkflow) applyAgreement(s AgreementRequest, now time.Time) string {
	a := &complaint.Agreement{AgreementBody: s.Body, Actor: s.Actor, At: now}
	switch {
	case s.Body.Type == complaint.AgreementExplanationAccepted:
		// The customer accepts that the company is not at fault: nothing to remedy.
		w.state.Closure = &complaint.Closure{Outcome: complaint.OutcomeExplanationAccepted,
			CustomerConfirmed: true, Note: s.Body.Description, Actor: s.Actor, At: now}
		w.state.Stage = complaint.StageClosed
		w.stopAllClocks(now)
	case w.state.Severity == complaint.SeveritySevere:
		w.openRound(a)
	default:
		w.state.Stage = complaint.StageRemediate
	}
	w.state.Agreement = a
	return complaint.EventAgreed
}

func (w *complaintWorkflow) applyProgress(s ProgressRequest, now time.Time) string {
	w.state.Progress = append(w.state.Progress, complaint.ProgressNote{Note: s.Body.Note, Actor: s.Actor, At: now})
	return complaint.EventProgressReported
}

func (w *complaintWorkflow) applyCorrectiveAction(s CorrectiveActionRequest, now time.Time) string {
	w.state.CorrectiveActions = append(w.state.CorrectiveActions,
		complaint.CorrectiveAction{CorrectiveActionBody: s.Body, Actor: s.Actor, At: now})
	return complaint.EventCorrectiveActionSet
}

func (w *complaintWorkflow) applyResolve(s ResolveRequest, now time.Time) string {
	w.state.Resolution = &complaint.Resolution{Note: s.Body.Note, Actor: s.Actor, At: now}
	w.stopClock(w.clock(sla.Resolution), now)
	return complaint.EventResolved
}

func (w *complaintWorkflow) applyClose(s CloseRequest, now time.Time) string {
	w.state.Closure = &complaint.Closure{Outcome: complaint.OutcomeResolved, CustomerConfirmed: s.Body.CustomerConfirmed,
		Satisfaction: s.Body.Satisfaction, Note: s.Body.Note, Actor: s.Actor, At: now}
	w.state.Stage = complaint.StageClosed
	w.stopAllClocks(now)
	return complaint.EventClosed
}

func (w *complaintWorkflow) applyWithdraw(s WithdrawRequest, now time.Time) string {
	if round := w.currentRound(); round != nil {
		round.Outcome, round.EndedAt = complaint.RoundWithdrawn, &now
	}
	w.state.Closure = &complaint.Closure{Outcome: complaint.OutcomeWithdrawn, Withdrawn: true,
		Note: s.Body.Note, Actor: s.Actor, At: now}
	w.state.Stage = complaint.StageClosed
	w.stopAllClocks(now)
	return complaint.EventWithdrawn
}
