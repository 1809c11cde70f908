package app_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	enumspb "go.temporal.io/api/enums/v1"

	"github.com/caseflow/caseflow/app"
)

// TestServiceLevelNotificationsEndToEnd runs a case under a policy of
// seconds on the real stack and checks that one warning and one escalation
// per level reach a webhook receiver and an SMTP server exactly once each,
// also when the worker is stopped before the deadline and started after it.
func TestServiceLevelNotificationsEndToEnd(t *testing.T) {
	recv := startReceivers(t)
	stack := startStack(t, devConfig(t.TempDir(), map[string]string{
		"CASEFLOW_SMTP_ADDR":      recv.smtpAddr,
		"CASEFLOW_SMTP_TLS":       "none",
		"CASEFLOW_WEBHOOK_SECRET": webhookSecret,
		// The receiver listens on loopback over http.
		"CASEFLOW_WEBHOOK_ALLOW_HTTP": "true",
		"CASEFLOW_WEBHOOK_ALLOW":      "127.0.0.0/8",
	}))
	admin := as(t, stack, "after_sales", "admin")
	supervisor := as(t, stack, "after_sales", "supervisor")

	// The people the notifications reach, with their addresses.
	for _, u := range []map[string]any{
		{"name": "Desk", "department": "after_sales", "roles": []string{"agent"}, "email": "desk@example.com", "webhook_url": recv.webhookURL},
		{"name": "Lead", "department": "after_sales", "roles": []string{"supervisor"}, "email": "lead@example.com", "webhook_url": recv.webhookURL},
	} {
		status, body := admin.do(http.MethodPost, "/api/v1/admin/users", u, nil)
		require.Equal(t, http.StatusCreated, status, "%v", body)
	}

	lead := []map[string]any{{"role": "supervisor", "department": "after_sales"}}
	policy := map[string]any{
		"response": "6s", "onsite": "1h", "resolution": "1h",
		"warning_points": []float64{0.5},
		"escalation": []map[string]any{
			{"level": 1, "after": "0s", "recipients": lead},
			{"level": 2, "after": "2s", "recipients": lead},
			{"level": 3, "after": "4s", "recipients": lead},
		},
	}
	status, body := supervisor.do(http.MethodPut, "/api/v1/sla-policies/fast", policy, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)
	status, body = supervisor.do(http.MethodPut, "/api/v1/customers/C-FAST", map[string]any{"name": "Fast Co", "sla_policy": "fast"}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)

	w := newCase(t, stack, map[string]any{"customer_id": "C-FAST", "category": "non_quality",
		"received_at": time.Now().UTC().Format(time.RFC3339Nano)})
	require.Equal(t, "fast", w.last["sla_policy"])
	clocks := w.last["clocks"].(map[string]any)
	response := clocks["response"].(map[string]any)
	require.Equal(t, "running", response["state"])
	require.Equal(t, "not_required", clocks["onsite"].(map[string]any)["state"])
	due, err := time.Parse(time.RFC3339Nano, response["due_at"].(string))
	require.NoError(t, err)

	// Editing the policy never moves a running case's deadline.
	policy["response"] = "1h"
	status, _ = supervisor.do(http.MethodPut, "/api/v1/sla-policies/fast", policy, nil)
	require.Equal(t, http.StatusOK, status)
	_, got := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
	require.Equal(t, response["due_at"], got["clocks"].(map[string]any)["response"].(map[string]any)["due_at"])

	// The warning (at half of the 6 s) arrives by webhook and e-mail.
	eventually(t, func() bool { hooks, mails := recv.count("warning", 1); return hooks == 1 && mails == 1 },
		"the warning arrives")

	// Take the worker away until after the deadline: the durable timers wait
	// for it, and escalation resumes when it is back.
	stack.StopWorker()
	eventually(t, func() bool { return time.Now().After(due.Add(time.Second)) }, "the deadline passes")
	hooks, _ := recv.count("escalation", 1)
	require.Zero(t, hooks, "nothing escalates while no worker runs")
	require.NoError(t, stack.StartWorker())

	for level := 1; level <= 3; level++ {
		eventually(t, func() bool { hooks, mails := recv.count("escalation", level); return hooks >= 1 && mails >= 1 },
			"escalation level arrives")
	}
	// The case shows the breach, and the escalation has run its course.
	eventually(t, func() bool {
		_, got := agent(t, stack).do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
		r := got["clocks"].(map[string]any)["response"].(map[string]any)
		return r["state"] == "breached" && r["escalation_level"] == float64(3)
	}, "the response clock is breached with three escalation levels")

	for _, tc := range []struct {
		kind  string
		level int
	}{{"warning", 1}, {"escalation", 1}, {"escalation", 2}, {"escalation", 3}} {
		hooks, mails := recv.count(tc.kind, tc.level)
		require.Equal(t, 1, hooks, "%s %d by webhook exactly once", tc.kind, tc.level)
		require.Equal(t, 1, mails, "%s %d by e-mail exactly once", tc.kind, tc.level)
	}

	// The outbox lists them for their recipient (a supervisor, who reads
	// everyone's, so asks for their own).
	lead1 := loginAs(t, admin, "Lead")
	status, listed := lead1.do(http.MethodGet, "/api/v1/notifications?recipient="+userID(t, admin, "Lead"), nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, listed["notifications"], 3)
	for _, n := range listed["notifications"].([]any) {
		require.Equal(t, "delivered", n.(map[string]any)["delivery"])
		require.Equal(t, "escalation", n.(map[string]any)["kind"])
	}

	// A contact stops the clock: still breached, stopped, no more escalation.
	w.step("after_sales", "agent", "contact", note("called back, late"))
	r := w.last["clocks"].(map[string]any)["response"].(map[string]any)
	require.Equal(t, "breached", r["state"])
	require.NotNil(t, r["stopped_at"])

	status, list := agent(t, stack).do(http.MethodGet, "/api/v1/complaints?breached=true&customer_id=C-FAST", nil, nil)
	require.Equal(t, http.StatusOK, status)
	require.Len(t, list["complaints"], 1)
}

