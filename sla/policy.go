package sla

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// The three service-level targets a case runs against, by the vocabulary's
// clock names.
const (
	Response   = complaint.ClockResponse
	Onsite     = complaint.ClockOnsite
	Resolution = complaint.ClockResolution
)

// Recipient is whom an escalation level notifies: a role in a department.
// Department "responsible" means the case's responsible department, known
// after analysis; before that it falls back to after_sales.
type Recipient struct {
	Role       string `json:"role"`
	Department string `json:"department"`
}

// EscalationLevel notifies its recipients once After has passed since the
// breach. After is wall-clock time: escalation does not wait for business
// hours, because a breached case is urgent whatever the calendar says.
type EscalationLevel struct {
	Level      int         `json:"level"`
	After      Duration    `json:"after"`
	Recipients []Recipient `json:"recipients"`
}

// Policy is a service-level policy: the targets of the three clocks, the
// calendar they run on, when to warn before a breach and whom to escalate to
// after one. Customers or contracts may carry their own policy.
type Policy struct {
	Name       string   `json:"name"`
	Response   Duration `json:"response"`
	Onsite     Duration `json:"onsite"`
	Resolution Duration `json:"resolution"`
	Calendar   Calendar `json:"calendar"`
	// WarningPoints are fractions of each target at which to warn, strictly
	// increasing in (0,1); empty means DefaultWarningPoints.
	WarningPoints []float64         `json:"warning_points"`
	Escalation    []EscalationLevel `json:"escalation"`
	// ServiceRecordDays is how many of the calendar's working days an
	// engineer has to file a visit's service record after checking out
	// [2.(5).4]; 0 means the default, 5.
	ServiceRecordDays int `json:"service_record_days,omitempty"`
}

// DefaultWarningPoints warn at half and at four fifths of each target.
func DefaultWarningPoints() []float64 { return []float64{0.5, 0.8} }

// RecipientDepartments are the departments a recipient may name: the case
// vocabulary's and ResponsibleDepartment. Its roles are the vocabulary's.
func RecipientDepartments() []string {
	return append(complaint.Departments(), ResponsibleDepartment, AssignedEngineers)
}

var nameRE = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

// DefaultEscalation follows the after-sales chain of command:
//   - level 1, at the breach: the after-sales manager (supervisor, after_sales)
//     and the case's engineers (engineer, "assigned"), who hear of it at once;
//   - level 2, one hour later: the responsible department's manager
//     (supervisor, "responsible");
//   - level 3, four hours after the breach: the general manager. The system
//     has no general-manager role, so level 3 goes to after-sales supervisor
//     and approver together: the approver signs off for the department, the
//     nearest the roles come to top management.
func DefaultEscalation() []EscalationLevel {
	return []EscalationLevel{
		{Level: 1, After: 0, Recipients: []Recipient{afterSales(complaint.RoleSupervisor),
			{Role: complaint.RoleEngineer, Department: AssignedEngineers}}},
		{Level: 2, After: Duration(time.Hour), Recipients: []Recipient{
			{Role: complaint.RoleSupervisor, Department: ResponsibleDepartment}}},
		{Level: 3, After: Duration(4 * time.Hour), Recipients: []Recipient{
			afterSales(complaint.RoleSupervisor), afterSales(complaint.RoleApprover)}},
	}
}

func afterSales(role string) Recipient {
	return Recipient{Role: role, Department: complaint.DepartmentAfterSales}
}

// Standard is the default policy: respond in 2 h, on site in 4 h, resolved
// in 24 h, around the clock (the hotline runs 24 hours a day).
func Standard() Policy {
	return Policy{Name: "standard", Response: Duration(2 * time.Hour), Onsite: Duration(4 * time.Hour),
		Resolution: Duration(24 * time.Hour)}.WithDefaults()
}

// Medical is the policy for medical-equipment customers: on site in 3 h.
func Medical() Policy {
	p := Standard()
	p.Name, p.Onsite = "medical", Duration(3*time.Hour)
	return p
}

