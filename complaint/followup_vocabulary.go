package complaint

import "time"

// The vocabulary of follow-ups [1.(1).G, 1.(2).E–F, 2.(4).e, 2.(5).1]: the
// return calls after a delivery and after a case closes, the yearly
// satisfaction survey, the yearly visit to every key customer, and the
// recovery call a low survey score opens. Each is a durable task of its
// own (package followup has its rules, workflows.FollowupWorkflow the
// shell); a survey is answered by the customer through a single-use link.

// Kinds of follow-up.
const (
	FollowupDeliveryCall     = "delivery_call"
	FollowupPostCloseCall    = "post_close_call"
	FollowupAnnualSurvey     = "annual_survey"
	FollowupKeyCustomerVisit = "key_customer_visit"
	// FollowupRecoveryCall is the call a survey answered with a
	// satisfaction of 1 or 2 opens: the customer is unhappy, someone calls.
	FollowupRecoveryCall = "recovery_call"
)

// FollowupKinds lists every kind of follow-up.
func FollowupKinds() []string {
	return []string{FollowupDeliveryCall, FollowupPostCloseCall, FollowupAnnualSurvey, FollowupKeyCustomerVisit,
		FollowupRecoveryCall}
}

// FollowupSurveyKinds are the kinds whose done step may send the customer a
// survey link.
func FollowupSurveyKinds() []string { return []string{FollowupPostCloseCall, FollowupAnnualSurvey} }

// Stages of a follow-up: open → done | cancelled. An open one past its due
// time is overdue (a flag, not a stage).
const (
	FollowupOpen      = "open"
	FollowupDone      = "done"
	FollowupCancelled = "cancelled"
)

// FollowupDepartments are the departments that own follow-ups: after-sales,
// or a branch office for the customers of its region.
func FollowupDepartments() []string { return []string{DepartmentAfterSales, DepartmentBranchOffice} }

// FollowupStages lists every stage of a follow-up.
func FollowupStages() []string { return []string{FollowupOpen, FollowupDone, FollowupCancelled} }

// Steps of a follow-up, by the names of the API's paths
// (POST /api/v1/followups/{id}/<step>) and the workflow's updates. Opening
// one (POST /api/v1/followups, or the system's plans) is FollowupStepOpen;
// FollowupStepSurvey is the customer's answer through the survey link.
const (
	FollowupStepOpen   = "open"
	FollowupStepDone   = "done"
	FollowupStepCancel = "cancel"
	FollowupStepSurvey = "survey"
)

// FollowupSteps lists the steps staff take after opening.
func FollowupSteps() []string { return []string{FollowupStepDone, FollowupStepCancel} }

// Where a follow-up's survey stands once its done step asked for one.
const (
	SurveySent     = "sent"     // the link went out and waits for the answer
	SurveyUnsent   = "unsent"   // no e-mail address or no e-mail channel: nothing went out
	SurveyAnswered = "answered" // the customer answered; the link is used
	SurveyExpired  = "expired"  // nobody answered before the link expired
)

// SurveyStates lists every state of a survey.
func SurveyStates() []string {
	return []string{SurveySent, SurveyUnsent, SurveyAnswered, SurveyExpired}
}

// DefaultSurveyDays is how long a survey link works unless configured.
const DefaultSurveyDays = 30

// Timeline event kinds of a follow-up.
const (
	EventFollowupOpened    = "followup_opened"
	EventFollowupDueSoon   = "followup_due_soon"
	EventFollowupOverdue   = "followup_overdue"
	EventFollowupDone      = "followup_done"
	EventFollowupCancelled = "followup_cancelled"
	EventSurveySent        = "survey_sent"
	EventSurveyUnsent      = "survey_unsent"
	EventSurveyAnswered    = "survey_answered"
	EventSurveyExpired     = "survey_expired"
)

// FollowupEventKinds lists every timeline event kind of a follow-up.
func FollowupEventKinds() []string {
	return []string{EventFollowupOpened, EventFollowupDueSoon, EventFollowupOverdue, EventFollowupDone,
		EventFollowupCancelled, EventSurveySent, EventSurveyUnsent, EventSurveyAnswered, EventSurveyExpired}
}

// Notifications of follow-ups and surveys.
const (
	NotificationFollowupDueSoon = "followup_due_soon" // to its owner, before the due time
	NotificationFollowupOverdue = "followup_overdue"  // to the after-sales supervisors
	NotificationSurveyLowScore  = "survey_low_score"  // to the after-sales supervisors
	// NotificationSurveyInvitation is the customer's e-mail with the link;
	// it is sent, never kept in the outbox (the link is a secret).
	NotificationSurveyInvitation = "survey_invitation"
)

// FollowupWorkflowID is the workflow id of the follow-up with id.
func FollowupWorkflowID(id string) string { return "followup-" + id }

