package app_test

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
)

// surveyLink finds the survey token in a customer's mail.
var surveyLink = regexp.MustCompile(`/survey/([A-Za-z0-9_-]{43})`)

// followupStack runs the real stack with a short follow-up policy: a case
// is called back 3 seconds after it closes, a survey link works for
// validFor.
func followupStack(t *testing.T, backend map[string]string, mail *receivers, validFor string) *app.Stack {
	t.Helper()
	env := map[string]string{}
	maps.Copy(env, backend)
	env["CASEFLOW_POST_CLOSE_CALL_AFTER"] = "3s"
	env["CASEFLOW_FOLLOWUP_CALL_WINDOW"] = "1h"
	env["CASEFLOW_SURVEY_VALID_FOR"] = validFor
	env["CASEFLOW_SMTP_ADDR"] = mail.smtpAddr
	env["CASEFLOW_SMTP_TLS"] = "none"
	return startStack(t, devConfig(t.TempDir(), env))
}

// customerWithEmail adds a customer whose contact reads e-mail.
func customerWithEmail(t *testing.T, stack *app.Stack, id, email string) {
	t.Helper()
	status, got := as(t, stack, "after_sales", "agent").do(http.MethodPost, "/api/v1/customers", map[string]any{
		"id": id, "name": "Suzhou Valve Works", "sla_policy": "standard",
		"contacts": []map[string]any{{"name": "Zhao Lei", "email": email}}}, nil)
	require.Equal(t, http.StatusCreated, status, "%v", got)
}

// followups lists follow-ups by query as the after-sales agent.
func followups(t *testing.T, stack *app.Stack, query string) []map[string]any {
	t.Helper()
	status, page := agent(t, stack).do(http.MethodGet, "/api/v1/followups?"+query, nil, nil)
	require.Equal(t, http.StatusOK, status, "%v", page)
	var out []map[string]any
	for _, f := range page["followups"].([]any) {
		out = append(out, f.(map[string]any))
	}
	return out
}

// surveyToken waits for the n-th survey mail to address and answers its
// token.
func surveyToken(t *testing.T, mail *receivers, address string, n int) string {
	t.Helper()
	var texts []string
	eventually(t, func() bool { texts = mail.mailTo(address); return len(texts) >= n }, "the survey mail arrives")
	m := surveyLink.FindStringSubmatch(texts[n-1])
	require.NotNil(t, m, "a survey link in %q", texts[n-1])
	return m[1]
}

// surveyPage gets or posts the public survey page, without a token of any
// kind but the link's.
func surveyPage(t *testing.T, stack *app.Stack, method, token string, form url.Values) (int, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, stack.APIURL()+"/survey/"+token+"?lang=en", body)
	require.NoError(t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	page, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(page)
}

