package workflows

import (
	"fmt"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/followup"
)

// The follow-up workflow's messages, named as in the API's paths
// (POST /api/v1/followups/{id}/<step>; the survey's answer comes through
// /survey/{token}).
var (
	// UpdateFollowupRegistration answers with the follow-up once it is in
	// the store (update-with-start, as a CAPA's opening).
	UpdateFollowupRegistration = UpdateNoArg[complaint.Followup]{Name: "followup-registration"}
	// QueryFollowup answers with the current follow-up.
	QueryFollowup = Query[complaint.Followup]{Name: "followup"}

	UpdateFollowupDone   = Update[FollowupDoneRequest, FollowupStepResult]{Name: complaint.FollowupStepDone}
	UpdateFollowupCancel = Update[FollowupCancelRequest, FollowupStepResult]{Name: complaint.FollowupStepCancel}
	// UpdateSurveyAnswer is the customer's answer; its actor is
	// followup.SurveyActor, which the API signs once the link checks out.
	UpdateSurveyAnswer = Update[SurveyAnswerRequest, FollowupStepResult]{Name: complaint.FollowupStepSurvey}
)

// The argument of each follow-up step: who acts, the body, the API's
// signature.
type (
	FollowupDoneRequest   = Step[complaint.FollowupDoneBody]
	FollowupCancelRequest = Step[complaint.FollowupCancelBody]
	SurveyAnswerRequest   = Step[complaint.SurveyAnswerBody]
)

// FollowupStepResult is what a step answers: the follow-up after the step
// (in the store by then) and the event that recorded it.
type FollowupStepResult struct {
	complaint.Followup
	Event *complaint.Event `json:"event,omitempty"`
}

// FollowupInput starts a follow-up's workflow: the plan (its id, body and
// when it appears), who opened it, and the policy it runs by (recorded by
// a local activity when left out). Opened through the API it is signed
// for the workflow id; opened by the system (BySystem) the workflow checks
// that its parent is one of caseflow's planners: the case it follows, the
// follow-up whose survey it answers, or a planning run.
type FollowupInput struct {
	Plan followup.Plan `json:"plan"`
	// Closed, for a case's post-close call, is the case that closed: the
	// call's plan is made from it by the policy the follow-up records.
	Closed    *followup.ClosedCase `json:"closed,omitempty"`
	OpenedBy  complaint.Actor      `json:"opened_by"`
	BySystem  bool                 `json:"by_system,omitempty"`
	Policy    *followup.Policy     `json:"policy,omitempty"`
	Signature *actorsig.Signature  `json:"signature,omitempty"`
}

// Signed returns the input with OpenedBy signed for the workflow id.
func (in FollowupInput) Signed(keys *actorsig.Keyring, workflowID string) (FollowupInput, error) {
	in.Signature = nil
	sig, err := keys.Sign(workflowID, UpdateFollowupRegistration.Name, in.OpenedBy, in)
	if err != nil {
		return in, err
	}
	in.Signature = sig
	return in, nil
}

// FollowupSummary is the one-line static summary of the Web UI's workflow
// list: the kind and the due time, never the customer's name.
func FollowupSummary(in FollowupInput) string {
	if in.Closed != nil {
		return "Post-close call of complaint " + in.Closed.ComplaintID
	}
	return fmt.Sprintf("Follow-up %s, due %s", in.Plan.Body.Kind, in.Plan.Body.DueAt.Format("2006-01-02 15:04 MST"))
}

// The feedback workflow's messages (POST /api/v1/feedback and
// POST /api/v1/feedback/{id}/answer).
var (
	UpdateFeedbackRegistration = UpdateNoArg[complaint.Feedback]{Name: "feedback-registration"}
	QueryFeedback              = Query[complaint.Feedback]{Name: "feedback"}
	UpdateFeedbackAnswer       = Update[FeedbackAnswerRequest, FeedbackStepResult]{Name: complaint.FeedbackStepAnswer}
)

// FeedbackAnswerRequest is the argument of answer.
type FeedbackAnswerRequest = Step[complaint.FeedbackAnswerBody]

// FeedbackStepResult is what answer answers: the feedback after it and the
// event that recorded it.
type FeedbackStepResult struct {
	complaint.Feedback
	Event *complaint.Event `json:"event,omitempty"`
}

// FeedbackInput starts feedback's workflow: the body as the API checked
// it, who logged it (signed for the workflow id) and its response time
// (recorded by a local activity when zero).
type FeedbackInput struct {
	ID        string                 `json:"id"`
	Body      complaint.FeedbackBody `json:"body"`
	LoggedBy  complaint.Actor        `json:"logged_by"`
	Signature *actorsig.Signature    `json:"signature,omitempty"`
}

// Signed returns the input with LoggedBy signed for the workflow id.
func (in FeedbackInput) Signed(keys *actorsig.Keyring, workflowID string) (FeedbackInput, error) {
	in.Signature = nil
	sig, err := keys.Sign(workflowID, UpdateFeedbackRegistration.Name, in.LoggedBy, in)
	if err != nil {
		return in, err
	}
	in.Signature = sig
	return in, nil
}

// FeedbackSummary is the Web UI's one-line summary: kind and department.
func FeedbackSummary(in FeedbackInput) string {
	return fmt.Sprintf("Feedback %s for %s", in.Body.Kind, in.Body.RoutedTo)
}
