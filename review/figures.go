// Package review holds the rules of the monthly review [3.(4)], free of
// Temporal and of the database: which month a run reviews, the figures of
// DOMAIN.md ("Monthly review") computed from the cases and corrective
// actions of that month, and the accountability rows, one per department.
// The review workflow (workflows/review.go) reads the facts from the store,
// calls Compute and stores the result; the API renders it as JSON, CSV and
// HTML.
package review

import "time"

// CaseFacts is one case as the review reads it: the columns the store
// keeps beside the case's snapshot for reporting (never a name or a
// phone).
type CaseFacts struct {
	ID                    string    `json:"id"`
	CaseNumber            string    `json:"case_number"`
	ReceivedAt            time.Time `json:"received_at"`
	Category              string    `json:"category"`
	Severity              string    `json:"severity"`
	Stage                 string    `json:"stage"`
	ResponsibleDepartment string    `json:"responsible_department"` // '' until analyzed
	Liability             string    `json:"liability"`              // '' until analyzed
	BranchOffice          string    `json:"branch_office"`
	Region                string    `json:"region"`
	PartNumber            string    `json:"part_number"`
	RootCause             string    `json:"root_cause"`
	// Clocks are the three service-level clocks, by complaint.ClockNames.
	Clocks       map[string]ClockFacts `json:"clocks"`
	Recurrence   bool                  `json:"recurrence"`
	Satisfaction *int                  `json:"satisfaction,omitempty"`
	ClosedAt     *time.Time            `json:"closed_at,omitempty"`
}

// ClockFacts is one clock of a case: its state (complaint.ClockState) and,
// once stopped, how long it took from the complaint's receipt.
type ClockFacts struct {
	State   string         `json:"state"`
	Elapsed *time.Duration `json:"elapsed,omitempty"`
}

// CapaFacts is one corrective action as the review reads it.
type CapaFacts struct {
	ID              string    `json:"id"`
	Number          string    `json:"number"`
	Stage           string    `json:"stage"`
	OwnerDepartment string    `json:"owner_department"`
	DueDate         string    `json:"due_date"` // yyyy-mm-dd
	OpenedAt        time.Time `json:"opened_at"`
	// VerifiedEffectiveAt is when it was last judged effective, if it was.
	VerifiedEffectiveAt *time.Time `json:"verified_effective_at,omitempty"`
}

// SurveyFacts is one survey a customer answered through a follow-up's
// link, as the review reads it: ids and the two scores, never the comment.
type SurveyFacts struct {
	FollowupID  string `json:"followup_id"`
	Kind        string `json:"kind"` // the follow-up's kind (complaint.FollowupKinds)
	ComplaintID string `json:"complaint_id,omitempty"`
	// Satisfaction is 1–5, WouldRecommend 0–10.
	Satisfaction   int       `json:"satisfaction"`
	WouldRecommend int       `json:"would_recommend"`
	AnsweredAt     time.Time `json:"answered_at"`
}

// Figures are a month's review: every figure of DOMAIN.md, and the
// accountability rows. Lists are in a fixed order (counts descending, then
// key) so that JSON, CSV and HTML show the same rows.
type Figures struct {
	Month      string    `json:"month"` // yyyy-mm
	From       time.Time `json:"from"`  // the month's first instant in the company's zone
	To         time.Time `json:"to"`    // the next month's first instant
	TimeZone   string    `json:"time_zone"`
	ComputedAt time.Time `json:"computed_at"`

	Cases          int     `json:"cases"`
	ByCategory     []Count `json:"by_category"`
	BySeverity     []Count `json:"by_severity"`
	ByDepartment   []Count `json:"by_department"` // responsible department; '' = not yet analyzed
	ByBranchOffice []Count `json:"by_branch_office"`
	ByRegion       []Count `json:"by_region"`

	// ServiceLevels: per clock, how many cases were measured (met or
	// breached), met, breached, and the share met in percent.
	ServiceLevels []ServiceLevel `json:"service_levels"`
	// Times: per clock, the median and 90th percentile of the elapsed time
	// of the clocks that stopped.
	Times []TimeFigure `json:"times"`
	// Breaches counts the cases with at least one clock breached.
	Breaches    int     `json:"breaches"`
	TopParts    []Count `json:"top_parts"`  // the ten most frequent part numbers
	TopCauses   []Count `json:"top_causes"` // the ten most frequent root causes
	Recurrences int     `json:"recurrences"`

	Capa         CapaFigures         `json:"capa"`
	Satisfaction SatisfactionFigures `json:"satisfaction"`
	// Surveys are the follow-ups' surveys answered in the month.
	Surveys SurveyFigures `json:"surveys"`

	// Weeks: cases per week (weeks start on Monday in the company's zone,
	// the first and last clipped to the month) by category, for the chart.
	Weeks []WeekCount `json:"weeks"`
	// ResolveDistribution: cases resolved within each bucket of hours.
	ResolveDistribution []Bucket `json:"resolve_distribution"`

	// MinorByDepartment lists the minor complaints fed back to each
	// department concerned [3.(2).3].
	MinorByDepartment []DepartmentCases `json:"minor_by_department"`
	// Accountability is one row per department (complaint.Departments).
	Accountability []Accountability `json:"accountability"`
}

