package workflows_test

import (
	"context"
	"fmt"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

// mockStock stands in for the stock's activities: s.lend and s.issue
// answer (a store with the unit and the parts when nil), and every call is
// recorded.
func (s *clockSuite) mockStock() {
	s.env.RegisterWorkflow(workflows.StockAlertWorkflow)
	s.env.OnActivity(mocked.LendUnit, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in store.Lending) (complaint.LentUnit, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.lent = append(s.lent, in)
			if s.lend != nil {
				return s.lend(in)
			}
			return complaint.LentUnit{Serial: "SN-B1", Model: in.Request.Model, Warehouse: "main"}, nil
		})
	s.env.OnActivity(mocked.IssueParts, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in store.PartsIssue) (store.PartsIssued, error) {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.issued = append(s.issued, in)
			if s.issue != nil {
				return s.issue(in)
			}
			return store.PartsIssued{}, nil
		})
	s.env.OnActivity(mocked.ReturnLoan, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in activities.ReturnLoanInput) error {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.returns = append(s.returns, in)
			return nil
		})
	s.env.OnActivity(mocked.ConvertLoan, mock.Anything, mock.Anything).Return(nil)
}

// refusedByStock is what the stock activities answer for a refusal.
func refusedByStock(ref store.StockRefusal) error {
	return temporal.NewNonRetryableApplicationError(ref.Error(), activities.StockRefusalType, nil, ref)
}

// loanNotices lists the loan clock's notices: when, what, to whom.
func (s *clockSuite) loanNotices() []string {
	var got []string
	for _, n := range s.notifications() {
		if n.Clock != complaint.ClockLoan {
			continue
		}
		r := n.Recipients[0]
		got = append(got, fmt.Sprintf("%s %s %s@%s L%d %s", s.sinceStart(n.At), n.Kind, r.Role, r.Department, n.Level,
			n.Facts["serial"]))
	}
	return got
}

// A pump lent on the 30th, due back on 5 December: after-sales hears at
// the end of that day that it is overdue, their supervisors a week later;
// the loan stays open, so the case does not close.
func (s *clockSuite) TestALoanRemindsWhenOverdueAndEscalatesAWeekLater() {
	s.toRemediation()
	lent := s.stepAt(30*time.Hour+30*time.Minute, interim())
	resolved := s.stepAt(31*time.Hour, resolve())
	closing := s.stepAt(32*time.Hour, closeCase(5))
	final := s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 15*24*time.Hour)

	cs := s.ok(lent)
	s.Require().Len(cs.Loans, 1)
	l := cs.Loans[0]
	s.Equal("case-sla-L1", l.ID)
	s.Equal("case-sla-L1", cs.Interim.Loan)
	s.Equal(complaint.LentUnit{Serial: "SN-B1", Model: "BK-PUMP", Warehouse: "main"}, l.LentUnit)
	s.Equal(complaint.LoanOnLoan, l.State)
	s.Contains(cs.AllowedSteps, workflows.UpdateLoanReturn.Name)
	s.Require().Len(s.lent, 1, "lent once")
	s.Equal("case-sla-L1", s.lent[0].LoanID)
	s.Equal(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC), s.lent[0].OverdueAt.UTC())

	s.ok(resolved)
	s.Contains(s.failed(closing).Error(), "still on loan")
	s.Equal([]string{
		"159h0m0s warning agent@after_sales L1 SN-B1",
		"327h0m0s escalation supervisor@after_sales L1 SN-B1",
	}, s.loanNotices())
	s.True(final.Loans[0].Reminded)
	s.True(final.Loans[0].Escalated)
}

// A unit back before it is due ends its clock: nobody is told, and the
// case closes.
func (s *clockSuite) TestAUnitReturnedInTimeEndsItsClock() {
	s.toRemediation()
	s.stepAt(30*time.Hour+30*time.Minute, interim())
	back := s.stepAt(40*time.Hour, req(workflows.UpdateLoanReturn.Name, agent, complaint.LoanReturnBody{Loan: "case-sla-L1",
		UnitReturn: complaint.UnitReturn{To: complaint.UnitToRepair, Note: "seal worn"}}))
	s.stepAt(41*time.Hour, resolve())
	closed := s.stepAt(42*time.Hour, closeCase(5))
	s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 15*24*time.Hour)

	cs := s.ok(back)
	s.Equal(complaint.LoanReturned, cs.Loans[0].State)
	s.Equal(complaint.UnitToRepair, cs.Loans[0].Return.To)
	s.Equal([]activities.ReturnLoanInput{{LoanID: "case-sla-L1", To: complaint.UnitToRepair, Note: "seal worn",
		Actor: agent, At: s.at(40 * time.Hour).UTC()}}, s.returnsUTC())
	s.Equal(complaint.StageClosed, s.ok(closed).Stage)
	s.Empty(s.loanNotices())
}

