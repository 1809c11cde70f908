package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/complaint"
)

// The case-specific checks of the steps that have any. They only read the
// state: validators must not change it.

// checkConfirm refuses corrections that break the register's own rules.
func (w *complaintWorkflow) checkConfirm(ctx workflow.Context, s ConfirmRequest) error {
	corrected := s.Body.Correct(w.state.Register)
	if problems := corrected.Validate(workflow.Now(ctx)); len(problems) > 0 {
		return invalidFields("the corrected register is invalid", problems)
	}
	return nil
}

// checkAnalysis gives quality complaints to the technical department and
// makes a finding that the company is not at fault carry its explanation and
// evidence [3.(2).2]: enforced here, not at close, so the customer's
// explanation exists before anyone negotiates on it.
func (w *complaintWorkflow) checkAnalysis(_ workflow.Context, s AnalysisRequest) error {
	if w.state.Category == complaint.CategoryQuality && s.Actor.Department != complaint.DepartmentTechnical {
		return forbidden("the technical department analyses quality complaints")
	}
	b := s.Body
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
func (w *complaintWorkflow) checkAgreement(_ workflow.Context, s AgreementRequest) error {
	b := s.Body
	if b.Type == complaint.AgreementExplanationAccepted {
		if a := w.state.Analysis; a == nil || a.Liability == complaint.LiabilityCompany {
			return invalidField("type", "explanation_accepted needs an analysis that finds the company not at fault")
		}
		if len(b.ApprovingDepartments) > 0 {
			return invalidField("approving_departments", "must be empty: an accepted explanation closes the case")
		}
		return nil
	}
	if w.state.Severity != complaint.SeveritySevere {
		if len(b.ApprovingDepartments) > 0 {
			return invalidField("approving_departments", "must be empty: a minor case needs no approval")
		}
		return nil
	}
	if w.state.Category == complaint.CategoryQuality {
		if missing := w.missingProposals(); len(missing) > 0 {
			return invalid(fmt.Sprintf("a severe quality case needs proposals from %s first", joinNames(missing)))
		}
	}
	if len(b.ApprovingDepartments) == 0 {
		return invalidField("approving_departments", "needs at least one department: a severe case goes to approval")
	}
	return nil
}

// missingProposals lists which of production and technical have proposed no
// measures yet.
func (w *complaintWorkflow) missingProposals() []string {
	var missing []string
	for _, dept := range []string{complaint.DepartmentProduction, complaint.DepartmentTechnical} {
		if !slices.ContainsFunc(w.state.Proposals, func(p complaint.Proposal) bool { return p.Department == dept }) {
			missing = append(missing, dept)
		}
	}
	return missing
}

// checkCorrectiveAction refuses a due date already past (in UTC, which errs
// on the lenient side for the company's time zone).
func (w *complaintWorkflow) checkCorrectiveAction(ctx workflow.Context, s CorrectiveActionRequest) error {
	due, err := time.Parse(time.DateOnly, s.Body.DueDate)
	if err != nil {
		return invalidField("due_date", "must be a date YYYY-MM-DD")
	}
	today := workflow.Now(ctx).UTC().Truncate(24 * time.Hour)
	if due.Before(today) {
		return invalidField("due_date", "must not be in the past")
	}
	return nil
}
