package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/feedback"
	"github.com/caseflow/caseflow/followup"
)

// personal is what a follow-up or feedback may carry that no notice may
// show: names, a phone number, an e-mail address, free text.
var personal = []string{"王芳", "13800138000", "wang.fang@example.com", "设备漏水", "leaks"}

func sampleFollowup() complaint.Followup {
	return complaint.Followup{ID: "fu-0042", Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupOpen,
		CustomerID: "C-1001", ComplaintID: "cmp-77", Serial: "SN-9", Owner: "u-agent",
		OwnerDepartment: complaint.DepartmentAfterSales, DueAt: time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC),
		Note:     "王芳 13800138000 wang.fang@example.com 设备漏水 leaks",
		OpenedBy: complaint.Actor{UserID: "u-1", Name: "王芳"}, OpenedAt: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)}
}

func TestRenderFollowupNotices(t *testing.T) {
	f := sampleFollowup()
	lowScore := followup.Facts(f)
	lowScore["satisfaction"], lowScore["would_recommend"], lowScore["recovery_followup"] = "2", "3", "fu-0043"
	fb := complaint.Feedback{ID: "fb-1", Number: "FB-2026-000007", Kind: complaint.FeedbackEnquiry,
		Stage: complaint.FeedbackOpen, FromCustomerID: "C-1001", Text: "王芳 13800138000 设备漏水 leaks",
		RoutedTo: complaint.DepartmentTechnical, LoggedBy: complaint.Actor{UserID: "u-2", Name: "王芳"},
		RespondBy: time.Date(2026, 5, 6, 17, 0, 0, 0, time.UTC)}

	for _, tc := range []struct {
		name        string
		n           complaint.Notification
		wantSubject string
		want        []string // in the text
	}{
		{"a follow-up due soon tells its owner, in both languages",
			complaint.Notification{CaseNumber: f.ID, Kind: complaint.NotificationFollowupDueSoon, Level: 1,
				DueAt: f.DueAt, Facts: followup.Facts(f)},
			"[回访即将到期 follow-up due soon] fu-0042 结案回访须于 2026-05-04T09:00:00Z 前完成 / post-close call due 2026-05-04T09:00:00Z",
			[]string{"回访任务 fu-0042（结案回访）须于 2026-05-04T09:00:00Z 前完成",
				"Follow-up fu-0042 (post-close call) is due at 2026-05-04T09:00:00Z",
				"客户编号 / Customer ID: C-1001", "投诉编号 / Complaint ID: cmp-77", "序列号 / Serial: SN-9"}},
		{"an overdue follow-up escalates",
			complaint.Notification{CaseNumber: f.ID, Kind: complaint.NotificationFollowupOverdue, Level: 1,
				DueAt: f.DueAt, Facts: followup.Facts(f)},
			"[回访逾期 follow-up overdue] fu-0042 结案回访已超过 2026-05-04T09:00:00Z / post-close call past its due time 2026-05-04T09:00:00Z",
			[]string{"回访任务 fu-0042（结案回访）已超过到期时间 2026-05-04T09:00:00Z 仍未完成",
				"Follow-up fu-0042 (post-close call) was due at 2026-05-04T09:00:00Z and is not done"}},
		{"a low survey score names the score and the recovery call",
			complaint.Notification{CaseNumber: f.ID, Kind: complaint.NotificationSurveyLowScore, Level: 1, Facts: lowScore},
			"[满意度低分 low survey score] fu-0042 客户评分 2/5 / the customer scored 2 of 5",
			[]string{"客户对回访 fu-0042（结案回访）的调查给出了 2 分的满意度", "请安排挽回回访",
				"with a satisfaction of 2 of 5", "recovery call", "推荐意愿（0–10） / Would recommend (0–10): 3",
				"挽回回访 / Recovery call: fu-0043"}},
		{"a low survey score without the score still reads",
			complaint.Notification{CaseNumber: f.ID, Kind: complaint.NotificationSurveyLowScore, Level: 1, Facts: followup.Facts(f)},
			"[满意度低分 low survey score] fu-0042 客户不满意 / the customer is not satisfied",
			[]string{"给出了低满意度", "with a low satisfaction"}},
		{"feedback received goes to its department",
			complaint.Notification{CaseNumber: fb.Number, Kind: complaint.NotificationFeedbackReceived, Level: 1,
				DueAt: fb.RespondBy, Facts: feedback.Facts(fb)},
			"[新咨询 new enquiry] FB-2026-000007 请于 2026-05-06T17:00:00Z 前答复 / please answer by 2026-05-06T17:00:00Z",
			[]string{"咨询 FB-2026-000007 已转交技术部", "Enquiry FB-2026-000007 was routed to the technical center",
				"answer it by 2026-05-06T17:00:00Z"}},
		{"unanswered feedback escalates",
			complaint.Notification{CaseNumber: fb.Number, Kind: complaint.NotificationFeedbackOverdue, Level: 1,
				DueAt: fb.RespondBy, Facts: feedback.Facts(fb)},
			"[反馈逾期 feedback overdue] FB-2026-000007 超过答复期限 2026-05-06T17:00:00Z / not answered by 2026-05-06T17:00:00Z",
			[]string{"咨询 FB-2026-000007（转交技术部）应于 2026-05-06T17:00:00Z 前答复", "至今未答复",
				"Enquiry FB-2026-000007 (routed to the technical center) was to be answered by 2026-05-06T17:00:00Z"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, text := Render(tc.n)
			require.Equal(t, tc.wantSubject, subject)
			for _, w := range tc.want {
				require.Contains(t, text, w)
			}
			// Chinese first, then English, in the subject and the lead.
			lead, _, _ := strings.Cut(text, "\n\n")
			zh, en, ok := strings.Cut(lead, "\n")
			require.True(t, ok, "a Chinese line, then an English one: %q", lead)
			require.True(t, hasHan(zh), zh)
			require.False(t, hasHan(en), en)
			require.True(t, hasHan(subject))
			require.NotContains(t, text, "Due:", "the lead tells the due time")
			for _, p := range personal {
				require.NotContains(t, subject+text, p)
			}
		})
	}
}

