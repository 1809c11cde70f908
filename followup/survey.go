package followup

import (
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// SurveyActor is who answers a follow-up's survey: the customer holding
// its link. The API vouches for it once the link's token checks out, and
// the workflow takes a survey answer from no one else.
func SurveyActor(followupID string) complaint.Actor {
	return complaint.Actor{UserID: "survey:" + followupID, Name: "customer"}
}

// SurveyDelivery is what sending a survey came to: sent with its expiry,
// or not sent and why.
type SurveyDelivery struct {
	Sent      bool      `json:"sent"`
	Reason    string    `json:"reason,omitempty"`
	SentAt    time.Time `json:"sent_at"`
	ExpiresAt time.Time `json:"expires_at"`
}

// RecordSurvey records the sending on f and names the event.
func RecordSurvey(f *complaint.Followup, d SurveyDelivery, now time.Time) string {
	f.UpdatedAt = now
	if !d.Sent {
		f.Survey = &complaint.Survey{State: complaint.SurveyUnsent, Reason: d.Reason}
		return complaint.EventSurveyUnsent
	}
	sent, expires := d.SentAt, d.ExpiresAt
	f.Survey = &complaint.Survey{State: complaint.SurveySent, SentAt: &sent, ExpiresAt: &expires}
	return complaint.EventSurveySent
}

// surveyClosed words the refusal of an answer to a survey that waits for
// none (answered, expired, never sent).
const surveyClosed = "this survey does not take an answer"

// AdmitAnswer refuses an answer that is not the customer's through the
// link, that comes when the survey waits for none (answered, expired, not
// sent: a conflict), or whose fields break the rules.
func AdmitAnswer(f *complaint.Followup, a complaint.Actor, b complaint.SurveyAnswerBody, now time.Time) error {
	if a.UserID != SurveyActor(f.ID).UserID {
		return &rules.Refusal{Kind: rules.Forbidden, Message: "a survey is answered by its customer, through its link"}
	}
	s := f.Survey
	if s == nil || s.State != complaint.SurveySent || (s.ExpiresAt != nil && !now.Before(*s.ExpiresAt)) {
		state := "none"
		if s != nil {
			state = s.State
		}
		return &rules.Refusal{Kind: rules.WrongStage, Message: surveyClosed + " (survey " + state + ")",
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(f.Stage), AllowedSteps: []string{}}}
	}
	if problems := complaint.BodyProblems(b); len(problems) > 0 {
		return invalidFields("the answer has invalid fields", problems)
	}
	return nil
}

// TakeAnswer records the answer, which AdmitAnswer allowed, and names the
// event.
func TakeAnswer(f *complaint.Followup, b complaint.SurveyAnswerBody, now time.Time) string {
	answer := b
	if b.WouldRecommend != nil {
		v := *b.WouldRecommend
		answer.WouldRecommend = &v
	}
	at := now
	f.Survey.State, f.Survey.Answer, f.Survey.AnsweredAt = complaint.SurveyAnswered, &answer, &at
	f.UpdatedAt = now
	return complaint.EventSurveyAnswered
}

// LowScore reports whether an answer calls for the supervisor and a
// recovery call: a satisfaction of 1 or 2.
func LowScore(b complaint.SurveyAnswerBody) bool { return b.Satisfaction <= 2 }

// ExpireSurvey closes a survey nobody answered by its expiry, naming the
// event; ok false when it is not waiting.
func ExpireSurvey(f *complaint.Followup, now time.Time) (string, bool) {
	if f.Survey == nil || f.Survey.State != complaint.SurveySent {
		return "", false
	}
	f.Survey.State = complaint.SurveyExpired
	f.UpdatedAt = now
	return complaint.EventSurveyExpired, true
}

// SurveyWaiting reports whether f waits for its customer's answer.
func SurveyWaiting(f complaint.Followup) bool {
	return f.Survey != nil && f.Survey.State == complaint.SurveySent
}

// LowScoreRecipients are whom a low score reaches: the after-sales
// supervisors.
func LowScoreRecipients() []rules.Recipient {
	return []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}}
}

// TokenHash is how a survey link's token is kept and looked up: its
// SHA-256, in hex. The token itself is only in the customer's e-mail.
func TokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
