package rules

import (
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// The paid-service steps [2.(4).d]: a case on out-of-warranty equipment
// agrees no solution until sales' quote is accepted or an approver waives
// the charge (see checkAgreement); a declined quote may close the case.
var (
	Quote         = Step[complaint.QuoteBody]{Name: complaint.StepQuote, Apply: applyQuote}
	QuoteDecision = Step[complaint.QuoteDecisionBody]{Name: complaint.StepQuoteDecision, Apply: applyQuoteDecision}
	Waiver        = Step[complaint.NoteBody]{Name: complaint.StepWaiver, Apply: applyWaiver}
	CloseDeclined = Step[complaint.NoteBody]{Name: complaint.StepCloseDeclined, Apply: applyCloseDeclined}
)

// paidServiceSteps are the paid-service steps a case takes now: until the
// matter is settled, sales may quote (again, after a decline or to revise
// an open quote) and an approver may waive; an open quote waits for the
// customer's decision; a declined one may close the case.
func paidServiceSteps(c complaint.Case) []string {
	if c.Stage == complaint.StageClosed || complaint.PaidServiceSettled(c.PaidService) {
		return nil
	}
	switch c.PaidService {
	case complaint.PaidServiceQuoted:
		return []string{complaint.StepQuote, complaint.StepQuoteDecision, complaint.StepWaiver}
	case complaint.PaidServiceDeclined:
		return []string{complaint.StepQuote, complaint.StepWaiver, complaint.StepCloseDeclined}
	}
	return []string{complaint.StepQuote, complaint.StepWaiver}
}

// PaidServiceRecipients are whom a case that needs paid service is told
// of: the sales desk, who quotes.
func PaidServiceRecipients() []Recipient {
	return []Recipient{
		{Role: complaint.RoleAgent, Department: complaint.DepartmentSales},
		{Role: complaint.RoleSupervisor, Department: complaint.DepartmentSales},
	}
}

func applyQuote(s *State, a complaint.Actor, b complaint.QuoteBody, now time.Time) string {
	s.Quotes = append(s.Quotes, complaint.Quote{QuoteBody: b, Actor: a, At: now})
	s.PaidService = complaint.PaidServiceQuoted
	return complaint.EventQuoted
}

// applyQuoteDecision answers the last quote, the only open one (the step is
// allowed only while a quote is open).
func applyQuoteDecision(s *State, a complaint.Actor, b complaint.QuoteDecisionBody, now time.Time) string {
	accepted := b.Accepted != nil && *b.Accepted
	s.Quotes[len(s.Quotes)-1].Decision = &complaint.QuoteDecision{Accepted: accepted, Note: b.Note, Actor: a, At: now}
	s.PaidService = complaint.PaidServiceDeclined
	if accepted {
		s.PaidService = complaint.PaidServiceAccepted
	}
	return complaint.EventQuoteDecided
}

func applyWaiver(s *State, a complaint.Actor, b complaint.NoteBody, now time.Time) string {
	s.Waiver = &complaint.Waiver{Note: b.Note, Actor: a, At: now}
	s.PaidService = complaint.PaidServiceWaived
	return complaint.EventPaidServiceWaived
}

// applyCloseDeclined closes the case with the explanation given to a
// customer who declined paid service.
func applyCloseDeclined(s *State, a complaint.Actor, b complaint.NoteBody, now time.Time) string {
	s.Closure = &complaint.Closure{Outcome: complaint.OutcomeQuoteDeclined, Note: b.Note, Actor: a, At: now}
	s.Stage = complaint.StageClosed
	s.stopAllClocks(now)
	return complaint.EventClosed
}

// checkOrderFacts: a quality complaint names its order and part by the time
// it is confirmed [3.(2).1], for cases registered since the archive (see
// State.OrderFactsAtConfirm).
func checkOrderFacts(s *State, corrected complaint.Register) error {
	if !s.OrderFactsAtConfirm || corrected.Category != complaint.CategoryQuality {
		return nil
	}
	problems := map[string]string{}
	if corrected.OrderNumber == "" {
		problems["order_number"] = "is required to confirm a quality complaint"
	}
	if corrected.PartNumber == "" {
		problems["part_number"] = "is required to confirm a quality complaint"
	}
	if len(problems) > 0 {
		return invalidFields("a quality complaint names its order and part by confirmation", problems)
	}
	return nil
}
