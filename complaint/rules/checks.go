package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// The case-specific checks of the steps that have any. They only read the
// state.

// checkConfirm refuses corrections that break the register's own rules.
func checkConfirm(s *State, _ complaint.Actor, b complaint.ConfirmBody, now time.Time) error {
	corrected := b.Correct(s.Register)
	if problems := corrected.Validate(now); len(problems) > 0 {
		return invalidFields("the corrected register is invalid", problems)
	}
	return checkOrderFacts(s, corrected)
}

// checkAnalysis gives quality complaints to the technical department and
// makes a finding that the company is not at fault carry its explanation and
// evidence [3.(2).2]: enforced here, not at close, so the customer's
// explanation exists before anyone negotiates on it.
func checkAnalysis(s *State, a complaint.Actor, b complaint.AnalysisBody, _ time.Time) error {
	if s.Category == complaint.CategoryQuality && a.Department != complaint.DepartmentTechnical {
		return forbidden("the technical department analyses quality complaints")
	}
	if b.Liability == complaint.LiabilityCompany {
		return nil
	}
	problems := map[string]string{}
	if strings.TrimSpace(b.Explanation) == "" {
		problems["explanation"] = "is required when the company is not at fault"
	}
	if !slices.ContainsFunc(b.Evidence, func(e string) bool { return strings.TrimSpace(e) != "" }) {
		problems["evidence"] = "needs at least one item when the company is not at fault"
	}
	if len(problems) > 0 {
		return invalidFields("a finding that the company is not at fault needs an explanation with evidence", problems)
	}
	return nil
}

// checkAgreement: an accepted explanation closes a case the company is not
// at fault for; a severe case goes to its approving departments, and a severe
// quality case first needs measures from production and technical
// [3.(2).3]; a minor case goes straight to remediation.
func checkAgreement(s *State, _ complaint.Actor, b complaint.AgreementBody, _ time.Time) error {
	if b.Type == complaint.AgreementExplanationAccepted {
		if a := s.Analysis; a == nil || a.Liability == complaint.LiabilityCompany {
			return invalidField("type", "explanation_accepted needs an analysis that finds the company not at fault")
		}
		if len(b.ApprovingDepartments) > 0 {
			return invalidField("approving_departments", "must be empty: an accepted explanation closes the case")
		}
		return nil
	}
	if !complaint.PaidServiceSettled(s.PaidService) {
		return notReady("paid service is " + s.PaidService + ": sales' quote must be accepted, or an approver waive the charge, first")
	}
	if s.Severity != complaint.SeveritySevere {
		if len(b.ApprovingDepartments) > 0 {
			return invalidField("approving_departments", "must be empty: a minor case needs no approval")
		}
		return nil
	}
	if s.Category == complaint.CategoryQuality {
		if missing := missingProposals(s.Case); len(missing) > 0 {
			return notReady(fmt.Sprintf("a severe quality case needs proposals from %s first", strings.Join(missing, ", ")))
		}
	}
	if len(b.ApprovingDepartments) == 0 {
		return invalidField("approving_departments", "needs at least one department: a severe case goes to approval")
	}
	return nil
}

// missingProposals lists which of production and technical have proposed no
// measures yet.
func missingProposals(c complaint.Case) []string {
	var missing []string
	for _, dept := range []string{complaint.DepartmentProduction, complaint.DepartmentTechnical} {
		if !slices.ContainsFunc(c.Proposals, func(p complaint.Proposal) bool { return p.Department == dept }) {
			missing = append(missing, dept)
		}
	}
	return missing
}

// checkCorrectiveAction refuses a due date already past (in UTC, which errs
// on the lenient side for the company's time zone).
func checkCorrectiveAction(_ *State, _ complaint.Actor, b complaint.CorrectiveActionBody, now time.Time) error {
	due, err := time.Parse(time.DateOnly, b.DueDate)
	if err != nil {
		return invalidField("due_date", "must be a date YYYY-MM-DD")
	}
	today := now.UTC().Truncate(24 * time.Hour)
	if due.Before(today) {
		return invalidField("due_date", "must not be in the past")
	}
	return nil
}
