package console

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

// TestFollowupCatalogsAgreeWithTheCatalog: a key the follow-up parts share
// with the catalog is worded the same; every value of the follow-up,
// survey and feedback vocabularies, every event and notice, every step and
// every field of their bodies has both languages.
func TestFollowupCatalogsAgreeWithTheCatalog(t *testing.T) {
	for _, part := range []map[string][2]string{followupCatalog, followupPagesCatalog} {
		for key, e := range part {
			require.Equal(t, e, catalog[key], key)
			require.NotEmpty(t, e[0], key)
			require.NotEmpty(t, e[1], key)
		}
	}
	want := map[string][]string{
		"followup_kind": complaint.FollowupKinds(), "followup_stage": complaint.FollowupStages(),
		"followup_step": append(complaint.FollowupSteps(), complaint.FollowupStepOpen, complaint.FollowupStepSurvey),
		"followup_help": complaint.FollowupSteps(), "followup_department": complaint.FollowupDepartments(),
		"survey_state": complaint.SurveyStates(), "feedback_kind": complaint.FeedbackKinds(),
		"feedback_stage": complaint.FeedbackStages(),
		"feedback_step":  {complaint.FeedbackStepLog, complaint.FeedbackStepAnswer},
		"event":          slices.Concat(complaint.FollowupEventKinds(), complaint.FeedbackEventKinds()),
		"notification_kind": {complaint.NotificationFollowupDueSoon, complaint.NotificationFollowupOverdue,
			complaint.NotificationSurveyLowScore, complaint.NotificationSurveyInvitation,
			complaint.NotificationFeedbackReceived, complaint.NotificationFeedbackOverdue},
		// Every enum a follow-up or feedback body names, by its enum tag.
		"department": complaint.Departments(), "category": complaint.Categories(), "severity": complaint.Severities(),
	}
	var missing []string
	for list, values := range want {
		for _, v := range values {
			if _, ok := catalog[list+"."+v]; !ok {
				missing = append(missing, list+"."+v)
			}
		}
	}
	var fields []field
	for _, b := range []reflect.Type{followupOpenBody, followupDoneBody, followupCancelBody, followupComplaintBody,
		feedbackBody, feedbackAnswerBody, reflect.TypeFor[complaint.SurveyAnswerBody]()} {
		fields = append(fields, fieldsOf(English, b)...)
	}
	fields = append(fields, followupOpenFields(English)...)
	for _, kind := range complaint.FollowupKinds() {
		fields = append(fields, followupStepFields(English, kind, complaint.FollowupStepDone)...)
	}
	for _, f := range fields {
		if _, ok := catalog["field."+f.Name]; !ok && !strings.HasPrefix(f.Name, raiseField+".") {
			missing = append(missing, "field."+f.Name)
		}
	}
	require.Empty(t, missing)
}

// TestEveryFollowupProblemTranslates words the follow-up and feedback
// bodies' broken rules, the rules' checks between fields and the API's own
// words in Chinese.
func TestEveryFollowupProblemTranslates(t *testing.T) {
	bodies := []any{&complaint.FollowupOpenBody{}, &complaint.FollowupOpenBody{Kind: "chat", OwnerDepartment: "sales",
		CustomerID: strings.Repeat("c", 65)}, &complaint.FollowupDoneBody{},
		&complaint.FollowupDoneBody{Note: "x", Satisfaction: new(9), RaiseComplaint: &complaint.FollowupComplaint{
			Category: "odd", Severity: "odd"}},
		&complaint.FollowupDoneBody{Note: "x", Satisfaction: new(0)}, &complaint.FollowupCancelBody{},
		&complaint.FeedbackBody{}, &complaint.FeedbackBody{Kind: "gossip", RoutedTo: "nowhere"},
		&complaint.FeedbackAnswerBody{}, &complaint.SurveyAnswerBody{Satisfaction: 7, WouldRecommend: new(11)}}
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
	}
	require.Greater(t, seen, 15)
	for _, msg := range []string{"is required for a key-customer visit", "is required for a delivery call",
		"is required for a post-close call", "only a post-close call or an annual survey sends a survey",
		"needs issues_found to be true", "must not be in the past", "names no customer in the archive",
		"names no complaint", "names no equipment in the installed base", "is a complaint of another customer",
		"is set by the server from raise_complaint, never by the client",
		"must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00", "must be true or false"} {
		require.True(t, translated(msg), "%q has no Chinese wording", msg)
	}
	require.Equal(t, "须先勾选“发现问题”", translateProblem(Chinese, "needs issues_found to be true"))
}