// TestFollowupsEndToEnd, on the real stack and both databases: a case
// closes, its post-close call appears three seconds later (a short
// policy); the agent makes the call and sends the survey; the customer
// answers through the mailed link once, with a low score that opens a
// recovery call for the supervisor, which finds the fault again and raises
// a complaint linked both ways; a second answer is refused; a link nobody
// answered expires and says so.
func TestFollowupsEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			mail := startReceivers(t)
			stack := followupStack(t, b.env(t), mail, "12s")
			customerWithEmail(t, stack, "C-FU-1", "zhao@valve.example")
			c := newCase(t, stack, map[string]any{"customer_id": "C-FU-1", "customer_name": "Suzhou Valve Works",
				"category": "non_quality", "severity": "minor"})
			c.confirmAndAnalyse("production", "company")
			c.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit note"})
			c.step("after_sales", "agent", "resolve", note("credited"))
			c.step("after_sales", "agent", "close", map[string]any{"customer_confirmed": true, "satisfaction": 4})
			closedAt := time.Now()

			var call map[string]any
			eventually(t, func() bool {
				got := followups(t, stack, "complaint_id="+c.id)
				if len(got) == 1 {
					call = got[0]
				}
				return call != nil
			}, "the post-close call appears")
			require.GreaterOrEqual(t, time.Since(closedAt), 2*time.Second, "not before the policy's delay")
			require.Equal(t, complaint.FollowupPostCloseCall, call["kind"])
			require.Equal(t, complaint.FollowupOpen, call["stage"])
			require.Equal(t, "C-FU-1", call["customer_id"])
			callID := call["id"].(string)
			_, closed := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+c.id, nil, nil)
			require.Len(t, closed["followups"], 1, "the case links its follow-up")

			// Sales does not make after-sales' call; the agent does, and
			// sends the survey.
			status, got := as(t, stack, "sales", "agent").do(http.MethodPost, "/api/v1/followups/"+callID+"/done",
				map[string]any{"note": "called"}, nil)
			require.Equal(t, http.StatusForbidden, status, "%v", got)
			status, got = agent(t, stack).do(http.MethodPost, "/api/v1/followups/"+callID+"/done",
				map[string]any{"note": "customer satisfied with the credit", "satisfaction": 4, "send_survey": true},
				map[string]string{"Idempotency-Key": "call-1"})
			require.Equal(t, http.StatusOK, status, "%v", got)
			require.Equal(t, complaint.FollowupDone, got["stage"])

			token := surveyToken(t, mail, "zhao@valve.example", 1)
			status, page := surveyPage(t, stack, http.MethodGet, token, nil)
			require.Equal(t, http.StatusOK, status, page)
			status, page = surveyPage(t, stack, http.MethodPost, token, url.Values{"satisfaction": {"9"},
				"would_recommend": {"3"}})
			require.Equal(t, http.StatusUnprocessableEntity, status, "a satisfaction of 9 is refused: %s", page)
			status, page = surveyPage(t, stack, http.MethodPost, token, url.Values{"satisfaction": {"2"},
				"would_recommend": {"3"}, "comment": {"slow to answer"}})
			require.Equal(t, http.StatusOK, status, page)
			status, page = surveyPage(t, stack, http.MethodPost, token, url.Values{"satisfaction": {"5"},
				"would_recommend": {"10"}})
			require.Equal(t, http.StatusConflict, status, "a link works once: %s", page)
			status, _ = surveyPage(t, stack, http.MethodGet, strings.Repeat("x", 43), nil)
			require.Equal(t, http.StatusNotFound, status, "an unknown link")

			_, answered := agent(t, stack).do(http.MethodGet, "/api/v1/followups/"+callID, nil, nil)
			survey := answered["survey"].(map[string]any)
			require.Equal(t, complaint.SurveyAnswered, survey["state"])
			require.EqualValues(t, 2, survey["answer"].(map[string]any)["satisfaction"])

			// The low score opens a recovery call and tells the supervisor.
			var recovery []map[string]any
			eventually(t, func() bool {
				recovery = followups(t, stack, "kind=recovery_call&customer_id=C-FU-1")
				return len(recovery) == 1
			}, "the recovery call is opened")
			require.Equal(t, callID, recovery[0]["source_id"])

			// The recovery call finds the valve leaking again and raises a
			// complaint in the same call, linked both ways; a retry with
			// the same key raises nothing more.
			recoveryID := recovery[0]["id"].(string)
			raise := map[string]any{"note": "the valve leaks again", "issues_found": true,
				"raise_complaint": map[string]any{"contact_name": "Zhao Lei", "description": "the valve leaks again"}}
			key := map[string]string{"Idempotency-Key": "recovery-1"}
			status, got = agent(t, stack).do(http.MethodPost, "/api/v1/followups/"+recoveryID+"/done", raise, key)
			require.Equal(t, http.StatusOK, status, "%v", got)
			raised, _ := got["raised_complaint_id"].(string)
			require.NotEmpty(t, raised)
			status, again := agent(t, stack).do(http.MethodPost, "/api/v1/followups/"+recoveryID+"/done", raise, key)
			require.Equal(t, http.StatusOK, status, "%v", again)
			require.Equal(t, raised, again["raised_complaint_id"])
			status, newCase := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+raised, nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", newCase)
			require.Equal(t, "C-FU-1", newCase["customer_id"])
			links := newCase["followups"].([]any)
			require.Len(t, links, 1)
			require.Equal(t, recoveryID, links[0].(map[string]any)["id"])
			require.Equal(t, raised, links[0].(map[string]any)["raised_complaint_id"])
			eventually(t, func() bool {
				status, got := as(t, stack, "after_sales", "supervisor").do(http.MethodGet,
					"/api/v1/notifications?kind="+complaint.NotificationSurveyLowScore, nil, nil)
				return status == http.StatusOK && len(got["notifications"].([]any)) > 0
			}, "the after-sales supervisor hears of the low score")

			// A yearly survey whose link nobody answers expires.
			due := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
			status, yearly := agent(t, stack).do(http.MethodPost, "/api/v1/followups", map[string]any{
				"kind": complaint.FollowupAnnualSurvey, "customer_id": "C-FU-1", "due_at": due},
				map[string]string{"Idempotency-Key": "yearly-1"})
			require.Equal(t, http.StatusCreated, status, "%v", yearly)
			status, got = agent(t, stack).do(http.MethodPost, "/api/v1/followups/"+yearly["id"].(string)+"/done",
				map[string]any{"note": "sent the yearly survey", "send_survey": true}, nil)
			require.Equal(t, http.StatusOK, status, "%v", got)
			late := surveyToken(t, mail, "zhao@valve.example", 2)
			require.Eventually(t, func() bool {
				_, f := agent(t, stack).do(http.MethodGet, "/api/v1/followups/"+yearly["id"].(string), nil, nil)
				s, _ := f["survey"].(map[string]any)
				return s != nil && s["state"] == complaint.SurveyExpired
			}, time.Minute, 100*time.Millisecond, "the unanswered link expires when the policy says")
			status, page = surveyPage(t, stack, http.MethodGet, late, nil)
			require.Equal(t, http.StatusGone, status, page)
			require.Contains(t, page, "expired")
		})
	}
}

