package feedback_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/feedback"
)

var (
	now      = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	engineer = complaint.Actor{UserID: "t1", Department: complaint.DepartmentTechnical, Roles: []string{complaint.RoleEngineer}}
	quality  = complaint.Actor{UserID: "q1", Department: complaint.DepartmentQuality, Roles: []string{complaint.RoleAgent}}
	head     = complaint.Actor{UserID: "q9", Department: complaint.DepartmentQuality, Roles: []string{complaint.RoleSupervisor}}
	viewer   = complaint.Actor{UserID: "v1", Department: complaint.DepartmentQuality, Roles: []string{complaint.RoleApprover}}
)

func suggestion() complaint.FeedbackBody {
	return complaint.FeedbackBody{Kind: complaint.FeedbackSuggestion, FromCustomerID: "C-1",
		Text: "label the valves by size", RoutedTo: complaint.DepartmentQuality}
}

func refusalKind(t *testing.T, err error) rules.RefusalKind {
	t.Helper()
	var r *rules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	return r.Kind
}

func TestLoggingAndAnswering(t *testing.T) {
	fb, err := feedback.Log("f1", engineer, suggestion(), 2*time.Hour, now)
	require.NoError(t, err)
	require.Equal(t, complaint.FeedbackOpen, fb.Stage)
	require.Equal(t, now.Add(2*time.Hour), fb.RespondBy, "answered within the policy's response time")
	require.Empty(t, fb.FromUserID, "it comes from the customer")

	staff := suggestion()
	staff.FromCustomerID = ""
	own, err := feedback.Log("f2", engineer, staff, time.Hour, now)
	require.NoError(t, err)
	require.Equal(t, "t1", own.FromUserID, "without a customer it comes from whoever logs it")

	bad := suggestion()
	bad.Kind, bad.RoutedTo = "gossip", "canteen"
	_, err = feedback.Log("f3", engineer, bad, time.Hour, now)
	require.Equal(t, rules.Invalid, refusalKind(t, err))
	_, err = feedback.Log("f3", viewer, suggestion(), time.Hour, now)
	require.Equal(t, rules.Forbidden, refusalKind(t, err), "an approver only approves")

	ans := complaint.FeedbackAnswerBody{Answer: "done from the next batch"}
	require.Equal(t, rules.Forbidden, refusalKind(t, feedback.AdmitAnswer(&fb, engineer, ans)),
		"the department it is routed to answers")
	require.Equal(t, rules.Invalid, refusalKind(t, feedback.AdmitAnswer(&fb, quality, complaint.FeedbackAnswerBody{})))
	require.NoError(t, feedback.AdmitAnswer(&fb, head, ans))
	require.Equal(t, complaint.EventFeedbackAnswered, feedback.TakeAnswer(&fb, quality, ans, now.Add(time.Hour)))
	require.Equal(t, complaint.FeedbackAnswered, fb.Stage)
	require.Equal(t, rules.WrongStage, refusalKind(t, feedback.AdmitAnswer(&fb, quality, ans)), "answered once")
	_, ok := feedback.Overdue(&fb, now.Add(3*time.Hour))
	require.False(t, ok, "answered feedback does not escalate")
}

func TestUnansweredFeedbackEscalates(t *testing.T) {
	fb, err := feedback.Log("f1", engineer, suggestion(), 2*time.Hour, now)
	require.NoError(t, err)
	kind, ok := feedback.Overdue(&fb, fb.RespondBy)
	require.True(t, ok)
	require.Equal(t, complaint.EventFeedbackOverdue, kind)
	require.True(t, fb.Overdue)
	_, ok = feedback.Overdue(&fb, fb.RespondBy)
	require.False(t, ok, "once")
	require.Equal(t, []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentQuality},
		{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}}, feedback.OverdueRecipients(fb))
	require.NotContains(t, feedback.Facts(fb), "text", "a notice never repeats what was said")
}