// A unit the stock cannot lend refuses the interim step and changes
// nothing: the case still owes its interim relief.
func (s *clockSuite) TestAUnitTheStockCannotLendRefusesTheInterim() {
	s.lend = func(store.Lending) (complaint.LentUnit, error) {
		return complaint.LentUnit{}, refusedByStock(store.StockRefusal{Conflict: true,
			Message: "no backup unit of model BK-PUMP is available in warehouse main"})
	}
	s.toRemediation()
	refused := s.stepAt(30*time.Hour+30*time.Minute, interim())
	after := s.caseAt(31 * time.Hour)
	s.run(s.clockInput(complaint.CategoryNonQuality, sla.Standard()), 32*time.Hour)

	err := s.failed(refused)
	var app *temporal.ApplicationError
	s.Require().ErrorAs(err, &app)
	s.Equal(workflows.ErrTypeInvalid, app.Type())
	s.Contains(app.Error(), "no backup unit of model BK-PUMP")
	s.Require().True(after.taken)
	s.Nil(after.Interim)
	s.Empty(after.Loans)
	s.Contains(after.AllowedSteps, workflows.UpdateInterim.Name)
}

// The parts used on a visit leave the stock at check-out, with the visit as
// reference; an item that falls below its reorder level tells the
// after-sales supervisors once; a shortage refuses the check-out.
func (s *clockSuite) TestCheckOutIssuesThePartsUsed() {
	in := s.clockInput(complaint.CategoryQuality, s.shanghaiOffice())
	parts := []complaint.PartUsed{{PartNumber: "P-778", Quantity: 2}}
	s.issue = func(in store.PartsIssue) (store.PartsIssued, error) {
		if len(s.issued) == 1 {
			return store.PartsIssued{}, refusedByStock(store.StockRefusal{Conflict: true,
				Message: "parts_used[0] (P-778): issue of 2: only 1 available"})
		}
		return store.PartsIssued{Alerts: []store.StockAlert{{AlertID: 7, PartNumber: "P-778", Warehouse: "main",
			Name: "seal", OnHand: 1, ReorderLevel: 2, At: in.At}}}, nil
	}
	s.stepAt(time.Minute, req(workflows.UpdateVisits.Name, agent, complaint.VisitPlanBody{
		Engineers: []string{engineer.UserID}, PlannedAt: s.at(time.Hour).Format(time.RFC3339)}))
	s.stepAt(time.Hour, req(workflows.UpdateCheckIn.Name, engineer, complaint.CheckInBody{Visit: "V1"}))
	short := s.stepAt(2*time.Hour, req(workflows.UpdateCheckOut.Name, engineer, complaint.CheckOutBody{Visit: "V1",
		WorkDone: "replaced the seal", PartsUsed: parts}))
	out := s.stepAt(3*time.Hour, req(workflows.UpdateCheckOut.Name, engineer, complaint.CheckOutBody{Visit: "V1",
		WorkDone: "replaced the seal", PartsUsed: parts}))
	s.run(in, 4*time.Hour)

	s.Contains(s.failed(short).Error(), "only 1 available")
	s.Equal(complaint.VisitOnSite, short.before.Visits[0].State)
	s.Equal(complaint.VisitCheckedOut, s.ok(out).Visits[0].State)
	s.Require().Len(s.issued, 2)
	s.Equal(store.PartsIssue{ComplaintID: "case-sla", Visit: "V1", Parts: parts, Actor: engineer,
		At: s.at(3 * time.Hour).UTC()}, s.issuedUTC()[1])
	var reorder []string
	for _, n := range s.notifications() {
		if n.Kind == complaint.NotificationReorder {
			reorder = append(reorder, fmt.Sprintf("%d %s %s@%s", n.Level, n.Facts["part"],
				n.Recipients[0].Role, n.Recipients[0].Department))
		}
	}
	s.Equal([]string{"7 P-778 seal supervisor@after_sales"}, reorder)
}

// failed is the error of a step the handler refused after accepting it.
func (s *clockSuite) failed(out *outcome) error {
	s.T().Helper()
	if out.rejected != nil {
		return out.rejected
	}
	s.Require().Error(out.failed, "step %s was not refused", out.step.name)
	return out.failed
}

func (s *clockSuite) returnsUTC() []activities.ReturnLoanInput {
	out := append([]activities.ReturnLoanInput(nil), s.returns...)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out
}

func (s *clockSuite) issuedUTC() []store.PartsIssue {
	out := append([]store.PartsIssue(nil), s.issued...)
	for i := range out {
		out[i].At = out[i].At.UTC()
	}
	return out
}

// A reopened case carries its open loan: the due-back clock runs again in
// the new run, from the reopen on, and tells after-sales at the instant the
// loan had.
func (s *clockSuite) TestAReopenedCaseKeepsItsLoansClock() {
	received := s.at(-30 * time.Hour)
	due := received.Add(24 * time.Hour)
	in := s.reopenInput(received, complaint.Clock{State: complaint.ClockBreached, DueAt: &due, BreachedAt: &due,
		WarningsSent: 2, EscalationLevel: 3})
	overdue := s.at(5 * time.Hour)
	in.Carried.Case.Loans = []complaint.Loan{{ID: "case-sla-L1", LentUnit: complaint.LentUnit{Serial: "SN-B1",
		Model: "BK-PUMP", Warehouse: "main"}, State: complaint.LoanOnLoan, DueBack: "2026-11-29", OverdueAt: overdue,
		LentBy: agent, LentAt: received}}
	reopened := s.reopenAt(time.Second, "reopen-1")
	s.run(in, 6*time.Hour)

	s.Equal(complaint.StageAnalyze, s.ok(reopened).Stage)
	s.Equal([]string{"5h0m0s warning agent@after_sales L1 SN-B1"}, s.loanNotices())
}
