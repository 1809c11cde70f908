package workflows_test

import (
	"context"
	"sync"

	"github.com/stretchr/testify/mock"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/workflows"
)

// recordNotices mocks the outbox and delivery, and returns the paid-service
// notices recorded.
func (s *complaintSuite) recordNotices() func() []activities.NotifyInput {
	var mu sync.Mutex
	var notices []activities.NotifyInput
	s.env.OnActivity(mocked.RecordNotifications, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.NotifyInput) (bool, error) {
			mu.Lock()
			defer mu.Unlock()
			notices = append(notices, in)
			return true, nil
		})
	s.env.OnActivity(mocked.DeliverNotifications, mock.Anything, mock.Anything).Return(nil)
	return func() []activities.NotifyInput {
		mu.Lock()
		defer mu.Unlock()
		var paid []activities.NotifyInput
		for _, n := range notices {
			if n.Kind == complaint.NotificationPaidService {
				paid = append(paid, n)
			}
		}
		return paid
	}
}

func onWarranty(status string) workflows.ComplaintInput {
	in := minorQuality()
	in.Customer = &complaint.CaseCustomer{Name: "Acme", Region: "East China", KeyCustomer: true}
	in.Warranty = &complaint.Warranty{Status: status, EndsOn: "2025-06-30"}
	return in
}

func quote() step {
	return req(workflows.UpdateQuote.Name, salesperson, complaint.QuoteBody{Amount: 1200, Currency: complaint.CurrencyCNY})
}

func quoteDecision(accepted bool) step {
	return req(workflows.UpdateQuoteDecision.Name, agent, complaint.QuoteDecisionBody{Accepted: &accepted})
}

func (s *complaintSuite) TestAnOutOfWarrantyCaseTellsSalesAndRemediatesOnceTheQuoteIsAccepted() {
	s.mockStore()
	notices := s.recordNotices()
	outs := s.play(onWarranty(complaint.WarrantyOut),
		confirm(), analysis(technician, complaint.LiabilityCompany),
		agree(complaint.AgreementRepair), quote(), quoteDecision(true), agree(complaint.AgreementRepair))

	s.Equal(complaint.PaidServiceRequired, outs[0].before.PaidService)
	s.Contains(s.refused(outs[2], workflows.ErrTypeInvalid).Error(), "paid service is required")
	s.Equal(complaint.PaidServiceQuoted, s.ok(outs[3]).PaidService)
	decided := s.ok(outs[4])
	s.Equal(complaint.PaidServiceAccepted, decided.PaidService)
	s.True(decided.Quotes[0].Decision.Accepted)
	s.Equal(complaint.StageRemediate, s.ok(outs[5]).Stage)
	s.Contains(s.kinds(), complaint.EventQuoted)
	s.Contains(s.kinds(), complaint.EventQuoteDecided)

	s.Require().Len(notices(), 1, "sales is told once")
	n := notices()[0]
	s.Equal(complaint.NotificationPaidService, n.Kind)
	s.Equal("CMP-2026-000042", n.CaseNumber)
	s.Equal([]rules.Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentSales},
		{Role: complaint.RoleSupervisor, Department: complaint.DepartmentSales}}, n.Recipients)
}

func (s *complaintSuite) TestADeclinedQuoteClosesTheCaseWithTheExplanation() {
	s.mockStore()
	s.recordNotices()
	outs := s.play(onWarranty(complaint.WarrantyOut),
		quote(), quoteDecision(false),
		req(workflows.UpdateCloseDeclined.Name, agent, complaint.NoteBody{Note: "warranty ended June 2025"}))
	closed := s.ok(outs[2])
	s.Equal(complaint.StageClosed, closed.Stage)
	s.Equal(complaint.OutcomeQuoteDeclined, closed.Closure.Outcome)
}

func (s *complaintSuite) TestACaseInWarrantyNeedsNoQuote() {
	s.mockStore()
	notices := s.recordNotices()
	outs := s.play(onWarranty(complaint.WarrantyIn), quote())
	s.refused(outs[0], workflows.ErrTypeWrongStage)
	s.Empty(notices(), "sales is not told")
}