// WithDefaults fills empty WarningPoints and Escalation and an empty time
// zone ("UTC"), so a stored policy says explicitly what it does.
func (p Policy) WithDefaults() Policy {
	if len(p.WarningPoints) == 0 {
		p.WarningPoints = DefaultWarningPoints()
	}
	if len(p.Escalation) == 0 {
		p.Escalation = DefaultEscalation()
	}
	if p.Calendar.TimeZone == "" {
		p.Calendar.TimeZone = "UTC"
	}
	return p
}

// Target returns the target of a clock (Response, Onsite, Resolution), or 0
// for an unknown clock.
func (p Policy) Target(clock string) time.Duration {
	switch clock {
	case Response:
		return time.Duration(p.Response)
	case Onsite:
		return time.Duration(p.Onsite)
	case Resolution:
		return time.Duration(p.Resolution)
	}
	return 0
}

// Validate returns problems keyed by JSON field path, or nil when valid.
// Empty warning points and escalation are valid: WithDefaults fills them.
// Onsite may exceed resolution (a remote fix can resolve a case).
func (p Policy) Validate() map[string]string {
	pr := map[string]string{}
	if !nameRE.MatchString(p.Name) {
		pr["name"] = "must be 1 to 64 characters of a-z, 0-9, _ and -"
	}
	if p.ServiceRecordDays < 0 || p.ServiceRecordDays > 60 {
		pr["service_record_days"] = "must be from 0 (the default, 5) to 60"
	}
	for _, t := range []struct {
		k string
		d Duration
	}{{Response, p.Response}, {Onsite, p.Onsite}, {Resolution, p.Resolution}} {
		if t.d <= 0 {
			pr[t.k] = "must be greater than 0"
		}
	}
	for i, w := range p.WarningPoints {
		k := fmt.Sprintf("warning_points[%d]", i)
		if !(w > 0 && w < 1) {
			pr[k] = "must be between 0 and 1, exclusive"
		} else if i > 0 && w <= p.WarningPoints[i-1] {
			pr[k] = "must be greater than the previous point"
		}
	}
	for i, l := range p.Escalation {
		at := fmt.Sprintf("escalation[%d]", i)
		if l.Level != i+1 {
			pr[at+".level"] = fmt.Sprintf("must be %d: levels are numbered 1..n in order", i+1)
		}
		if l.After < 0 {
			pr[at+".after"] = "must not be negative"
		} else if i > 0 && l.After < p.Escalation[i-1].After {
			pr[at+".after"] = "must not be less than the previous level's"
		}
		if len(l.Recipients) == 0 {
			pr[at+".recipients"] = "must name at least one recipient"
		}
		for j, r := range l.Recipients {
			rat := fmt.Sprintf("%s.recipients[%d]", at, j)
			if roles := complaint.Roles(); !slices.Contains(roles, r.Role) {
				pr[rat+".role"] = "must be one of " + strings.Join(roles, ", ")
			}
			if departments := RecipientDepartments(); !slices.Contains(departments, r.Department) {
				pr[rat+".department"] = "must be one of " + strings.Join(departments, ", ")
			}
		}
	}
	for k, v := range p.Calendar.Validate() {
		pr["calendar."+k] = v
	}
	p.checkReachable(pr)
	if len(pr) == 0 {
		return nil
	}
	return pr
}

// checkReachable refuses targets that a year of the calendar's open hours
// cannot hold: their clocks would run for years (and Add would walk them).
// Escalation delays are wall-clock time, so they need no such check.
func (p Policy) checkReachable(pr map[string]string) {
	s, err := p.Calendar.compile()
	if err != nil {
		return // Validate reports the calendar's problems
	}
	year := s.perYear()
	for _, k := range complaint.ClockNames() {
		if p.Target(k) > year {
			pr[k] = fmt.Sprintf("needs more than a year of open hours under this calendar (a year holds %s)",
				Duration(year.Truncate(time.Second)))
		}
	}
}