func TestFollowupKindsHaveLabels(t *testing.T) {
	for _, k := range complaint.FollowupKinds() {
		l := followupKindLabel(k)
		require.True(t, hasHan(l.zh), k)
		require.NotEqual(t, k, l.en, k)
	}
	for _, k := range complaint.FeedbackKinds() {
		l := feedbackKindLabel(k)
		require.True(t, hasHan(l.zh), k)
	}
	for _, d := range complaint.Departments() {
		require.True(t, hasHan(departmentLabel(d).zh), d)
	}
	require.Equal(t, bilingual{"new_kind", "new_kind"}, followupKindLabel("new_kind"), "a newer kind shows as itself")
}

func TestNewKindsAreNotificationKinds(t *testing.T) {
	for _, k := range []string{complaint.NotificationFollowupDueSoon, complaint.NotificationFollowupOverdue,
		complaint.NotificationSurveyLowScore, complaint.NotificationFeedbackReceived, complaint.NotificationFeedbackOverdue} {
		require.Contains(t, complaint.NotificationKinds(), k)
		_, _, ok := followupText(complaint.Notification{Kind: k})
		require.True(t, ok, k)
	}
	_, _, ok := followupText(complaint.Notification{Kind: complaint.NotificationWarning})
	require.False(t, ok)
}

func TestSurveyInvitation(t *testing.T) {
	const link = "https://caseflow.example.com/survey/tok-abc123"
	expires := time.Date(2026, 6, 3, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	sent := func(f complaint.Followup) complaint.Followup {
		f.Survey = &complaint.Survey{State: complaint.SurveySent, ExpiresAt: &expires}
		return f
	}
	post := sampleFollowup()
	annual := sampleFollowup()
	annual.Kind, annual.ComplaintID = complaint.FollowupAnnualSurvey, ""

	for _, tc := range []struct {
		name        string
		f           complaint.Followup
		caseNumber  string
		wantSubject string
		want        []string
	}{
		{"a post-close call's survey is about its case", sent(post), "CMP-2026-000123",
			"请评价我们对投诉 CMP-2026-000123 的处理 / How did we handle case CMP-2026-000123?",
			[]string{"您的投诉 CMP-2026-000123 已处理完毕", "Your case CMP-2026-000123 is closed",
				"有效期至 2026-06-03", "expires on 2026-06-03"}},
		{"the yearly survey says so", sent(annual), "",
			"年度客户满意度调查 / Our yearly customer satisfaction survey",
			[]string{"一年一度的客户满意度调查", "This is our yearly customer satisfaction survey",
				"有效期至 2026-06-03", "expires on 2026-06-03"}},
		{"without an expiry, the default validity", post, "CMP-2026-000123",
			"请评价我们对投诉 CMP-2026-000123 的处理 / How did we handle case CMP-2026-000123?",
			[]string{"30 天后失效", "expires after 30 days"}},
		{"a case number with a line break cannot add a header", sent(post), "CMP-1\r\nBcc: x@example.com",
			"请评价我们对投诉 CMP-1 Bcc: x@example.com 的处理 / How did we handle case CMP-1 Bcc: x@example.com?", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			subject, text := SurveyInvitation(link, tc.f, tc.caseNumber)
			require.Equal(t, tc.wantSubject, subject)
			require.NotContains(t, subject, "\n")
			for _, w := range append(tc.want, link, "约一分钟", "about a minute", "只能使用一次", "works once") {
				require.Contains(t, text, w)
			}
			zh, en, ok := strings.Cut(text, "Dear customer")
			require.True(t, ok)
			require.True(t, hasHan(zh), "Chinese first")
			require.False(t, hasHan(en), "then English")
			require.Contains(t, zh, link)
			require.Contains(t, en, link)
			for _, p := range append(personal, tc.f.CustomerID, tc.f.ID, tc.f.Owner, tc.f.Serial) {
				require.NotContains(t, subject+text, p)
			}
		})
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if r >= 0x4e00 && r <= 0x9fff {
			return true
		}
	}
	return false
}