// TestFollowupSchedulesPlanOnce: the stack's follow-up schedules exist,
// and the yearly run, triggered twice, opens each customer's survey once.
func TestFollowupSchedulesPlanOnce(t *testing.T) {
	mail := startReceivers(t)
	stack := followupStack(t, map[string]string{}, mail, "1h")
	customerWithEmail(t, stack, "C-FU-Y", "yearly@valve.example")
	c := newCase(t, stack, map[string]any{"customer_id": "C-FU-Y", "customer_name": "Suzhou Valve Works"})
	require.NotEmpty(t, c.id, "a complaint this year makes the customer active")
	shanghai, err := time.LoadLocation(complaint.DefaultTimeZone)
	require.NoError(t, err)
	year := time.Now().In(shanghai).Year()
	handle := stack.Client.ScheduleClient().GetHandle(t.Context(), workflows.YearlyFollowupScheduleID)
	desc, err := handle.Describe(t.Context())
	require.NoError(t, err)
	require.Equal(t, "PlanFollowupsWorkflow", desc.Schedule.Action.(*client.ScheduleWorkflowAction).Workflow)
	_, err = stack.Client.ScheduleClient().GetHandle(t.Context(), workflows.DailyFollowupScheduleID).Describe(t.Context())
	require.NoError(t, err)
	var surveys []map[string]any
	for run := 1; run <= 2; run++ {
		require.NoError(t, handle.Trigger(t.Context(), client.ScheduleTriggerOptions{}))
		eventually(t, func() bool {
			d, err := handle.Describe(t.Context())
			return err == nil && len(d.Info.RecentActions) == run && len(d.Info.RunningWorkflows) == 0
		}, "the yearly run ends")
		eventually(t, func() bool {
			surveys = followups(t, stack, "kind=annual_survey&customer_id=C-FU-Y")
			return len(surveys) > 0
		}, "the survey appears")
	}
	require.Len(t, surveys, 1, "two runs, one survey")
	require.Equal(t, "survey-C-FU-Y-"+strconv.Itoa(year), surveys[0]["id"])
}

// TestFeedbackEndToEnd, on the real stack and both databases: sales logs a
// customer's suggestion for quality, whose people are told; unanswered
// past the response time (2 seconds here) it is overdue; only quality
// answers it, once.
func TestFeedbackEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			env := map[string]string{"CASEFLOW_FEEDBACK_RESPOND_WITHIN": "2s"}
			maps.Copy(env, b.env(t))
			stack := startStack(t, devConfig(t.TempDir(), env))
			customerWithEmail(t, stack, "C-FB-1", "fb@valve.example")
			status, fb := as(t, stack, "sales", "agent").do(http.MethodPost, "/api/v1/feedback", map[string]any{
				"kind": complaint.FeedbackSuggestion, "from_customer_id": "C-FB-1", "text": "label the valves by size",
				"routed_to": complaint.DepartmentQuality}, map[string]string{"Idempotency-Key": "fb-1"})
			require.Equal(t, http.StatusCreated, status, "%v", fb)
			require.Regexp(t, `^FB-\d{4}-\d{6}$`, fb["number"])
			id := fb["id"].(string)
			status, got := as(t, stack, "sales", "agent").do(http.MethodPost, "/api/v1/feedback", map[string]any{
				"kind": complaint.FeedbackSuggestion, "from_customer_id": "C-NONE", "text": "x", "routed_to": "quality"}, nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, "an unknown customer: %v", got)

			quality := as(t, stack, "quality", "agent")
			eventually(t, func() bool {
				status, got := quality.do(http.MethodGet, "/api/v1/feedback/"+id, nil, nil)
				return status == http.StatusOK && got["overdue"] == true
			}, "unanswered past the response time, it is overdue")
			eventually(t, func() bool {
				status, got := as(t, stack, "quality", "supervisor").do(http.MethodGet,
					"/api/v1/notifications?kind="+complaint.NotificationFeedbackOverdue, nil, nil)
				return status == http.StatusOK && len(got["notifications"].([]any)) > 0
			}, "quality's supervisor hears of it")

			answer := map[string]any{"answer": "sized labels from the next batch"}
			status, got = as(t, stack, "production", "agent").do(http.MethodPost, "/api/v1/feedback/"+id+"/answer",
				answer, nil)
			require.Equal(t, http.StatusForbidden, status, "%v", got)
			status, got = quality.do(http.MethodPost, "/api/v1/feedback/"+id+"/answer", answer, nil)
			require.Equal(t, http.StatusOK, status, "%v", got)
			require.Equal(t, complaint.FeedbackAnswered, got["stage"])
			status, got = quality.do(http.MethodPost, "/api/v1/feedback/"+id+"/answer", answer, nil)
			require.Equal(t, http.StatusConflict, status, "answered once: %v", got)
			status, page := quality.do(http.MethodGet, "/api/v1/feedback?routed_to=quality&stage=answered", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, page["feedback"], 1)
		})
	}
}