// FollowupOpenBody is the body of POST /api/v1/followups, and what the
// system's plans open.
type FollowupOpenBody struct {
	Kind       string `json:"kind" validate:"required,enum=followup_kind"`
	CustomerID string `json:"customer_id" validate:"required,max=64"`
	// Serial is the equipment it is about (a delivery call's), ComplaintID
	// the case (a post-close call's), where it has one.
	Serial      string `json:"serial,omitempty" validate:"max=64"`
	ComplaintID string `json:"complaint_id,omitempty" validate:"max=64"`
	// Owner is the user who does it; left out, the owner department's
	// agents share it.
	Owner           string `json:"owner,omitempty" validate:"max=64"`
	OwnerDepartment string `json:"owner_department,omitempty" validate:"omitempty,enum=followup_department"`
	// BranchOffice names the branch office (of the customer's region) that
	// owns it when OwnerDepartment is branch_office.
	BranchOffice string    `json:"branch_office,omitempty" validate:"max=100"`
	DueAt        time.Time `json:"due_at" validate:"required"`
	Note         string    `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// FollowupDoneBody is the body of done: the outcome, a visit's written
// report, whether to send the customer a survey link, and, when issues
// were found, the complaint to raise in the same call.
type FollowupDoneBody struct {
	Note         string `json:"note" validate:"required,max=10000" text:"multiline"`
	Satisfaction *int   `json:"satisfaction,omitempty" validate:"omitnil,min=1,max=5"`
	IssuesFound  bool   `json:"issues_found,omitempty"`
	// Report is a key-customer visit's written report [2.(5).1]; a visit
	// is not done without one.
	Report     string `json:"report,omitempty" validate:"max=50000" text:"multiline"`
	SendSurvey bool   `json:"send_survey,omitempty"`
	// RaiseComplaint registers a complaint from what the call found
	// (issues_found must be true); the API registers it and links it.
	RaiseComplaint *FollowupComplaint `json:"raise_complaint,omitempty"`
	// RaisedComplaintID is set by the API, never by the client: the
	// complaint it registered from RaiseComplaint.
	RaisedComplaintID string `json:"raised_complaint_id,omitempty" validate:"max=64"`
}

// FollowupComplaint is what a follow-up that found issues needs to raise a
// complaint; the customer, equipment and channel come from the follow-up.
type FollowupComplaint struct {
	ContactName    string `json:"contact_name" validate:"required,max=200"`
	ContactPhone   string `json:"contact_phone,omitempty" validate:"max=64"`
	Description    string `json:"description" validate:"required,max=10000" text:"multiline"`
	CustomerDemand string `json:"customer_demand,omitempty" validate:"max=10000" text:"multiline"`
	Category       string `json:"category,omitempty" validate:"omitempty,enum=category"`
	Severity       string `json:"severity,omitempty" validate:"omitempty,enum=severity"`
}

// FollowupCancelBody is the body of cancel.
type FollowupCancelBody struct {
	Reason string `json:"reason" validate:"required,max=2000" text:"multiline"`
}

// SurveyAnswerBody is what the customer answers through the survey link.
type SurveyAnswerBody struct {
	Satisfaction   int    `json:"satisfaction" validate:"required,min=1,max=5"`
	WouldRecommend *int   `json:"would_recommend" validate:"required,min=0,max=10"`
	Comment        string `json:"comment,omitempty" validate:"max=2000" text:"multiline"`
}

// Followup is a follow-up task: what its workflow holds, the store
// projects and the API answers.
type Followup struct {
	ID              string    `json:"id"`
	Kind            string    `json:"kind"`
	Stage           string    `json:"stage"`
	CustomerID      string    `json:"customer_id"`
	Serial          string    `json:"serial,omitempty"`
	ComplaintID     string    `json:"complaint_id,omitempty"`
	Owner           string    `json:"owner,omitempty"`
	OwnerDepartment string    `json:"owner_department"`
	BranchOffice    string    `json:"branch_office,omitempty"`
	DueAt           time.Time `json:"due_at"`
	Note            string    `json:"note,omitempty"`
	// SourceID is the follow-up whose low survey score opened this one.
	SourceID     string           `json:"source_id,omitempty"`
	OpenedBy     Actor            `json:"opened_by"`
	OpenedAt     time.Time        `json:"opened_at"`
	Overdue      bool             `json:"overdue"`
	Outcome      *FollowupOutcome `json:"outcome,omitempty"`
	Cancellation *Cancellation    `json:"cancellation,omitempty"`
	// RaisedComplaintID is the complaint its outcome raised.
	RaisedComplaintID string    `json:"raised_complaint_id,omitempty"`
	Survey            *Survey   `json:"survey,omitempty"`
	AllowedSteps      []string  `json:"allowed_steps"`
	UpdatedAt         time.Time `json:"updated_at"`
	Version           int64     `json:"version"`
}

// FollowupOutcome is what the owner recorded when it was done.
type FollowupOutcome struct {
	Note         string    `json:"note"`
	Satisfaction *int      `json:"satisfaction,omitempty"`
	IssuesFound  bool      `json:"issues_found"`
	Report       string    `json:"report,omitempty"`
	By           Actor     `json:"by"`
	At           time.Time `json:"at"`
}

// Cancellation is why a follow-up was cancelled, and by whom.
type Cancellation struct {
	Reason string    `json:"reason"`
	By     Actor     `json:"by"`
	At     time.Time `json:"at"`
}

// Survey is a follow-up's survey: where it stands, and the answer.
type Survey struct {
	State     string     `json:"state"`
	SentAt    *time.Time `json:"sent_at,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	// Reason says why an unsent survey did not go out.
	Reason     string            `json:"reason,omitempty"`
	Answer     *SurveyAnswerBody `json:"answer,omitempty"`
	AnsweredAt *time.Time        `json:"answered_at,omitempty"`
}

// FollowupEnded reports whether a follow-up in stage takes no more steps.
func FollowupEnded(stage string) bool { return stage != FollowupOpen }
