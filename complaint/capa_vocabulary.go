package complaint

import "time"

// The vocabulary of corrective and preventive actions (CAPA) [3.(2).4,
// 3.(3)]: each is a durable process of its own (package capa has its
// rules, workflows.CapaWorkflow the shell), linked to the complaints it
// prevents from recurring, and it outlives them.

// Stages of a corrective action: open → done → verifying → effective |
// ineffective. An ineffective action is reopened with a new due date, so
// ineffective is where it stands only between the verdict and the reopening
// (the timeline keeps every verdict).
const (
	CapaOpen        = "open"
	CapaDone        = "done"
	CapaVerifying   = "verifying"
	CapaEffective   = "effective"
	CapaIneffective = "ineffective"
)

// CapaStages lists every stage, in the order of the process.
func CapaStages() []string {
	return []string{CapaOpen, CapaDone, CapaVerifying, CapaEffective, CapaIneffective}
}

// Steps a corrective action takes, by the names of the API's paths
// (POST /api/v1/capas/{id}/<step>) and of the workflow's updates; opening
// one (POST /api/v1/capas, or a case's corrective-actions step) is
// CapaStepOpen.
const (
	CapaStepOpen   = "open"
	CapaStepDone   = "done"
	CapaStepVerify = "verify"
)

// CapaSteps lists the steps after opening, in the order of the process.
func CapaSteps() []string { return []string{CapaStepDone, CapaStepVerify} }

// Verdicts of an effectiveness check.
const (
	VerdictEffective   = "effective"
	VerdictIneffective = "ineffective"
)

// Verdicts lists every verdict of an effectiveness check.
func Verdicts() []string { return []string{VerdictEffective, VerdictIneffective} }

// DefaultEffectivenessDays is how long after done an action's effectiveness
// is checked, unless it was opened with its own period.
const DefaultEffectivenessDays = 30

// Timeline event kinds of a corrective action.
const (
	EventCapaOpened     = "capa_opened"
	EventCapaDone       = "capa_done"
	EventCapaVerifying  = "capa_verifying"
	EventCapaVerified   = "capa_verified"
	EventCapaReopened   = "capa_reopened"
	EventCapaDueSoon    = "capa_due_soon"
	EventCapaOverdue    = "capa_overdue"
	EventCapaRecurrence = "capa_recurrence"
)

// CapaEventKinds lists every timeline event kind of a corrective action.
func CapaEventKinds() []string {
	return []string{EventCapaOpened, EventCapaDone, EventCapaVerifying, EventCapaVerified, EventCapaReopened,
		EventCapaDueSoon, EventCapaOverdue, EventCapaRecurrence}
}

// Notifications of a corrective action's clocks.
const (
	NotificationCapaDueSoon = "capa_due_soon" // to the owner department, before the due date
	NotificationCapaOverdue = "capa_overdue"  // to the owner department's supervisors
	NotificationCapaVerify  = "capa_verify"   // to after-sales and quality: check its effectiveness
	// NotificationRecurrence tells the owners of an earlier case's actions
	// that the complaint came back.
	NotificationRecurrence = "recurrence"
)

// DefaultTimeZone is the company's time zone unless configured
// (CASEFLOW_TIME_ZONE): the corrective actions' dates and the monthly
// review's months.
const DefaultTimeZone = "Asia/Shanghai"

