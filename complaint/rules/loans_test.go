package rules_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// late is a case past its resolution deadline, which owes interim relief
// and lends backup units.
func late(t *testing.T) *rules.State {
	s := newCase(complaint.CategoryQuality, complaint.SeverityMinor)
	s.Lending, s.InterimRequired = true, true
	s.AllowedSteps = rules.AllowedSteps(s.Case)
	require.Contains(t, s.AllowedSteps, complaint.StepInterim)
	return s
}

var backup = complaint.InterimBody{Kind: complaint.InterimBackupEquipment, Description: "a spare pump",
	Backup: &complaint.BackupRequest{Model: "BK-PUMP", DueBack: "2026-12-10"}}

// lent is a late case that lent unit SN-B1 for two weeks.
func lent(t *testing.T) *rules.State {
	s := late(t)
	take(t, s, rules.Interim, agent, backup)
	rules.RecordLoan(s, rules.NextLoanID(s.Case), complaint.LentUnit{Serial: "SN-B1", Model: "BK-PUMP", Warehouse: "main"},
		*backup.Backup, agent, now)
	s.AllowedSteps = rules.AllowedSteps(s.Case)
	return s
}

func TestALoanIsDueBackAtTheEndOfItsDayInThePolicysZone(t *testing.T) {
	s := lent(t)
	l := s.Loans[0]
	require.Equal(t, "c1-L1", l.ID)
	require.Equal(t, "c1-L1", s.Interim.Loan, "the interim names its loan")
	require.Equal(t, time.Date(2026, 12, 11, 0, 0, 0, 0, time.UTC), l.OverdueAt)
	require.Equal(t, time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC), rules.LoanEscalateAt(l), "escalated a week later")

	s.Policy.Calendar.TimeZone = "Asia/Shanghai"
	at, err := rules.LoanOverdueAt(s.Policy, "2026-12-10")
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 12, 10, 16, 0, 0, 0, time.UTC), at, "midnight in Shanghai")
}

func TestBackupEquipmentNamesItsUnit(t *testing.T) {
	for _, tc := range []struct {
		policy string
		body   complaint.InterimBody
		field  string
	}{
		{"backup equipment without a unit", complaint.InterimBody{Kind: complaint.InterimBackupEquipment, Description: "x"}, "backup"},
		{"due back yesterday", complaint.InterimBody{Kind: complaint.InterimBackupEquipment, Description: "x",
			Backup: &complaint.BackupRequest{Serial: "SN-B1", DueBack: "2026-11-29"}}, "backup.due_back"},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			r := refusal(t, rules.Interim.Admit(late(t), agent, tc.body, now))
			require.Equal(t, rules.Invalid, r.Kind)
			require.Contains(t, r.Fields, tc.field)
		})
	}
	t.Run("a workaround needs no unit", func(t *testing.T) {
		require.NoError(t, rules.Interim.Admit(late(t), agent,
			complaint.InterimBody{Kind: complaint.InterimWorkaround, Description: "manual dosing"}, now))
	})
	t.Run("a case from before loans records backup equipment as text", func(t *testing.T) {
		s := late(t)
		s.Lending = false
		require.NoError(t, rules.Interim.Admit(s, agent, complaint.InterimBody{Kind: complaint.InterimBackupEquipment, Description: "x"}, now))
		r := refusal(t, rules.Interim.Admit(s, agent, backup, now))
		require.Contains(t, r.Fields, "backup", "it lends nothing, so it takes no unit")
	})
}