// TestTheFollowupDoneFormFitsTheKind: a visit's report is required, only
// the calls that send a survey offer it, the client never sets the raised
// complaint, and the complaint to raise goes as an object only when asked.
func TestTheFollowupDoneFormFitsTheKind(t *testing.T) {
	names := func(kind string) []string {
		var out []string
		for _, f := range followupStepFields(English, kind, complaint.FollowupStepDone) {
			out = append(out, f.Name+":"+f.Control)
		}
		return out
	}
	raise := []string{"raise:checkbox", "raise_complaint.contact_name:text", "raise_complaint.contact_phone:text",
		"raise_complaint.description:textarea", "raise_complaint.customer_demand:textarea",
		"raise_complaint.category:select", "raise_complaint.severity:select"}
	head := []string{"note:textarea", "satisfaction:number", "issues_found:checkbox"}
	require.Equal(t, slices.Concat(head, []string{"report:textarea"}, raise), names(complaint.FollowupKeyCustomerVisit))
	require.Equal(t, slices.Concat(head, []string{"send_survey:checkbox"}, raise), names(complaint.FollowupPostCloseCall))
	require.Equal(t, slices.Concat(head, []string{"send_survey:checkbox"}, raise), names(complaint.FollowupAnnualSurvey))
	require.Equal(t, slices.Concat(head, raise), names(complaint.FollowupDeliveryCall))
	require.Equal(t, slices.Concat(head, raise), names(complaint.FollowupRecoveryCall))

	fields := followupStepFields(English, complaint.FollowupDeliveryCall, complaint.FollowupStepDone)
	values := formValues{"note": {"ok"}, "issues_found": {"true"}, "raise": {"true"},
		"raise_complaint.contact_name": {"Zhao"}, "raise_complaint.description": {"leaks"},
		"raise_complaint.category": {"quality"}}
	body := decodeAs[complaint.FollowupDoneBody](t, followupStepBody(fields, values))
	require.Equal(t, complaint.FollowupDoneBody{Note: "ok", IssuesFound: true, RaiseComplaint: &complaint.FollowupComplaint{
		ContactName: "Zhao", Description: "leaks", Category: "quality"}}, body)
	delete(values, "raise")
	require.Nil(t, decodeAs[complaint.FollowupDoneBody](t, followupStepBody(fields, values)).RaiseComplaint)
	require.Equal(t, []string{"reason"}, fieldNames(followupStepFields(English, complaint.FollowupDeliveryCall,
		complaint.FollowupStepCancel)))
}

// TestTheFollowupRoutesAreInTheTable: the lists, pages and forms are
// console routes whose actions the one table (auth.Policy) holds, the
// API's own for each.
func TestTheFollowupRoutesAreInTheTable(t *testing.T) {
	want := map[string]auth.Action{
		"GET /console/followups":                   auth.ReadFollowups,
		"GET /console/followups/new":               auth.OpenFollowup,
		"POST /console/followups":                  auth.OpenFollowup,
		"GET /console/followups/:id":               auth.ReadFollowups,
		"GET /console/feedback":                    auth.ReadFeedback,
		"POST /console/feedback":                   auth.LogFeedback,
		"GET /console/feedback/:id":                auth.ReadFeedback,
		"POST /console/feedback/:id/answer":        auth.FeedbackAction(complaint.FeedbackStepAnswer),
		"POST /console/followups/:id/steps/done":   auth.FollowupAction(complaint.FollowupStepDone),
		"POST /console/followups/:id/steps/cancel": auth.FollowupAction(complaint.FollowupStepCancel),
	}
	var con Console
	got := map[string]auth.Action{}
	for _, rt := range con.Routes() {
		if strings.HasPrefix(rt.Path, followupsPath) || strings.HasPrefix(rt.Path, feedbackPath) {
			require.Equal(t, Signed, rt.Access, rt.Path)
			got[rt.Method+" "+rt.Path] = rt.Action
			_, ok := auth.Policy[rt.Action]
			require.True(t, ok, "%s %s: auth.Policy has no rule for %s", rt.Method, rt.Path, rt.Action)
		}
	}
	require.Equal(t, want, got)
}

func fieldNames(fields []field) []string {
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, f.Name)
	}
	return out
}
