// Package complaint holds the case vocabulary shared by the workflow, the
// activities, the store and the HTTP API: register fields, stages and the case
// view. It has no dependencies on Temporal or the database so every layer can
// use it without import cycles (activities never import workflows).
package complaint

import (
	"strconv"
	"time"
)

// Channel is how a complaint reached the company [3.(2).1].
type Channel string

const (
	ChannelPhone        Channel = "phone"
	ChannelLetter       Channel = "letter"
	ChannelEmail        Channel = "email"
	ChannelWebsite      Channel = "website"
	ChannelVisit        Channel = "visit"
	ChannelBranchOffice Channel = "branch_office"
)

// Channels lists every channel, in the order the API documents them.
func Channels() []string {
	return names(ChannelPhone, ChannelLetter, ChannelEmail, ChannelWebsite, ChannelVisit, ChannelBranchOffice)
}

// Category decides who analyses the complaint [3.(1)].
type Category string

const (
	CategoryQuality    Category = "quality"
	CategoryNonQuality Category = "non_quality"
	CategoryOther      Category = "other"
)

// Categories lists every category.
func Categories() []string { return names(CategoryQuality, CategoryNonQuality, CategoryOther) }

// Severity decides whether negotiation needs a handling form and approvals [3.(2).3].
type Severity string

const (
	SeverityMinor  Severity = "minor"
	SeveritySevere Severity = "severe"
)

// Severities lists every severity.
func Severities() []string { return names(SeverityMinor, SeveritySevere) }

// Stage is where a case stands in confirm → analyze → negotiate → approve →
// remediate → closed.
type Stage string

const (
	StageConfirm   Stage = "confirm"
	StageAnalyze   Stage = "analyze"
	StageNegotiate Stage = "negotiate"
	StageApprove   Stage = "approve"
	StageRemediate Stage = "remediate"
	StageClosed    Stage = "closed"
)

