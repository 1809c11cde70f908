package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/notify"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// adminAPI is the API on a real store, without Temporal, called by an
// after-sales admin and supervisor; webhooks may reach 10.9.0.0/16 besides
// public addresses. call answers the status and, for errors, the fields.
func adminAPI(t *testing.T, databaseURL string) (*store.Store, func(method, target, body string) (int, map[string]string)) {
	st, err := store.Open(t.Context(), databaseURL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	targets, err := notify.ParseWebhookTargets("", "10.9.0.0/16")
	require.NoError(t, err)
	h := server.NewRouter(server.Deps{
		Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(), WebhookTargets: targets,
		Auth: &auth.Authenticator{Tokens: func(context.Context, string) (auth.Principal, error) {
			return auth.Principal{UserID: "admin-1", Name: "Admin", Department: auth.AfterSales,
				Roles: []auth.Role{auth.Supervisor, auth.Admin}}, nil
		}},
	})
	return st, func(method, target, body string) (int, map[string]string) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer cf_test")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var eb server.ErrorBody
		if rec.Code >= 400 {
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &eb), rec.Body.String())
		}
		return rec.Code, eb.Error.Fields
	}
}

func TestCreateUserRefusesUnsafeWebhooks(t *testing.T) {
	const public = "is not a public address; an allow-list (CASEFLOW_WEBHOOK_ALLOW) can name it"
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st, call := adminAPI(t, b.URL)
			user := func(hook string) string {
				raw, err := json.Marshal(map[string]any{"name": "Desk", "department": "after_sales", "roles": []string{"agent"}, "webhook_url": hook})
				require.NoError(t, err)
				return string(raw)
			}
			for _, tc := range []struct{ url, want string }{
				{"file:///etc/passwd", "must use https"},
				{"http://169.254.169.254/latest/meta-data/", "must use https"},
				{"https://169.254.169.254/latest/meta-data/", "169.254.169.254 " + public},
				{"https://127.0.0.1:8443/hook", "127.0.0.1 " + public},
				{"https://[::ffff:127.0.0.1]/hook", "127.0.0.1 " + public},
				{"https://[fe80::1]/hook", "fe80::1 " + public},
				{"https://0.0.0.0/hook", "0.0.0.0 " + public},
				{"https://100.64.0.1/hook", "100.64.0.1 " + public},
				{"https://10.0.0.1/hook", "10.0.0.1 " + public},
				{"https://localhost/hook", "must not point at this machine (localhost)"},
				{"https://2130706433/hook", `host "2130706433" must be a DNS name or an IP address`},
			} {
				status, fields := call(http.MethodPost, "/api/v1/admin/users", user(tc.url))
				require.Equal(t, http.StatusBadRequest, status, tc.url)
				require.Equal(t, map[string]string{"webhook_url": tc.want}, fields, tc.url)
			}
			users, err := st.ListUsers(t.Context())
			require.NoError(t, err)
			require.Empty(t, users, "a refused user is not stored")

			for _, ok := range []string{"https://hooks.example.com/x?key=1", "https://10.9.1.1/hook"} {
				status, fields := call(http.MethodPost, "/api/v1/admin/users", user(ok))
				require.Equal(t, http.StatusCreated, status, "%s: %v", ok, fields)
			}
			users, err = st.ListUsers(t.Context())
			require.NoError(t, err)
			require.Len(t, users, 2)
		})
	}
}

// TestPutPolicyRefusesUnreachableTargets: the policy that deadlocked
// workflows (a year's targets, open one minute a week) is refused, naming
// each target, and not stored.
func TestPutPolicyRefusesUnreachableTargets(t *testing.T) {
	const slowcal = `{"response":"8760h","onsite":"8760h","resolution":"8760h","calendar":{"time_zone":"UTC",` +
		`"hours":[{"weekday":"monday","spans":[{"start":"00:00","end":"00:01"}]}]}}`
	const problem = "needs more than a year of open hours under this calendar (a year holds 52m8s)"
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			_, call := adminAPI(t, b.URL)
			status, fields := call(http.MethodPut, "/api/v1/sla-policies/slowcal", slowcal)
			require.Equal(t, http.StatusBadRequest, status)
			require.Equal(t, map[string]string{"response": problem, "onsite": problem, "resolution": problem}, fields)
			status, _ = call(http.MethodGet, "/api/v1/sla-policies/slowcal", "")
			require.Equal(t, http.StatusNotFound, status)

			reachable := strings.ReplaceAll(slowcal, "8760h", "50m")
			status, fields = call(http.MethodPut, "/api/v1/sla-policies/slowcal", reachable)
			require.Equal(t, http.StatusOK, status, "%v", fields)
		})
	}
}