// DefaultLocation is DefaultTimeZone loaded (the zone data is embedded in
// the binary, see sla), or UTC where it cannot be.
func DefaultLocation() *time.Location {
	loc, err := time.LoadLocation(DefaultTimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// CapaWorkflowID is the workflow id of the corrective action with id.
func CapaWorkflowID(id string) string { return "capa-" + id }

// CapaOpenBody is the body of POST /api/v1/capas, and what a case's
// corrective-actions step opens (with the case as its complaint).
type CapaOpenBody struct {
	ComplaintIDs    []string `json:"complaint_ids" validate:"required,min=1,max=50,unique,dive,required,max=64"`
	PartNumber      string   `json:"part_number,omitempty" validate:"max=64"`
	RootCause       string   `json:"root_cause,omitempty" validate:"max=10000" text:"multiline"`
	Action          string   `json:"action" validate:"required,max=10000" text:"multiline"`
	OwnerDepartment string   `json:"owner_department" validate:"required,enum=department"`
	// Owner is the user id of the person who carries it out, if one is named.
	Owner   string `json:"owner,omitempty" validate:"max=64"`
	DueDate string `json:"due_date" validate:"required,datetime=2006-01-02"`
	// EffectivenessDays is how long after done its effectiveness is
	// checked; DefaultEffectivenessDays when left out.
	EffectivenessDays *int `json:"effectiveness_days,omitempty" validate:"omitnil,min=1,max=365"`
}

// CapaDoneBody is the body of done: what the owner department did, and its
// evidence.
type CapaDoneBody struct {
	Note     string   `json:"note" validate:"required,max=10000" text:"multiline"`
	Evidence []string `json:"evidence,omitempty" validate:"max=50,dive,required,max=2000" text:"multiline"`
}

// CapaVerifyBody is the body of verify: the effectiveness check's verdict;
// an ineffective one reopens the action with a new due date.
type CapaVerifyBody struct {
	Result     string `json:"result" validate:"required,enum=verdict"`
	Note       string `json:"note" validate:"required,max=10000" text:"multiline"`
	NewDueDate string `json:"new_due_date,omitempty" validate:"required_if=Result ineffective,omitempty,datetime=2006-01-02"`
}

// Capa is a corrective action: what its workflow holds, the store projects
// and the API answers.
type Capa struct {
	ID                string   `json:"id"`
	Number            string   `json:"number"`
	Stage             string   `json:"stage"`
	ComplaintIDs      []string `json:"complaint_ids"`
	PartNumber        string   `json:"part_number,omitempty"`
	RootCause         string   `json:"root_cause,omitempty"`
	Action            string   `json:"action"`
	OwnerDepartment   string   `json:"owner_department"`
	Owner             string   `json:"owner,omitempty"`
	DueDate           string   `json:"due_date"`
	EffectivenessDays int      `json:"effectiveness_days"`
	Round             int      `json:"round"` // 1, and one more for each reopening
	// RoundStartedAt is when the current round began: opening, or the
	// latest reopening.
	RoundStartedAt time.Time `json:"round_started_at"`
	OpenedBy       Actor     `json:"opened_by"`
	OpenedAt       time.Time `json:"opened_at"`
	Overdue        bool      `json:"overdue"`
	// Done is the owner department's report of the current round.
	Done *CapaReport `json:"done,omitempty"`
	// CheckAt is when its effectiveness is checked, once done.
	CheckAt *time.Time `json:"check_at,omitempty"`
	// Verification is the latest verdict; Verifications every one.
	Verification  *CapaVerification  `json:"verification,omitempty"`
	Verifications []CapaVerification `json:"verifications,omitempty"`
	// Recurrences are the complaints that came back after it was judged
	// effective, by case number.
	Recurrences  []string  `json:"recurrences,omitempty"`
	AllowedSteps []string  `json:"allowed_steps"`
	UpdatedAt    time.Time `json:"updated_at"`
	Version      int64     `json:"version"`
}

// CapaReport is the owner department's report that the action is done.
type CapaReport struct {
	Note     string    `json:"note"`
	Evidence []string  `json:"evidence,omitempty"`
	By       Actor     `json:"by"`
	At       time.Time `json:"at"`
}

// CapaVerification is an effectiveness check's verdict.
type CapaVerification struct {
	By     Actor     `json:"by"`
	At     time.Time `json:"at"`
	Result string    `json:"result"`
	Note   string    `json:"note"`
	// Recurrence names the complaint that reopened an action judged
	// effective (By is then the system).
	Recurrence string `json:"recurrence,omitempty"`
}

// CapaEnded reports whether an action in stage takes no more steps of its
// owners (an effective one may still be reopened by a recurrence).
func CapaEnded(stage string) bool { return stage == CapaEffective }
