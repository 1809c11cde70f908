package app_test

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/workflows"
)

// TestMonthlyReviewEndToEnd, on the real stack and both databases: the
// review's schedule, triggered at once, reviews last month; running the
// month again answers the same review; it reads as JSON, CSV and HTML in
// the reader's language; each department's supervisor decides its own row
// only; once all have, the review closes and takes no more decisions.
func TestMonthlyReviewEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			zone, err := time.LoadLocation(complaint.DefaultTimeZone)
			require.NoError(t, err)
			now := time.Now()
			lastMonth := review.PreviousMonth(now, zone)
			from, _, err := review.MonthRange(lastMonth, zone)
			require.NoError(t, err)
			// Three complaints received last month, one this month.
			for i, severity := range []string{"minor", "severe", "minor"} {
				newCase(t, stack, map[string]any{"severity": severity, "part_number": "P-REV",
					"received_at": from.Add(time.Duration(i+1) * 24 * time.Hour).UTC().Format(time.RFC3339)})
			}
			// Received now, not the default half an hour ago, which in the
			// first half hour of a month in the company's zone is last month.
			newCase(t, stack, map[string]any{"received_at": now.UTC().Format(time.RFC3339)})

			// The schedule, triggered now, reviews the month before.
			handle := stack.Client.ScheduleClient().GetHandle(t.Context(), workflows.ReviewScheduleID)
			require.NoError(t, handle.Trigger(t.Context(), client.ScheduleTriggerOptions{}))
			lead := as(t, stack, "after_sales", "supervisor")
			var got map[string]any
			eventually(t, func() bool {
				status, body := lead.do(http.MethodGet, "/api/v1/reviews/"+lastMonth, nil, nil)
				got = body
				return status == http.StatusOK
			}, "the scheduled run stored last month's review")
			require.EqualValues(t, 3, got["cases"])
			require.Equal(t, complaint.ReviewOpen, got["state"])
			require.Len(t, got["accountability"], len(complaint.Departments()))

			status, again := lead.do(http.MethodPost, "/api/v1/reviews/"+lastMonth+"/run", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", again)
			require.Equal(t, got["computed_at"], again["computed_at"], "a month runs once")
			status, body := lead.do(http.MethodPost, "/api/v1/reviews/"+now.In(zone).Format(review.MonthLayout)+"/run", nil, nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", body)
			status, _ = as(t, stack, "sales", "agent").do(http.MethodPost, "/api/v1/reviews/"+lastMonth+"/run", nil, nil)
			require.Equal(t, http.StatusForbidden, status)
			status, body = lead.do(http.MethodGet, "/api/v1/reviews/2026-13", nil, nil)
			require.Equal(t, http.StatusBadRequest, status)
			require.Contains(t, body["error"].(map[string]any)["fields"], "month")

			csv := fetch(t, stack, lead, "/api/v1/reviews/"+lastMonth+".csv?lang=zh")
			require.True(t, bytes.HasPrefix(csv, []byte("\xEF\xBB\xBF")), "UTF-8 with a BOM for spreadsheets")
			require.Contains(t, string(csv), "售后服务部")
			page := string(fetch(t, stack, lead, "/api/v1/reviews/"+lastMonth+".html?lang=en"))
			require.Contains(t, page, "<svg")
			require.NotContains(t, page, "<script")

			// Each supervisor decides for their own department only.
			status, body = as(t, stack, "production", "supervisor").do(http.MethodPut,
				"/api/v1/reviews/"+lastMonth+"/departments/quality", map[string]any{"decision": "no_action"}, nil)
			require.Equal(t, http.StatusForbidden, status, "%v", body)
			status, body = as(t, stack, "production", "supervisor").do(http.MethodPut,
				"/api/v1/reviews/"+lastMonth+"/departments/production", map[string]any{"decision": "warning"}, nil)
			require.Equal(t, http.StatusBadRequest, status, "a warning needs its note: %v", body)
			require.Contains(t, body["error"].(map[string]any)["fields"], "note")
			for _, dept := range complaint.Departments() {
				status, body = as(t, stack, dept, "supervisor").do(http.MethodPut,
					"/api/v1/reviews/"+lastMonth+"/departments/"+dept,
					map[string]any{"decision": "warning", "note": "late confirmations"}, nil)
				require.Equal(t, http.StatusOK, status, "%s: %v", dept, body)
			}
			eventually(t, func() bool {
				_, body := lead.do(http.MethodGet, "/api/v1/reviews/"+lastMonth, nil, nil)
				return body["state"] == complaint.ReviewClosed
			}, "the review closes once every department has decided")
			status, body = as(t, stack, "sales", "supervisor").do(http.MethodPut,
				"/api/v1/reviews/"+lastMonth+"/departments/sales", map[string]any{"decision": "no_action"}, nil)
			require.Equal(t, http.StatusConflict, status, "%v", body)
			status, list := lead.do(http.MethodGet, "/api/v1/reviews", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, list["reviews"], 1)
		})
	}
}

// fetch GETs a path as the client and answers the body of a 200.
func fetch(t *testing.T, stack interface{ APIURL() string }, c apiClient, path string) []byte {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, stack.APIURL()+path, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, "%s", raw)
	return raw
}
