package followup_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
	"github.com/caseflow/caseflow/followup"
)

var (
	// 09:00 in Shanghai on 30 November 2026.
	now      = time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	shanghai = mustZone("Asia/Shanghai")
	desk     = complaint.Actor{UserID: "as1", Department: complaint.DepartmentAfterSales, Roles: []string{complaint.RoleAgent}}
	deskHead = complaint.Actor{UserID: "as9", Department: complaint.DepartmentAfterSales,
		Roles: []string{complaint.RoleSupervisor}}
	branch    = complaint.Actor{UserID: "b1", Department: complaint.DepartmentBranchOffice, Roles: []string{complaint.RoleAgent}}
	branchTwo = complaint.Actor{UserID: "b2", Department: complaint.DepartmentBranchOffice, Roles: []string{complaint.RoleAgent}}
	sales     = complaint.Actor{UserID: "s1", Department: complaint.DepartmentSales, Roles: []string{complaint.RoleAgent}}
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func call(kind string) complaint.FollowupOpenBody {
	return complaint.FollowupOpenBody{Kind: kind, CustomerID: "C-1", Serial: "SN-1", ComplaintID: "c-1",
		DueAt: now.Add(48 * time.Hour)}
}

func refusalOf(t *testing.T, err error) *rules.Refusal {
	t.Helper()
	var r *rules.Refusal
	require.True(t, errors.As(err, &r), "want a refusal, got %v", err)
	return r
}

func TestOpening(t *testing.T) {
	f, err := followup.Open("f1", desk, call(complaint.FollowupPostCloseCall), false, now)
	require.NoError(t, err)
	require.Equal(t, complaint.FollowupOpen, f.Stage)
	require.Equal(t, complaint.DepartmentAfterSales, f.OwnerDepartment, "after-sales owns a call by default")
	require.Equal(t, []string{complaint.FollowupStepDone, complaint.FollowupStepCancel}, f.AllowedSteps)

	b := call(complaint.FollowupAnnualSurvey)
	b.BranchOffice = "Wuxi"
	f, err = followup.Open("f2", branch, b, false, now)
	require.NoError(t, err)
	require.Equal(t, complaint.DepartmentBranchOffice, f.OwnerDepartment, "a branch office owns its region's customers")

	tests := []struct {
		name     string
		actor    complaint.Actor
		bySystem bool
		body     func(*complaint.FollowupOpenBody)
		kind     rules.RefusalKind
		field    string
	}{
		{"sales opens no follow-up", sales, false, nil, rules.Forbidden, ""},
		{"a follow-up names its customer", desk, false, func(b *complaint.FollowupOpenBody) { b.CustomerID = "" },
			rules.Invalid, "customer_id"},
		{"an unknown kind", desk, false, func(b *complaint.FollowupOpenBody) { b.Kind = "chat" }, rules.Invalid, "kind"},
		{"a due time in the past", desk, false, func(b *complaint.FollowupOpenBody) { b.DueAt = now.Add(-time.Hour) },
			rules.Invalid, "due_at"},
		{"a delivery call names its equipment", desk, false, func(b *complaint.FollowupOpenBody) {
			b.Kind, b.Serial = complaint.FollowupDeliveryCall, ""
		}, rules.Invalid, "serial"},
		{"a post-close call names its case", desk, false, func(b *complaint.FollowupOpenBody) { b.ComplaintID = "" },
			rules.Invalid, "complaint_id"},
		{"quality owns no follow-up", desk, false, func(b *complaint.FollowupOpenBody) {
			b.OwnerDepartment = complaint.DepartmentQuality
		}, rules.Invalid, "owner_department"},
		{"the system's plan still checks its body", sales, true, func(b *complaint.FollowupOpenBody) { b.Kind = "" },
			rules.Invalid, "kind"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := call(complaint.FollowupPostCloseCall)
			if tc.body != nil {
				tc.body(&b)
			}
			_, err := followup.Open("f", tc.actor, b, tc.bySystem, now)
			r := refusalOf(t, err)
			require.Equal(t, tc.kind, r.Kind, r.Message)
			if tc.field != "" {
				require.Contains(t, r.Fields, tc.field)
			}
		})
	}

	late := call(complaint.FollowupDeliveryCall)
	late.DueAt = now.Add(-24 * time.Hour)
	_, err = followup.Open("f3", complaint.Actor{UserID: "caseflow"}, late, true, now)
	require.NoError(t, err, "a plan caught up late is still owed")
}

