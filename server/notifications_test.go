package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// notificationCallers are the callers of the notification tests, by token.
var notificationCallers = map[string]auth.Principal{
	"cf_agent":      {UserID: "u-agent", Name: "Desk", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}},
	"cf_engineer":   {UserID: "u-engineer", Name: "Field", Department: auth.Technical, Roles: []auth.Role{auth.Engineer}},
	"cf_supervisor": {UserID: "u-supervisor", Name: "Lead", Department: auth.Technical, Roles: []auth.Role{auth.Supervisor}},
	"cf_admin":      {UserID: "u-admin", Name: "Root", Department: auth.AfterSales, Roles: []auth.Role{auth.Admin}},
}

type notificationList struct {
	Notifications []store.OutboxEntry `json:"notifications"`
	NextCursor    string              `json:"next_cursor"`
	Error         server.ErrorDetail  `json:"error"`
}

// notificationAPI is the API on a real store, without Temporal, for the
// callers above; get answers the status and the decoded body.
func notificationAPI(t *testing.T, databaseURL string) (*store.Store, func(token, target string) (int, notificationList)) {
	st, err := store.Open(t.Context(), databaseURL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	h := server.NewRouter(server.Deps{
		Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
		Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
			for token, p := range notificationCallers {
				if auth.HashToken(token) == hash {
					return p, nil
				}
			}
			return auth.Principal{}, auth.ErrUnauthenticated
		}},
	})
	return st, func(token, target string) (int, notificationList) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body notificationList
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
		return rec.Code, body
	}
}

// A notification that ran out of delivery attempts is failed with its last
// error: a supervisor of any department and an admin find it among
// everyone's, while an agent sees only their own and may not ask for
// another's.
func TestFailedNotificationsVisibleToSupervisors(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st, get := notificationAPI(t, b.URL)
			ctx := t.Context()
			at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
			n := func(id, recipient, kind string, level int, at time.Time) complaint.Notification {
				return complaint.Notification{ID: id, ComplaintID: "case-1", CaseNumber: "CMP-2026-000001", Clock: complaint.ClockResponse,
					Kind: kind, Level: level, Recipient: recipient, DueAt: at, CreatedAt: at}
			}
			require.NoError(t, st.RecordNotifications(ctx, []complaint.Notification{
				n("n-agent", "u-agent", complaint.NotificationWarning, 1, at),
				n("n-engineer", "u-engineer", complaint.NotificationEscalation, 1, at.Add(time.Hour)),
				n("n-lead", "u-supervisor", complaint.NotificationEscalation, 2, at.Add(2*time.Hour)),
			}))
			require.NoError(t, st.MarkDelivery(ctx, "n-agent", complaint.DeliveryDelivered, nil))
			require.NoError(t, st.MarkChannel(ctx, "n-engineer", "webhook", complaint.DeliveryPending, nil))
			require.NoError(t, st.MarkDelivery(ctx, "n-engineer", complaint.DeliveryPending,
				&url.Error{Op: "Post", URL: "https://hooks.example.com/x", Err: context.DeadlineExceeded}))
			failed, err := st.FailUndelivered(ctx, "case-1", complaint.ClockResponse, complaint.NotificationEscalation, 1, "out of attempts")
			require.NoError(t, err)
			require.Len(t, failed, 1)
			const lastError = `Post "https://hooks.example.com/x": context deadline exceeded`

			for _, token := range []string{"cf_supervisor", "cf_admin"} {
				status, list := get(token, "/api/v1/notifications?delivery=failed")
				require.Equal(t, http.StatusOK, status, token)
				require.Len(t, list.Notifications, 1, token)
				got := list.Notifications[0]
				require.Equal(t, "n-engineer", got.ID, token)
				require.Equal(t, "u-engineer", got.Recipient, token)
				require.Equal(t, complaint.DeliveryFailed, got.Delivery, token)
				require.Equal(t, lastError, got.LastError, token)

				status, list = get(token, "/api/v1/notifications")
				require.Equal(t, http.StatusOK, status, token)
				require.Equal(t, []string{"n-lead", "n-engineer", "n-agent"}, outboxIDs(list), token)
				status, list = get(token, "/api/v1/notifications?recipient=u-agent")
				require.Equal(t, http.StatusOK, status, token)
				require.Equal(t, []string{"n-agent"}, outboxIDs(list), token)
			}

			// The agent sees their own, and none of the failed ones.
			for target, want := range map[string][]string{
				"/api/v1/notifications":                     {"n-agent"},
				"/api/v1/notifications?recipient=u-agent":   {"n-agent"},
				"/api/v1/notifications?delivery=failed":     {},
				"/api/v1/notifications?kind=escalation":     {},
				"/api/v1/notifications?complaint_id=case-1": {"n-agent"},
			} {
				status, list := get("cf_agent", target)
				require.Equal(t, http.StatusOK, status, target)
				require.Equal(t, want, outboxIDs(list), target)
			}
			status, list := get("cf_engineer", "/api/v1/notifications?delivery=failed")
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, lastError, list.Notifications[0].LastError, "the recipient sees their own failure")

			status, list = get("cf_agent", "/api/v1/notifications?recipient=u-engineer")
			require.Equal(t, http.StatusForbidden, status)
			require.Equal(t, server.CodeForbidden, list.Error.Code)
			require.Contains(t, list.Error.Message, "supervisor or admin")
		})
	}
}