func TestACaseDoesNotCloseWhileAUnitIsOnLoan(t *testing.T) {
	s := lent(t)
	require.Contains(t, s.AllowedSteps, complaint.StepLoanReturn)
	require.Contains(t, s.AllowedSteps, complaint.StepLoanConvert)
	s.Stage = complaint.StageRemediate
	s.Resolution = &complaint.Resolution{}
	s.AllowedSteps = rules.AllowedSteps(s.Case)

	r := refusal(t, rules.Close.Admit(s, agent, complaint.CloseBody{CustomerConfirmed: true}, now))
	require.Equal(t, rules.Invalid, r.Kind)
	require.Empty(t, r.Fields, "a missing prerequisite: 409")
	require.Contains(t, r.Message, "SN-B1")
	refusal(t, rules.Withdraw.Admit(s, agent, complaint.NoteBody{Note: "gone"}, now))

	take(t, s, rules.LoanReturn, fieldEngineer, complaint.LoanReturnBody{Loan: "c1-L1", UnitReturn: complaint.UnitReturn{To: complaint.UnitToRepair}})
	require.Equal(t, complaint.LoanReturned, s.Loans[0].State)
	require.Equal(t, complaint.UnitToRepair, s.Loans[0].Return.To)
	require.NotContains(t, s.AllowedSteps, complaint.StepLoanReturn)
	require.NoError(t, rules.Close.Admit(s, agent, complaint.CloseBody{CustomerConfirmed: true}, now))
}

func TestOnlyAnApproverLetsTheCustomerKeepAUnit(t *testing.T) {
	s := lent(t)
	convert := complaint.LoanConvertBody{Loan: "c1-L1", Conversion: complaint.ConversionSale, Note: "customer buys it"}
	require.Equal(t, rules.Forbidden, refusal(t, rules.LoanConvert.Admit(s, agent, convert, now)).Kind)
	take(t, s, rules.LoanConvert, approver(complaint.DepartmentAfterSales), convert)
	require.Equal(t, complaint.LoanConverted, s.Loans[0].State)
	require.Nil(t, rules.OpenLoan(s.Case))

	for _, tc := range []struct {
		policy string
		err    error
		kind   rules.RefusalKind
	}{
		{"a converted loan does not come back", rules.LoanReturn.Admit(s, agent,
			complaint.LoanReturnBody{Loan: "c1-L1", UnitReturn: complaint.UnitReturn{To: complaint.UnitBackToStock}}, now), rules.WrongStage},
	} {
		t.Run(tc.policy, func(t *testing.T) { require.Equal(t, tc.kind, refusal(t, tc.err).Kind) })
	}
}

func TestALoanStepNamesALoanOfTheCase(t *testing.T) {
	s := lent(t)
	r := refusal(t, rules.LoanReturn.Admit(s, agent, complaint.LoanReturnBody{Loan: "c9-L1", UnitReturn: complaint.UnitReturn{To: complaint.UnitBackToStock}}, now))
	require.Equal(t, map[string]string{"loan": "is not a loan of this case"}, r.Fields)
	s.Loans = append(s.Loans, complaint.Loan{ID: "c1-L2", State: complaint.LoanReturned})
	r = refusal(t, rules.LoanReturn.Admit(s, agent, complaint.LoanReturnBody{Loan: "c1-L2", UnitReturn: complaint.UnitReturn{To: complaint.UnitBackToStock}}, now))
	require.Empty(t, r.Fields, "returned already: 409")
}

func TestTheLoanClockRemindsWhenOverdueThenEscalates(t *testing.T) {
	s := lent(t)
	at, ok := rules.LoanClockNext(s.Loans[0])
	require.True(t, ok)
	require.Equal(t, s.Loans[0].OverdueAt, at)

	kind, event, ok := rules.PassLoanClock(s, "c1-L1")
	require.True(t, ok)
	require.Equal(t, []string{complaint.NotificationWarning, complaint.EventLoanOverdue}, []string{kind, event})
	require.Equal(t, []rules.Recipient{{Role: complaint.RoleAgent, Department: complaint.DepartmentAfterSales}}, rules.LoanNotice(kind))
	at, _ = rules.LoanClockNext(s.Loans[0])
	require.Equal(t, rules.LoanEscalateAt(s.Loans[0]), at)

	kind, event, ok = rules.PassLoanClock(s, "c1-L1")
	require.True(t, ok)
	require.Equal(t, []string{complaint.NotificationEscalation, complaint.EventLoanEscalated}, []string{kind, event})
	require.Equal(t, complaint.RoleSupervisor, rules.LoanNotice(kind)[0].Role)
	_, ok = rules.LoanClockNext(s.Loans[0])
	require.False(t, ok, "nothing after the escalation")
	_, _, ok = rules.PassLoanClock(s, "c1-L1")
	require.False(t, ok)
}
