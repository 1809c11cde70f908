package workflows

import (
	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// warningRecipients are whom a warning reaches: after-sales, and the
// engineer assigned to the case or, while none is, the engineers of the
// department responsible (after-sales before analysis).
func (w *complaintWorkflow) warningRecipients() []activities.Recipient {
	if w.state.AssignedEngineer != "" {
		return append(w.resolve([]sla.Recipient{{Role: "agent", Department: "after_sales"}}),
			activities.Recipient{UserID: w.state.AssignedEngineer})
	}
	return w.resolve([]sla.Recipient{{Role: "agent", Department: "after_sales"}, {Role: "engineer", Department: "responsible"}})
}

// resolve turns the policy's "responsible" department into the case's.
func (w *complaintWorkflow) resolve(recipients []sla.Recipient) []activities.Recipient {
	out := make([]activities.Recipient, len(recipients))
	for i, r := range recipients {
		dept := r.Department
		if dept == "responsible" {
			dept = w.state.ResponsibleDepartment
			if dept == "" {
				dept = complaint.DepartmentAfterSales
			}
		}
		out[i] = activities.Recipient{Role: r.Role, Department: dept}
	}
	return out
}