func TestSteps(t *testing.T) {
	open := func(kind string, owner string) *complaint.Followup {
		b := call(kind)
		b.Owner = owner
		f, err := followup.Open("f1", desk, b, false, now)
		require.NoError(t, err)
		return &f
	}
	tests := []struct {
		name  string
		kind  string
		owner string
		actor complaint.Actor
		body  complaint.FollowupDoneBody
		want  rules.RefusalKind // "" admits
		field string
	}{
		{"after-sales makes its call", complaint.FollowupPostCloseCall, "", desk,
			complaint.FollowupDoneBody{Note: "ok", SendSurvey: true}, "", ""},
		{"a named owner's call is theirs", complaint.FollowupPostCloseCall, "as2", desk,
			complaint.FollowupDoneBody{Note: "ok"}, rules.Forbidden, ""},
		{"the after-sales supervisor answers for every call", complaint.FollowupPostCloseCall, "as2", deskHead,
			complaint.FollowupDoneBody{Note: "ok"}, "", ""},
		{"a branch office does not make after-sales' call", complaint.FollowupPostCloseCall, "", branch,
			complaint.FollowupDoneBody{Note: "ok"}, rules.Forbidden, ""},
		{"a visit is done with its written report", complaint.FollowupKeyCustomerVisit, "", desk,
			complaint.FollowupDoneBody{Note: "visited"}, rules.Invalid, "report"},
		{"a delivery call sends no survey", complaint.FollowupDeliveryCall, "", desk,
			complaint.FollowupDoneBody{Note: "ok", SendSurvey: true}, rules.Invalid, "send_survey"},
		{"a complaint is raised from issues found", complaint.FollowupPostCloseCall, "", desk,
			complaint.FollowupDoneBody{Note: "ok", RaiseComplaint: &complaint.FollowupComplaint{ContactName: "Li",
				Description: "leaks again"}}, rules.Invalid, "raise_complaint"},
		{"a satisfaction is 1 to 5", complaint.FollowupPostCloseCall, "", desk,
			complaint.FollowupDoneBody{Note: "ok", Satisfaction: new(6)}, rules.Invalid, "satisfaction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := open(tc.kind, tc.owner)
			err := followup.Done.Admit(f, tc.actor, tc.body)
			if tc.want == "" {
				require.NoError(t, err)
				require.Equal(t, complaint.EventFollowupDone, followup.Done.Take(f, tc.actor, tc.body, now))
				require.Equal(t, complaint.FollowupDone, f.Stage)
				require.Empty(t, f.AllowedSteps)
				return
			}
			r := refusalOf(t, err)
			require.Equal(t, tc.want, r.Kind, r.Message)
			if tc.field != "" {
				require.Contains(t, r.Fields, tc.field)
			}
		})
	}

	f := open(complaint.FollowupAnnualSurvey, "")
	f.OwnerDepartment = complaint.DepartmentBranchOffice
	require.NoError(t, followup.Cancel.Admit(f, branchTwo, complaint.FollowupCancelBody{Reason: "closed down"}),
		"any agent of the owning branch desk cancels an unassigned one")
	followup.Cancel.Take(f, branchTwo, complaint.FollowupCancelBody{Reason: "closed down"}, now)
	r := refusalOf(t, followup.Done.Admit(f, branchTwo, complaint.FollowupDoneBody{Note: "x"}))
	require.Equal(t, rules.WrongStage, r.Kind, "a cancelled follow-up takes no done")
}