// loginAs issues a token for the user named name and calls the API as them.
func loginAs(t *testing.T, admin apiClient, name string) apiClient {
	t.Helper()
	status, issued := admin.do(http.MethodPost, "/api/v1/admin/users/"+userID(t, admin, name)+"/tokens", nil, nil)
	require.Equal(t, http.StatusCreated, status)
	return apiClient{t: t, base: admin.base, token: issued["token"].(string)}
}

// userID is the id of the user named name.
func userID(t *testing.T, admin apiClient, name string) string {
	t.Helper()
	status, users := admin.do(http.MethodGet, "/api/v1/admin/users", nil, nil)
	require.Equal(t, http.StatusOK, status)
	for _, u := range users["users"].([]any) {
		if u.(map[string]any)["name"] == name {
			return u.(map[string]any)["id"].(string)
		}
	}
	t.Fatalf("no user %s", name)
	return ""
}

// timerSummaries are the summaries of the timers a case's workflow started.
func timerSummaries(t *testing.T, stack *app.Stack, caseID string) []string {
	t.Helper()
	var out []string
	iter := stack.Client.GetWorkflowHistory(t.Context(), "complaint-"+caseID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for iter.HasNext() {
		ev, err := iter.Next()
		require.NoError(t, err)
		if ev.GetEventType() != enumspb.EVENT_TYPE_TIMER_STARTED {
			continue
		}
		var summary string
		// The summaries are sealed like every payload: the stack's codec opens them.
		require.NoError(t, stack.Payloads.DataConverter().FromPayload(ev.GetUserMetadata().GetSummary(), &summary))
		out = append(out, summary)
	}
	return out
}

// TestTimersCarrySummaries registers a quality case received three and a
// half hours ago under the standard policy: its response deadline has
// passed, its on-site deadline is half an hour away, and each waiting timer
// tells the Web UI what it waits for.
func TestTimersCarrySummaries(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	w := newCase(t, stack, map[string]any{"category": "quality",
		"received_at": time.Now().Add(-210 * time.Minute).UTC().Format(time.RFC3339)})
	// Warnings and deadlines already past fire at once, without a timer.
	want := []string{"on-site deadline 4h", "response escalation level 3", "resolution warning at 50% of 24h"}
	eventually(t, func() bool {
		got := timerSummaries(t, stack, w.id)
		for _, s := range want {
			if !slices.Contains(got, s) {
				return false
			}
		}
		return true
	}, "the timers' summaries name their clock and deadline")
}
