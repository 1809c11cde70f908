package complaint

import (
	"encoding/json"
	"time"
)

// Event is one timeline entry. Seq numbers a case's events from 1 and keys
// the store's append-only timeline, so a retried write lands once.
type Event struct {
	Seq        int64           `json:"seq"`
	Kind       string          `json:"kind"` // one of EventKinds
	Actor      Actor           `json:"actor"`
	Payload    json.RawMessage `json:"payload"`
	OccurredAt time.Time       `json:"occurred_at"`
	// UpdateID is the id of the Temporal update that applied a step, kept
	// with the event so the API can tell a retried Idempotency-Key from one
	// reused with another body. The timeline does not show it.
	UpdateID string `json:"update_id,omitempty"`
	// RMA names the return or exchange an event of a linked RMA belongs to,
	// on a complaint's timeline (Seq is then the RMA's); nil for the
	// complaint's own events.
	RMA *RMARef `json:"rma,omitempty"`
}

// Timeline event kinds of the lifecycle's steps.
const (
	EventRegistered          = "registered"
	EventContacted           = "contacted"
	EventConfirmed           = "confirmed"
	EventAnalyzed            = "analyzed"
	EventMeasuresProposed    = "measures_proposed"
	EventAgreed              = "agreed"
	EventApproved            = "approved"
	EventRejected            = "rejected"
	EventProgressReported    = "progress_reported"
	EventCorrectiveActionSet = "corrective_action_set"
	EventResolved            = "resolved"
	EventClosed              = "closed"
	EventWithdrawn           = "withdrawn"
)

// Timeline event kinds of the service levels.
const (
	EventOnsite         = "onsite"
	EventPaused         = "paused"
	EventResumed        = "resumed"
	EventInterim        = "interim_provided"
	EventClockWarning   = "clock_warning"
	EventClockBreached  = "clock_breached"
	EventClockEscalated = "clock_escalated"
)

// Timeline event kinds of paid service.
const (
	EventQuoted            = "quoted"
	EventQuoteDecided      = "quote_decided"
	EventPaidServiceWaived = "paid_service_waived"
)

// Timeline event kinds of field service.
const (
	EventEngineersAssigned   = "engineers_assigned"
	EventVisitPlanned        = "visit_planned"
	EventCheckedIn           = "checked_in"
	EventCheckedOut          = "checked_out"
	EventServiceRecordFiled  = "service_record_filed"
	EventServiceRecordWaived = "service_record_waived"
	EventServiceRecordWarned = "service_record_warning"
	EventServiceRecordLate   = "service_record_overdue"
)

// Timeline event kinds of a case ended outside the API and reopened.
const (
	EventTerminated = "terminated"
	EventReopened   = "reopened"
)

// EventRecurrenceFound records that a complaint repeats earlier cases
// (rules.MarkRecurrence).
const EventRecurrenceFound = "recurrence_found"

// EventKinds lists every timeline event kind, in the order the API
// documents them.
func EventKinds() []string {
	return []string{EventRegistered, EventContacted, EventConfirmed, EventAnalyzed, EventMeasuresProposed,
		EventAgreed, EventApproved, EventRejected, EventProgressReported, EventCorrectiveActionSet,
		EventResolved, EventClosed, EventWithdrawn,
		EventOnsite, EventPaused, EventResumed, EventInterim, EventClockWarning, EventClockBreached,
		EventClockEscalated,
		EventQuoted, EventQuoteDecided, EventPaidServiceWaived,
		EventEngineersAssigned, EventVisitPlanned, EventCheckedIn, EventCheckedOut, EventServiceRecordFiled,
		EventServiceRecordWaived, EventServiceRecordWarned, EventServiceRecordLate,
		EventUnitLent, EventUnitReturned, EventLoanConverted, EventLoanOverdue, EventLoanEscalated,
		EventTerminated, EventReopened, EventRecurrenceFound,
		// The events of the RMAs linked to the case (rma_vocabulary.go).
		EventRMARequested, EventRMAApproved, EventRMARejected, EventRMAReceived, EventRMAInspected,
		EventRMACompleted, EventRMAReceiptMissed}
}
