package rules

import (
	"fmt"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// Backup equipment on loan [4.(6)]: a late case lends the customer a
// backup unit at its interim step; the unit comes back to stock or into
// repair, or an approver lets the customer keep it (a sale or a permanent
// replacement). A case does not close while a loan is open. The stock
// itself (which unit, the ledger) is the store's: the workflow lends
// through it first and records here what it lent.
var (
	LoanReturn  = Step[complaint.LoanReturnBody]{Name: complaint.StepLoanReturn, Check: checkLoanReturn, Apply: applyLoanReturn}
	LoanConvert = Step[complaint.LoanConvertBody]{Name: complaint.StepLoanConvert, Check: checkLoanConvert, Apply: applyLoanConvert}
)

// loanSteps are the loan steps an open case takes: while a loan is open.
func loanSteps(c complaint.Case) []string {
	if c.Stage == complaint.StageClosed || OpenLoan(c) == nil {
		return nil
	}
	return []string{complaint.StepLoanReturn, complaint.StepLoanConvert}
}

// OpenLoan is the case's first loan still on loan, nil when none is.
func OpenLoan(c complaint.Case) *complaint.Loan {
	for i := range c.Loans {
		if c.Loans[i].State == complaint.LoanOnLoan {
			return &c.Loans[i]
		}
	}
	return nil
}

// NextLoanID is the id the case's next loan takes.
func NextLoanID(c complaint.Case) string {
	return fmt.Sprintf("%s-L%d", c.ID, len(c.Loans)+1)
}

// LoanOverdueAt is when a loan due back on date dueBack falls overdue: at
// the end of that day in the policy's zone.
func LoanOverdueAt(p sla.Policy, dueBack string) (time.Time, error) {
	day, err := time.ParseInLocation(time.DateOnly, dueBack, p.Calendar.Location())
	if err != nil {
		return time.Time{}, err
	}
	return day.AddDate(0, 0, 1).UTC(), nil
}

// LoanEscalateAt is when an overdue loan is escalated.
func LoanEscalateAt(l complaint.Loan) time.Time {
	return l.OverdueAt.Add(complaint.LoanEscalationDelay)
}

// checkInterim: a case that lends (Lending) names the backup unit of
// backup equipment, due back no earlier than today.
func checkInterim(s *State, _ complaint.Actor, b complaint.InterimBody, now time.Time) error {
	if !s.Lending && b.Backup != nil {
		// Its workflow predates loans: it would record the interim and
		// lend nothing.
		return invalidField("backup", "is not taken by a case registered before loans: describe the equipment instead")
	}
	if !s.Lending || b.Kind != complaint.InterimBackupEquipment {
		return nil
	}
	if b.Backup == nil {
		return invalidField("backup", "is required when kind is backup_equipment")
	}
	at, err := LoanOverdueAt(s.Policy, b.Backup.DueBack)
	if err != nil {
		return invalidField("backup.due_back", "must be a date YYYY-MM-DD")
	}
	if !at.After(now) {
		return invalidField("backup.due_back", "must not be in the past")
	}
	return nil
}

// RecordLoan records the unit the stock lent for the case's interim step
// (just applied): the loan, due back as the step asked.
func RecordLoan(s *State, id string, unit complaint.LentUnit, b complaint.BackupRequest, a complaint.Actor, now time.Time) {
	overdue, _ := LoanOverdueAt(s.Policy, b.DueBack) // checkInterim parsed it
	s.Loans = append(s.Loans, complaint.Loan{ID: id, LentUnit: unit, State: complaint.LoanOnLoan,
		DueBack: b.DueBack, OverdueAt: overdue, LentBy: a, LentAt: now})
	if s.Interim != nil {
		s.Interim.Loan = id
	}
}

// openLoan is the loan of that id, refused unless it is on loan.
func openLoan(s *State, id string) (*complaint.Loan, error) {
	for i := range s.Loans {
		if s.Loans[i].ID != id {
			continue
		}
		if s.Loans[i].State != complaint.LoanOnLoan {
			return nil, notReady(fmt.Sprintf("loan %s is %s", id, s.Loans[i].State))
		}
		return &s.Loans[i], nil
	}
	return nil, invalidField("loan", "is not a loan of this case")
}

func checkLoanReturn(s *State, _ complaint.Actor, b complaint.LoanReturnBody, _ time.Time) error {
	_, err := openLoan(s, b.Loan)
	return err
}

func applyLoanReturn(s *State, a complaint.Actor, b complaint.LoanReturnBody, now time.Time) string {
	l, _ := openLoan(s, b.Loan)
	l.State, l.Return = complaint.LoanReturned, &complaint.LoanReturn{To: b.To, Note: b.Note, By: a, At: now}
	return complaint.EventUnitReturned
}

func checkLoanConvert(s *State, _ complaint.Actor, b complaint.LoanConvertBody, _ time.Time) error {
	_, err := openLoan(s, b.Loan)
	return err
}

func applyLoanConvert(s *State, a complaint.Actor, b complaint.LoanConvertBody, now time.Time) string {
	l, _ := openLoan(s, b.Loan)
	l.State, l.ConvertTo = complaint.LoanConverted, b.Conversion
	l.Conversion = &complaint.Waiver{Note: b.Note, Actor: a, At: now}
	return complaint.EventLoanConverted
}

// checkLoansSettled: a case does not close (nor is withdrawn) while a unit
// is on loan, unless an approver converted the loan.
func checkLoansSettled(s *State) error {
	if l := OpenLoan(s.Case); l != nil {
		return notReady(fmt.Sprintf("backup unit %s is still on loan (%s): return it, or an approver converts the loan", l.Serial, l.ID))
	}
	return nil
}

// LoanNotice is whom a loan's clock tells: after-sales when it falls
// overdue, their supervisors a week later.
func LoanNotice(kind string) []Recipient {
	if kind == complaint.NotificationWarning {
		return []Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales}}
	}
	return []Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}}
}

// PassLoanClock marks what a loan's clock sent at its instant (a reminder
// when the loan falls overdue, then the escalation) and names the event;
// ok is false when the loan no longer waits on it.
func PassLoanClock(s *State, id string) (kind, event string, ok bool) {
	for i := range s.Loans {
		l := &s.Loans[i]
		if l.ID != id || l.State != complaint.LoanOnLoan || l.Escalated {
			continue
		}
		if !l.Reminded {
			l.Reminded = true
			return complaint.NotificationWarning, complaint.EventLoanOverdue, true
		}
		l.Escalated = true
		return complaint.NotificationEscalation, complaint.EventLoanEscalated, true
	}
	return "", "", false
}

// LoanClockNext is the next instant of a loan's clock, ok false when it has
// none left.
func LoanClockNext(l complaint.Loan) (time.Time, bool) {
	switch {
	case l.State != complaint.LoanOnLoan || l.Escalated:
		return time.Time{}, false
	case !l.Reminded:
		return l.OverdueAt, true
	}
	return LoanEscalateAt(l), true
}