func TestTheClock(t *testing.T) {
	f, err := followup.Open("f1", desk, call(complaint.FollowupPostCloseCall), false, now)
	require.NoError(t, err)
	a, ok := followup.NextAlarm(f, false, 24*time.Hour)
	require.True(t, ok)
	require.Equal(t, followup.Alarm{Kind: complaint.NotificationFollowupDueSoon, At: now.Add(24 * time.Hour)}, a)
	a, ok = followup.NextAlarm(f, true, 24*time.Hour)
	require.True(t, ok)
	require.Equal(t, followup.Alarm{Kind: complaint.NotificationFollowupOverdue, At: now.Add(48 * time.Hour)}, a)
	a, _ = followup.NextAlarm(f, false, 72*time.Hour)
	require.Equal(t, complaint.NotificationFollowupOverdue, a.Kind, "a reminder due before it was opened is not owed")

	require.Equal(t, complaint.EventFollowupOverdue, followup.Ring(&f, a, now.Add(48*time.Hour)))
	require.True(t, f.Overdue)
	_, ok = followup.NextAlarm(f, true, 24*time.Hour)
	require.False(t, ok, "an overdue follow-up escalates once")
	require.Equal(t, []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}},
		followup.AlarmRecipients(f, complaint.NotificationFollowupOverdue))
	f.Owner = "as2"
	require.Equal(t, []rules.Recipient{{UserID: "as2"}}, followup.AlarmRecipients(f, complaint.NotificationFollowupDueSoon))
	for key, value := range followup.Facts(f) {
		require.NotContains(t, value, "Li", "no names in a notice's facts: %s", key)
	}
}

func TestTheSurvey(t *testing.T) {
	f, err := followup.Open("f1", desk, call(complaint.FollowupPostCloseCall), false, now)
	require.NoError(t, err)
	customer := followup.SurveyActor("f1")
	seven := 7
	answer := complaint.SurveyAnswerBody{Satisfaction: 2, WouldRecommend: &seven}
	require.Equal(t, rules.WrongStage, refusalOf(t, followup.AdmitAnswer(&f, customer, answer, now)).Kind,
		"no survey was sent")
	expires := now.Add(30 * 24 * time.Hour)
	require.Equal(t, complaint.EventSurveySent,
		followup.RecordSurvey(&f, followup.SurveyDelivery{Sent: true, SentAt: now, ExpiresAt: expires}, now))

	require.Equal(t, rules.Forbidden, refusalOf(t, followup.AdmitAnswer(&f, desk, answer, now)).Kind,
		"staff do not answer the customer's survey")
	require.Equal(t, rules.Forbidden, refusalOf(t, followup.AdmitAnswer(&f, followup.SurveyActor("f2"), answer, now)).Kind,
		"another follow-up's link answers only its own")
	bad := complaint.SurveyAnswerBody{Satisfaction: 6}
	r := refusalOf(t, followup.AdmitAnswer(&f, customer, bad, now))
	require.Equal(t, rules.Invalid, r.Kind)
	require.Contains(t, r.Fields, "satisfaction")
	require.Contains(t, r.Fields, "would_recommend")
	require.Equal(t, rules.WrongStage, refusalOf(t, followup.AdmitAnswer(&f, customer, answer, expires)).Kind,
		"an expired link takes no answer")

	require.NoError(t, followup.AdmitAnswer(&f, customer, answer, now))
	require.Equal(t, complaint.EventSurveyAnswered, followup.TakeAnswer(&f, answer, now))
	require.True(t, followup.LowScore(answer))
	require.False(t, followup.LowScore(complaint.SurveyAnswerBody{Satisfaction: 3}))
	require.Equal(t, rules.WrongStage, refusalOf(t, followup.AdmitAnswer(&f, customer, answer, now)).Kind,
		"a link works once")
	_, ok := followup.ExpireSurvey(&f, expires)
	require.False(t, ok, "an answered survey does not expire")

	unsent := complaint.Followup{ID: "f3"}
	require.Equal(t, complaint.EventSurveyUnsent,
		followup.RecordSurvey(&unsent, followup.SurveyDelivery{Reason: "no address"}, now))
	require.False(t, followup.SurveyWaiting(unsent))
	require.NotEqual(t, "token", followup.TokenHash("token"))
	require.Len(t, followup.TokenHash("token"), 64)
}
