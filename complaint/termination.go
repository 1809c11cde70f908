package complaint

import "time"

// StageTerminated is a case whose workflow was ended outside the API
// (terminated or cancelled in the Web UI or CLI, or timed out): nobody can
// take a step on it until an admin reopens it.
const StageTerminated Stage = "terminated"

// Stages are every stage a case can stand in, for filters.
func Stages() []string {
	return names(StageConfirm, StageAnalyze, StageNegotiate, StageApprove, StageRemediate, StageClosed,
		StageTerminated)
}

// How a workflow ended outside the API, as Temporal names its close status.
const (
	EndTerminated = "terminated"
	EndCanceled   = "canceled"
	EndTimedOut   = "timed_out"
)

// EndStatuses lists every way a workflow ends outside the API.
func EndStatuses() []string { return []string{EndTerminated, EndCanceled, EndTimedOut} }

// Termination says who ended a case's workflow outside the API, why and
// when, as read from the workflow's history.
type Termination struct {
	// Status is how the workflow ended: terminated, canceled or timed_out.
	Status string `json:"status"`
	// By names the Temporal identity that ended it (the Web UI's user, a
	// CLI's host); a timeout has the system as actor.
	By     Actor     `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
	// Stage is where the case stood, where a reopen resumes it.
	Stage Stage `json:"stage"`
	// RunID is the workflow run that ended.
	RunID string `json:"run_id"`
}

// ReopenBody is the body of an admin's reopen of a terminated case.
type ReopenBody struct {
	Reason string `json:"reason" validate:"required,max=10000" text:"multiline"`
}
