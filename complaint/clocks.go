package complaint

import "time"

// Names of the three service-level clocks a case runs against. The
// policies' targets, the clocks in the case view and the notifications all
// name a clock this way.
const (
	ClockResponse   = "response"
	ClockOnsite     = "onsite"
	ClockResolution = "resolution"
)

// ClockNames lists every clock, in the order a case meets them.
func ClockNames() []string { return []string{ClockResponse, ClockOnsite, ClockResolution} }

// ClockLabel is how text for people names a clock ("on-site deadline").
func ClockLabel(name string) string {
	switch name {
	case ClockOnsite:
		return "on-site"
	case ClockServiceRecord:
		return "service record"
	}
	return name
}

// ClockState is where a service-level clock stands.
type ClockState string

const (
	ClockRunning     ClockState = "running"
	ClockPaused      ClockState = "paused"
	ClockMet         ClockState = "met"
	ClockBreached    ClockState = "breached"
	ClockNotRequired ClockState = "not_required" // an on-site clock a case does not need
)

// ClockStates lists every clock state.
func ClockStates() []string {
	return names(ClockRunning, ClockPaused, ClockMet, ClockBreached, ClockNotRequired)
}

// Clock is one service-level clock of a case as the API shows it.
type Clock struct {
	DueAt         *time.Time `json:"due_at"`
	State         ClockState `json:"state"`
	StoppedAt     *time.Time `json:"stopped_at"`
	PausedSeconds int64      `json:"paused_seconds"`
	BreachedAt    *time.Time `json:"breached_at,omitempty"`
	// WarningsSent and EscalationLevel count the notifications already sent.
	WarningsSent    int `json:"warnings_sent"`
	EscalationLevel int `json:"escalation_level"`
}

// Clocks are a case's three service-level clocks.
type Clocks struct {
	Response   Clock `json:"response"`
	Onsite     Clock `json:"onsite"`
	Resolution Clock `json:"resolution"`
	// ServiceRecord is the filing clock of the earliest service record
	// still owed after a visit's check-out (visits.go); absent when none is.
	ServiceRecord *Clock `json:"service_record,omitempty"`
}

// Interim is the backup equipment or workaround a case gets when it is not
// resolved in time; Loan names the loan of a lent backup unit.
type Interim struct {
	Kind        string    `json:"kind"`
	Description string    `json:"description"`
	Loan        string    `json:"loan,omitempty"`
	By          Actor     `json:"by"`
	At          time.Time `json:"at"`
}

// Pause is why and since when the resolution clock stands still.
type Pause struct {
	Reason string    `json:"reason"`
	By     Actor     `json:"by"`
	Since  time.Time `json:"since"`
}

// Service-level step bodies.

// OptionalNoteBody is the body of onsite (an engineer's arrival) and
// resume: a note, which may be left out.
type OptionalNoteBody struct {
	Note string `json:"note" validate:"max=10000" text:"multiline"`
}

// PauseBody stops the resolution clock while the case waits on the customer.
type PauseBody struct {
	Reason string `json:"reason" validate:"required,max=10000" text:"multiline"`
}

// Kinds of interim solution.
const (
	InterimBackupEquipment = "backup_equipment"
	InterimWorkaround      = "workaround"
)

// InterimKinds lists every kind of interim solution.
func InterimKinds() []string { return []string{InterimBackupEquipment, InterimWorkaround} }

// InterimBody records backup equipment or a workaround. Backup equipment
// names the unit to lend (loans.go); cases from before loans take it
// without one, as their histories recorded (see rules.State.Lending).
type InterimBody struct {
	Kind        string         `json:"kind" validate:"required,enum=interim_kind"`
	Description string         `json:"description" validate:"required,max=10000" text:"multiline"`
	Backup      *BackupRequest `json:"backup,omitempty" validate:"omitempty,excluded_unless=Kind backup_equipment"`
}
