// Package feedback holds the rules of enquiries, suggestions and praise
// [1.(1).A, 1.(1).E, 2.(5).3], free of Temporal and of the database: who
// logs and answers them, what logging and answering check and change, and
// the response clock that escalates an unanswered one like a case's.
// workflows.FeedbackWorkflow is the durable shell that calls them.
package feedback

import (
	"fmt"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// staff is everyone who works with customers: any department's agents,
// engineers and supervisors log what they hear.
var staff = complaint.Grant{Roles: []string{complaint.RoleAgent, complaint.RoleEngineer, complaint.RoleSupervisor}}

// grants is who may take each step: the one table (auth.Policy takes the
// routes' rules from it); answering is narrowed to the department it is
// routed to (MayTake).
var grants = complaint.GrantTable{
	complaint.FeedbackStepLog:    {staff},
	complaint.FeedbackStepAnswer: {{Roles: []string{complaint.RoleAgent, complaint.RoleSupervisor}}},
}

// Grants is who may take step: the grants of the one table.
func Grants(step string) []complaint.Grant {
	return grants.Grants(step)
}

func granted(step string, a complaint.Actor) bool {
	return grants.Allows(step, a)
}

// Log is new feedback as the actor logs it, open and due respondWithin
// after now; or the refusal: the actor may not log (Forbidden), the body
// breaks its rules (Invalid, naming the field).
func Log(id string, a complaint.Actor, b complaint.FeedbackBody, respondWithin time.Duration, now time.Time) (complaint.Feedback, error) {
	if !granted(complaint.FeedbackStepLog, a) {
		return complaint.Feedback{}, &rules.Refusal{Kind: rules.Forbidden,
			Message: "enquiries and suggestions are logged by staff"}
	}
	if problems := complaint.BodyProblems(b); len(problems) > 0 {
		return complaint.Feedback{}, &rules.Refusal{Kind: rules.Invalid, Message: "the body has invalid fields",
			Fields: problems}
	}
	fb := complaint.Feedback{ID: id, Kind: b.Kind, Stage: complaint.FeedbackOpen, FromCustomerID: b.FromCustomerID,
		Text: b.Text, RoutedTo: b.RoutedTo, LoggedBy: a, LoggedAt: now, RespondBy: now.Add(respondWithin),
		UpdatedAt: now}
	if b.FromCustomerID == "" {
		fb.FromUserID = a.UserID
	}
	fb.AllowedSteps = AllowedSteps(fb)
	return fb, nil
}

// AllowedSteps lists the steps feedback takes: answer while open.
func AllowedSteps(fb complaint.Feedback) []string {
	if fb.Stage == complaint.FeedbackOpen {
		return []string{complaint.FeedbackStepAnswer}
	}
	return []string{}
}

// AdmitAnswer refuses an answer to feedback that is answered already
// (409), from outside the department it is routed to (403), or without
// text (422).
func AdmitAnswer(fb *complaint.Feedback, a complaint.Actor, b complaint.FeedbackAnswerBody) error {
	if fb.Stage != complaint.FeedbackOpen {
		return &rules.Refusal{Kind: rules.WrongStage, Message: "this feedback is answered already",
			Conflict: &complaint.StageConflict{Stage: complaint.Stage(fb.Stage), AllowedSteps: AllowedSteps(*fb)}}
	}
	if !granted(complaint.FeedbackStepAnswer, a) || a.Department != fb.RoutedTo {
		return &rules.Refusal{Kind: rules.Forbidden,
			Message: fmt.Sprintf("feedback routed to %s is answered by its agents and supervisors", fb.RoutedTo)}
	}
	if problems := complaint.BodyProblems(b); len(problems) > 0 {
		return &rules.Refusal{Kind: rules.Invalid, Message: "the body has invalid fields", Fields: problems}
	}
	return nil
}

// TakeAnswer records the answer, which AdmitAnswer allowed, and names the
// event.
func TakeAnswer(fb *complaint.Feedback, a complaint.Actor, b complaint.FeedbackAnswerBody, now time.Time) string {
	by, at := a, now
	fb.Answer, fb.AnsweredBy, fb.AnsweredAt = b.Answer, &by, &at
	fb.Stage, fb.Overdue = complaint.FeedbackAnswered, false
	fb.AllowedSteps = AllowedSteps(*fb)
	fb.UpdatedAt = now
	return complaint.EventFeedbackAnswered
}

// Overdue marks open feedback past its response time and names the event;
// ok false when it is answered or overdue already.
func Overdue(fb *complaint.Feedback, now time.Time) (string, bool) {
	if fb.Stage != complaint.FeedbackOpen || fb.Overdue {
		return "", false
	}
	fb.Overdue = true
	fb.UpdatedAt = now
	return complaint.EventFeedbackOverdue, true
}

// ReceivedRecipients are whom new feedback reaches: the agents and
// supervisors of the department it is routed to.
func ReceivedRecipients(fb complaint.Feedback) []rules.Recipient {
	return []rules.Recipient{{Role: complaint.RoleAgent, Department: fb.RoutedTo},
		{Role: complaint.RoleSupervisor, Department: fb.RoutedTo}}
}

// OverdueRecipients are whom unanswered feedback escalates to: its
// department's supervisors and the after-sales supervisors, who answer for
// every customer's voice.
func OverdueRecipients(fb complaint.Feedback) []rules.Recipient {
	to := []rules.Recipient{{Role: complaint.RoleSupervisor, Department: fb.RoutedTo}}
	if fb.RoutedTo != complaint.DepartmentAfterSales {
		to = append(to, rules.Recipient{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales})
	}
	return to
}

// Facts are what feedback's notices tell: its number, kind and department
// (never the text, which may name people).
func Facts(fb complaint.Feedback) map[string]string {
	return map[string]string{"feedback": fb.Number, "kind": fb.Kind, "routed_to": fb.RoutedTo,
		"respond_by": fb.RespondBy.Format(time.RFC3339)}
}