func outboxIDs(l notificationList) []string {
	ids := []string{}
	for _, e := range l.Notifications {
		ids = append(ids, e.ID)
	}
	return ids
}

// Filters combine, pages follow next_cursor, and a bad filter answers 400
// naming its parameter before the store is asked.
func TestNotificationFiltersAndPages(t *testing.T) {
	st, get := notificationAPI(t, storetest.SQLite(t).URL)
	at := time.Date(2026, 11, 29, 9, 0, 0, 0, time.UTC)
	var ns []complaint.Notification
	for i := range 5 {
		ns = append(ns, complaint.Notification{ID: "n" + string(rune('a'+i)), ComplaintID: "case-" + string(rune('a'+i%2)),
			Clock: complaint.ClockOnsite, Kind: complaint.NotificationKinds()[i%2], Level: i, Recipient: "u-supervisor",
			DueAt: at, CreatedAt: at.Add(time.Duration(i) * time.Minute)})
	}
	require.NoError(t, st.RecordNotifications(t.Context(), ns))

	for target, want := range map[string][]string{
		"/api/v1/notifications?kind=warning":                                    {"ne", "nc", "na"},
		"/api/v1/notifications?complaint_id=case-b":                             {"nd", "nb"},
		"/api/v1/notifications?since=2026-11-29T09:03:00Z":                      {"ne", "nd"},
		"/api/v1/notifications?since=2026-11-29T17:02:00%2B08:00&kind=warning":  {"ne", "nc"},
		"/api/v1/notifications?delivery=pending&complaint_id=case-a&kind=other": nil,
	} {
		status, list := get("cf_supervisor", target)
		if want == nil {
			require.Equal(t, http.StatusBadRequest, status, target)
			require.Equal(t, map[string]string{"kind": "must be one of: " + strings.Join(complaint.NotificationKinds(), ", ")}, list.Error.Fields, target)
			continue
		}
		require.Equal(t, http.StatusOK, status, target)
		require.Equal(t, want, outboxIDs(list), target)
	}

	var walked []string
	target := "/api/v1/notifications?limit=2"
	for pages := 0; ; pages++ {
		require.Less(t, pages, 4)
		status, list := get("cf_supervisor", target)
		require.Equal(t, http.StatusOK, status)
		walked = append(walked, outboxIDs(list)...)
		if list.NextCursor == "" {
			break
		}
		target = "/api/v1/notifications?limit=2&cursor=" + url.QueryEscape(list.NextCursor)
	}
	require.Equal(t, []string{"ne", "nd", "nc", "nb", "na"}, walked)

	for _, tc := range []struct{ query, param, problem string }{
		{"delivery=lost", "delivery", "must be one of: pending, delivered, skipped, failed"},
		{"delivery=FAILED", "delivery", "must be one of: pending, delivered, skipped, failed"},
		{"kind=alarm", "kind", "must be one of: " + strings.Join(complaint.NotificationKinds(), ", ")},
		{"since=yesterday", "since", "must be an RFC 3339 time such as 2026-11-29T09:00:00Z"},
		{"since=2026-11-29", "since", "must be an RFC 3339 time such as 2026-11-29T09:00:00Z"},
		{"limit=0", "limit", "must be an integer from 1 to 200"},
		{"limit=201", "limit", "must be an integer from 1 to 200"},
		{"cursor=zzz", "cursor", "is not a cursor this API handed out"},
		{"complaint_id=case%00", "complaint_id", "must not contain control characters"},
	} {
		for _, token := range []string{"cf_supervisor", "cf_agent"} {
			status, list := get(token, "/api/v1/notifications?"+tc.query)
			require.Equal(t, http.StatusBadRequest, status, tc.query)
			require.Equal(t, map[string]string{tc.param: tc.problem}, list.Error.Fields, tc.query)
		}
	}
}
