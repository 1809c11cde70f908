package rules_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// outOfWarranty is a minor case on out-of-warranty equipment, analysed and
// in negotiation, registered under the archive's rules.
func outOfWarranty(t *testing.T) *rules.State {
	s := newCase(complaint.CategoryOther, complaint.SeverityMinor)
	s.OrderFactsAtConfirm = true
	s.Warranty = &complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2025-06-30"}
	s.PaidService = complaint.PaidServiceFor(s.Warranty)
	take(t, s, rules.Confirm, agent, complaint.ConfirmBody{})
	take(t, s, rules.Analysis, agent, complaint.AnalysisBody{RootCause: "worn seal",
		ResponsibleDepartment: complaint.DepartmentAfterSales, Liability: complaint.LiabilityCompany})
	return s
}

var repair = complaint.AgreementBody{Type: complaint.AgreementRepair, Description: "replace the seal"}

func TestOutOfWarrantyEquipmentNeedsPaidServiceBeforeRemediation(t *testing.T) {
	s := outOfWarranty(t)
	require.Equal(t, complaint.PaidServiceRequired, s.PaidService)
	require.Subset(t, s.AllowedSteps, []string{"quote", "waiver"})

	r := refusal(t, rules.Agreement.Admit(s, agent, repair, now))
	require.Equal(t, rules.Invalid, r.Kind)
	require.Contains(t, r.Message, "paid service is required")

	take(t, s, rules.Quote, salesman, complaint.QuoteBody{Amount: 1200, Currency: complaint.CurrencyCNY})
	require.Equal(t, complaint.PaidServiceQuoted, s.PaidService)
	require.Subset(t, s.AllowedSteps, []string{"quote", "quote-decision", "waiver"})
	refusal(t, rules.Agreement.Admit(s, agent, repair, now))

	take(t, s, rules.QuoteDecision, agent, complaint.QuoteDecisionBody{Accepted: new(true)})
	require.Equal(t, complaint.PaidServiceAccepted, s.PaidService)
	require.True(t, s.Quotes[0].Decision.Accepted)
	require.NotContains(t, s.AllowedSteps, "quote")
	take(t, s, rules.Agreement, agent, repair)
	require.Equal(t, complaint.StageRemediate, s.Stage)
}

func TestADeclinedQuoteClosesTheCaseOrIsWaived(t *testing.T) {
	declined := func(t *testing.T) *rules.State {
		s := outOfWarranty(t)
		take(t, s, rules.Quote, salesman, complaint.QuoteBody{Amount: 800, Currency: complaint.CurrencyCNY})
		take(t, s, rules.QuoteDecision, salesman, complaint.QuoteDecisionBody{Accepted: new(false), Note: "too dear"})
		require.Equal(t, complaint.PaidServiceDeclined, s.PaidService)
		require.Subset(t, s.AllowedSteps, []string{"quote", "waiver", "close-declined"})
		return s
	}
	t.Run("closed with the explanation", func(t *testing.T) {
		s := declined(t)
		take(t, s, rules.CloseDeclined, agent, complaint.NoteBody{Note: "the warranty ended in June 2025"})
		require.Equal(t, complaint.StageClosed, s.Stage)
		require.Equal(t, complaint.OutcomeQuoteDeclined, s.Closure.Outcome)
		require.Empty(t, s.AllowedSteps)
	})
	t.Run("waived by an approver, then free of charge", func(t *testing.T) {
		s := declined(t)
		take(t, s, rules.Waiver, approver(complaint.DepartmentSales), complaint.NoteBody{Note: "key customer"})
		require.Equal(t, complaint.PaidServiceWaived, s.PaidService)
		require.NotContains(t, s.AllowedSteps, "close-declined")
		take(t, s, rules.Agreement, agent, repair)
		require.Equal(t, complaint.StageRemediate, s.Stage)
	})
}

func TestWhoTakesThePaidServiceSteps(t *testing.T) {
	s := outOfWarranty(t)
	for _, tc := range []struct {
		policy string
		step   func() error
		kind   rules.RefusalKind
	}{
		{"after-sales does not quote", func() error {
			return rules.Quote.Admit(s, agent, complaint.QuoteBody{Amount: 1, Currency: complaint.CurrencyCNY}, now)
		}, rules.Forbidden},
		{"an agent does not waive", func() error {
			return rules.Waiver.Admit(s, salesman, complaint.NoteBody{Note: "x"}, now)
		}, rules.Forbidden},
		{"no decision without a quote", func() error {
			return rules.QuoteDecision.Admit(s, agent, complaint.QuoteDecisionBody{Accepted: new(true)}, now)
		}, rules.WrongStage},
		{"a quote names its amount and currency", func() error {
			return rules.Quote.Admit(s, salesman, complaint.QuoteBody{}, now)
		}, rules.Invalid},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			require.Equal(t, tc.kind, refusal(t, tc.step()).Kind)
		})
	}
}

func TestACaseInWarrantyTakesNoPaidServiceSteps(t *testing.T) {
	s := newCase(complaint.CategoryOther, complaint.SeverityMinor)
	s.Warranty = &complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: "2027-06-30"}
	s.PaidService = complaint.PaidServiceFor(s.Warranty)
	require.Empty(t, s.PaidService)
	s.AllowedSteps = rules.AllowedSteps(s.Case)
	require.NotContains(t, s.AllowedSteps, "quote")
}

func TestAQualityComplaintIsConfirmedWithItsOrderAndPart(t *testing.T) {
	for _, tc := range []struct {
		policy  string
		archive bool
		body    complaint.ConfirmBody
		missing []string
	}{
		{"without order and part, refused naming both", true, complaint.ConfirmBody{}, []string{"order_number", "part_number"}},
		{"the part supplied at confirm is enough with the order", true,
			complaint.ConfirmBody{OrderNumber: new("SO-1"), PartNumber: new("P-1")}, nil},
		{"clearing the part is refused", true, complaint.ConfirmBody{OrderNumber: new("SO-1"), PartNumber: new("")},
			[]string{"part_number"}},
		{"a case from before the archive confirms without them", false, complaint.ConfirmBody{}, nil},
	} {
		t.Run(tc.policy, func(t *testing.T) {
			s := newCase(complaint.CategoryQuality, complaint.SeverityMinor)
			s.OrderFactsAtConfirm = tc.archive
			err := rules.Confirm.Admit(s, salesman, tc.body, now)
			if tc.missing == nil {
				require.NoError(t, err)
				return
			}
			r := refusal(t, err)
			require.Equal(t, rules.Invalid, r.Kind)
			require.Len(t, r.Fields, len(tc.missing))
			for _, f := range tc.missing {
				require.Contains(t, r.Fields, f)
			}
		})
	}
}
