// Package followup holds the rules of follow-ups [1.(1).G, 1.(2).E–F,
// 2.(4).e, 2.(5).1], free of Temporal and of the database: who opens and
// takes each step, what each step checks and changes, the survey a step may
// send, the clock (a reminder before the due time, the escalation once
// overdue), and the plans that open follow-ups on their own (a call after a
// delivery or a closed case, the yearly survey and key-customer visit).
// workflows.FollowupWorkflow is the durable shell that calls them; their
// refusals are complaint/rules refusals, mapped as a complaint's.
package followup

import (
	"errors"
	"time"
)

// Policy is the arithmetic of follow-ups, configured once for the company
// (CASEFLOW_FOLLOWUP_*); the workflows record it in their histories when
// they start, so changing it later moves no running task.
type Policy struct {
	// DeliveryCallAfter is how long after a delivery the customer is
	// called [1.(1).G]: the call appears then.
	DeliveryCallAfter time.Duration `json:"delivery_call_after"`
	// PostCloseAfter is how long after a case closes the customer is
	// called back [1.(2).F]: the call appears then.
	PostCloseAfter time.Duration `json:"post_close_after"`
	// CallWindow is how long a call has from appearing until it is due.
	CallWindow time.Duration `json:"call_window"`
	// SurveyWindow is how long the yearly survey has; VisitWindow the
	// yearly key-customer visit.
	SurveyWindow time.Duration `json:"survey_window"`
	VisitWindow  time.Duration `json:"visit_window"`
	// RecoveryWithin is how soon an unhappy customer is called back.
	RecoveryWithin time.Duration `json:"recovery_within"`
	// ReminderLead is how long before its due time the owner is reminded.
	ReminderLead time.Duration `json:"reminder_lead"`
	// SurveyValidFor is how long a survey link works.
	SurveyValidFor time.Duration `json:"survey_valid_for"`
	// FeedbackRespondWithin is the response time of an enquiry or a
	// suggestion: the respond clock of the standard service level.
	FeedbackRespondWithin time.Duration `json:"feedback_respond_within"`
}

const day = 24 * time.Hour

// DefaultPolicy is the policy's own figures: a call 7 days after delivery
// and 3 days after a case closes, two days to make it, a day's reminder,
// links valid for 30 days, enquiries answered within 2 hours.
func DefaultPolicy() Policy {
	return Policy{DeliveryCallAfter: 7 * day, PostCloseAfter: 3 * day, CallWindow: 2 * day, SurveyWindow: 30 * day,
		VisitWindow: 180 * day, RecoveryWithin: day, ReminderLead: day, SurveyValidFor: 30 * day,
		FeedbackRespondWithin: 2 * time.Hour}
}

// Check refuses a policy with a duration that is not positive.
func (p Policy) Check() error {
	for name, d := range map[string]time.Duration{"delivery_call_after": p.DeliveryCallAfter,
		"post_close_after": p.PostCloseAfter, "call_window": p.CallWindow, "survey_window": p.SurveyWindow,
		"visit_window": p.VisitWindow, "recovery_within": p.RecoveryWithin, "reminder_lead": p.ReminderLead,
		"survey_valid_for": p.SurveyValidFor, "feedback_respond_within": p.FeedbackRespondWithin} {
		if d <= 0 {
			return errors.New("follow-up policy: " + name + " must be positive")
		}
	}
	return nil
}