// Count is how many cases share a key.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// ServiceLevel is how one clock fared in the month.
type ServiceLevel struct {
	Clock      string  `json:"clock"`
	Measured   int     `json:"measured"`
	Met        int     `json:"met"`
	Breached   int     `json:"breached"`
	MetPercent float64 `json:"met_percent"` // 0 when nothing was measured
}

// TimeFigure is the distribution of one clock's elapsed time, in seconds.
type TimeFigure struct {
	Clock         string  `json:"clock"`
	Count         int     `json:"count"`
	MedianSeconds float64 `json:"median_seconds"`
	P90Seconds    float64 `json:"p90_seconds"`
}

// CapaFigures count the corrective actions: open (not yet effective, at
// the month's end), overdue among them, and judged effective in the month.
type CapaFigures struct {
	Open      int `json:"open"`
	Overdue   int `json:"overdue"`
	Effective int `json:"effective"`
}

// SatisfactionFigures: the customers' satisfaction (1–5) given at closure.
type SatisfactionFigures struct {
	Answers int     `json:"answers"`
	Average float64 `json:"average"` // 0 when none answered
}

// SurveyFigures are the surveys answered in the month through the
// follow-ups' links: how many, their mean satisfaction (1–5, one
// decimal), how many gave each satisfaction, the net promoter score, and
// how many answered each kind of follow-up. A review stored before surveys
// were counted has the zero value, which renders as no answers.
type SurveyFigures struct {
	Answers int `json:"answers"`
	// MeanSatisfaction is 0 when none answered.
	MeanSatisfaction float64 `json:"mean_satisfaction"`
	// BySatisfaction has a row for each satisfaction, 1 to 5, in that
	// order; Key is the score.
	BySatisfaction []Count `json:"by_satisfaction"`
	// Promoters answered 9–10 to would_recommend, passives 7–8,
	// detractors 0–6.
	Promoters  int `json:"promoters"`
	Passives   int `json:"passives"`
	Detractors int `json:"detractors"`
	// NetPromoterScore is promoters less detractors, in percent of the
	// answers (−100 to 100, one decimal); 0 when none answered.
	NetPromoterScore float64 `json:"net_promoter_score"`
	// ByKind counts the answers by the follow-up's kind, most first.
	ByKind []Count `json:"by_kind"`
}

// WeekCount is the cases of one week, by category.
type WeekCount struct {
	Start      string         `json:"start"` // yyyy-mm-dd
	ByCategory map[string]int `json:"by_category"`
}

// Bucket is a range of a distribution.
type Bucket struct {
	Label string `json:"label"` // e.g. "≤ 4 h", "4–8 h", "> 72 h"
	Count int    `json:"count"`
}

// DepartmentCases lists cases by number for one department.
type DepartmentCases struct {
	Department  string   `json:"department"`
	CaseNumbers []string `json:"case_numbers"`
}

// Accountability is a department's row: its cases in the month, how many
// of them by liability (complaint.Liabilities), and its supervisor's
// decision once recorded.
type Accountability struct {
	Department string         `json:"department"`
	Cases      int            `json:"cases"`
	Liability  map[string]int `json:"liability"`
	Decision   string         `json:"decision,omitempty"` // complaint.AccountabilityDecisions; '' until decided
	Note       string         `json:"note,omitempty"`
	DecidedBy  string         `json:"decided_by,omitempty"` // user id
	DecidedAt  *time.Time     `json:"decided_at,omitempty"`
}

// Review is a stored monthly review: its figures and where it stands.
type Review struct {
	Figures
	State    string     `json:"state"` // complaint.ReviewStates
	ClosedAt *time.Time `json:"closed_at,omitempty"`
}