// Register is the complaint register of DOMAIN.md: what intake records.
// The validate tags are its field rules (see BodyProblems); Validate adds the rules
// that need more than one field or the clock.
type Register struct {
	CustomerID        string   `json:"customer_id" validate:"required,max=64"`
	CustomerName      string   `json:"customer_name" validate:"required,max=200"`
	ContactName       string   `json:"contact_name" validate:"required,max=200"`
	ContactPhone      string   `json:"contact_phone,omitempty" validate:"max=64"`
	Channel           Channel  `json:"channel" validate:"omitempty,enum=channel"`
	Description       string   `json:"description" validate:"required,max=10000" text:"multiline"`
	CustomerDemand    string   `json:"customer_demand,omitempty" validate:"max=10000" text:"multiline"`
	Category          Category `json:"category" validate:"omitempty,enum=category"`
	Severity          Severity `json:"severity" validate:"omitempty,enum=severity"`
	OrderNumber       string   `json:"order_number,omitempty" validate:"max=64"`
	PartNumber        string   `json:"part_number,omitempty" validate:"max=64"`
	EquipmentSerial   string   `json:"equipment_serial,omitempty" validate:"max=64"`
	ShipDate          string   `json:"ship_date,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Quantity          *int     `json:"quantity,omitempty" validate:"omitempty,min=0"`
	DefectiveQuantity *int     `json:"defective_quantity,omitempty" validate:"omitempty,min=0"`
	// NeedsOnsite says whether an engineer must go on site, which starts the
	// on-site clock; unset means yes for quality complaints.
	NeedsOnsite *bool `json:"needs_onsite,omitempty"`
	// ContractNumber selects the contract's SLA policy over the customer's.
	ContractNumber string `json:"contract_number,omitempty" validate:"max=64"`
}

// ApplyDefaults fills the enums intake may leave out: the hotline is the usual
// channel, and confirm corrects category and severity once verified.
func (r *Register) ApplyDefaults() {
	if r.Channel == "" {
		r.Channel = ChannelPhone
	}
	if r.Category == "" {
		r.Category = CategoryOther
	}
	if r.Severity == "" {
		r.Severity = SeverityMinor
	}
}

// clockSkew tolerates callers whose clocks run slightly ahead of ours.
const clockSkew = time.Minute

// Validate checks the rules that span fields or depend on the current time.
// It returns problems keyed by JSON field name, empty when the register is valid.
func (r *Register) Validate(now time.Time) map[string]string {
	problems := map[string]string{}
	if r.ShipDate != "" {
		if d, err := time.Parse(time.DateOnly, r.ShipDate); err == nil && d.After(now) {
			problems["ship_date"] = "must not be in the future"
		}
	}
	if r.Quantity != nil && r.DefectiveQuantity != nil && *r.Quantity >= 0 && *r.DefectiveQuantity > *r.Quantity {
		problems["defective_quantity"] = "must not exceed quantity"
	}
	if r.DefectiveQuantity != nil && r.Quantity == nil {
		problems["quantity"] = "is required when defective_quantity is given"
	}
	return problems
}

// ValidateReceivedAt checks the moment the service-level clocks run from:
// not in the future, and at most maxAge ago, since a time far in the past
// has every deadline long gone (year 1 even switched the clocks off).
func ValidateReceivedAt(receivedAt, now time.Time, maxAge time.Duration) string {
	if receivedAt.After(now.Add(clockSkew)) {
		return "must not be in the future"
	}
	if receivedAt.Before(now.Add(-maxAge)) {
		return "must not be more than " + ageText(maxAge) + " ago"
	}
	return ""
}

func ageText(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + " days"
	}
	return d.String()
}

// Actor is who performed an action, recorded in the timeline and history.
type Actor struct {
	UserID     string   `json:"user_id"`
	Name       string   `json:"name"`
	Department string   `json:"department,omitempty"`
	Roles      []string `json:"roles,omitempty"`
}

// Case is the case view: what the workflow holds, what the store projects and
// what the API answers.
type Case struct {
	ID         string `json:"id"`
	CaseNumber string `json:"case_number"`
	Stage      Stage  `json:"stage"`
	// Register is embedded so the register fields answer at the top level,
	// the same shape the complaint was posted in.
	Register
	ReceivedAt   time.Time `json:"received_at"`
	RegisteredAt time.Time `json:"registered_at"`
	RegisteredBy Actor     `json:"registered_by"`
	// Version is the sequence number of the last timeline event applied; the
	// store uses it to ignore stale projections from retried activities.
	Version int64 `json:"version"`

	// The lifecycle's records, filled as its steps happen (see steps.go).
	ResponsibleDepartment string             `json:"responsible_department,omitempty"`
	Contacts              []Contact          `json:"contacts,omitempty"`
	Confirmation          *Confirmation      `json:"confirmation,omitempty"`
	Analysis              *Analysis          `json:"analysis,omitempty"`
	Proposals             []Proposal         `json:"proposals,omitempty"`
	Agreement             *Agreement         `json:"agreement,omitempty"` // the current one
	ApprovalRounds        []ApprovalRound    `json:"approval_rounds,omitempty"`
	CorrectiveActions     []CorrectiveAction `json:"corrective_actions,omitempty"`
	Progress              []ProgressNote     `json:"progress,omitempty"`
	Resolution            *Resolution        `json:"resolution,omitempty"`
	Closure               *Closure           `json:"closure,omitempty"`
	// AllowedSteps are the steps the case takes now, by update name.
	AllowedSteps []string `json:"allowed_steps"`
	// Termination says who ended the workflow outside the API and why,
	// while the case is terminated (see termination.go).
	Termination *Termination `json:"termination,omitempty"`

	// Service levels: the policy copied at registration, the clocks, and the
	// interim solution a case owes once its resolution deadline has passed.
	SLAPolicy string `json:"sla_policy,omitempty"`
	// AssignedEngineer is the user id of the field engineer after-sales
	// assigned at confirm; service-level warnings reach them.
	AssignedEngineer string   `json:"assigned_engineer,omitempty"`
	Clocks           *Clocks  `json:"clocks,omitempty"`
	Paused           *Pause   `json:"paused,omitempty"`
	InterimRequired  bool     `json:"interim_required"`
	Interim          *Interim `json:"interim,omitempty"`

	// The archive's facts at registration and the paid service they call
	// for (paid_service.go); absent on cases registered before the archive.
	Customer    *CaseCustomer `json:"customer,omitempty"`
	Warranty    *Warranty     `json:"warranty,omitempty"`
	PaidService string        `json:"paid_service,omitempty"`
	Quotes      []Quote       `json:"quotes,omitempty"`
	Waiver      *Waiver       `json:"waiver,omitempty"`

	// Field service (visits.go): the engineers dispatched to the case, and
	// its visits.
	AssignedEngineers []string `json:"assigned_engineers,omitempty"`
	Visits            []Visit  `json:"visits,omitempty"`
	Loans             []Loan   `json:"loans,omitempty"`
	// Dispatched lists whom the case was dispatched to (user ids, or
	// role@department for a fallback), so that each hears of it once.
	Dispatched []string `json:"dispatched,omitempty"`
	// Site is where the equipment stands, from the installed base.
	Site *CaseSite `json:"site,omitempty"`

	// RecurrenceOf lists the earlier cases (by case number) this complaint
	// repeats within the recurrence window: the same part number, or the
	// same equipment model and root cause [3.(2).4].
	RecurrenceOf []string `json:"recurrence_of,omitempty"`
	// Capas are the corrective actions linked to this case, as the API
	// reads them from the store (they move on after the case's steps; the
	// workflow keeps only corrective_actions[i].capa_id).
	Capas []CaseCapa `json:"capas,omitempty"`
	// Followups are the follow-ups of this case (its post-close calls) and
	// the one that raised it, as the API reads them from the store.
	Followups []CaseFollowup `json:"followups,omitempty"`
}

// CaseCapa is a corrective action as its case shows it.
type CaseCapa struct {
	ID     string `json:"id"`
	Number string `json:"number,omitempty"`
	Stage  string `json:"stage"`
}

// CaseFollowup is a follow-up as its case shows it: ComplaintID is set
// when it follows this case, RaisedComplaintID when its outcome raised it.
type CaseFollowup struct {
	ID                string    `json:"id"`
	Kind              string    `json:"kind"`
	Stage             string    `json:"stage"`
	DueAt             time.Time `json:"due_at"`
	Overdue           bool      `json:"overdue"`
	ComplaintID       string    `json:"complaint_id,omitempty"`
	RaisedComplaintID string    `json:"raised_complaint_id,omitempty"`
	SurveyState       string    `json:"survey_state,omitempty"`
}

// OnsiteNeeded applies the default: quality complaints need a visit.
func (r Register) OnsiteNeeded() bool {
	if r.NeedsOnsite != nil {
		return *r.NeedsOnsite
	}
	return r.Category == CategoryQuality
}

// WorkflowID is the Temporal workflow id of a case.
func WorkflowID(caseID string) string { return "complaint-" + caseID }
