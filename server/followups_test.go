package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// followupAPI is the API on a real store without Temporal, for an
// after-sales agent (cf_agent) and a sales agent (cf_sales): every request
// here is answered before a workflow would be asked.
func followupAPI(t *testing.T) (*store.Store, func(token, method, target, body string) (int, map[string]any)) {
	st, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	callers := map[string]auth.Principal{
		"cf_agent": {UserID: "u-agent", Name: "Desk", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}},
		"cf_sales": {UserID: "u-sales", Name: "Sales", Department: auth.Sales, Roles: []auth.Role{auth.Agent}},
	}
	h := server.NewRouter(server.Deps{Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
		Now: func() time.Time { return surveyAt },
		Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
			for token, p := range callers {
				if auth.HashToken(token) == hash {
					return p, nil
				}
			}
			return auth.Principal{}, auth.ErrUnauthenticated
		}}})
	return st, func(token, method, target, body string) (int, map[string]any) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out
	}
}

func fields(out map[string]any) map[string]any {
	e, _ := out["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	return f
}

// Bad filters answer 400 naming the query parameter.
func TestFollowupAndFeedbackListsNameBadFilters(t *testing.T) {
	_, call := followupAPI(t)
	for target, want := range map[string]map[string]any{
		"/api/v1/followups?kind=visit&stage=late&owner_department=sales&overdue=maybe&due_from=tomorrow&due_to=2026-06-01": {
			"kind":             "must be one of: " + strings.Join(complaint.FollowupKinds(), ", "),
			"stage":            "must be one of: " + strings.Join(complaint.FollowupStages(), ", "),
			"owner_department": "must be one of: " + strings.Join(complaint.FollowupDepartments(), ", "),
			"overdue":          "must be true or false",
			"due_from":         "must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00",
			"due_to":           "must be an RFC 3339 time, e.g. 2026-11-29T08:30:00+08:00"},
		"/api/v1/feedback?kind=complaint&stage=closed&routed_to=hr&overdue=1x&limit=0": {
			"kind":      "must be one of: " + strings.Join(complaint.FeedbackKinds(), ", "),
			"stage":     "must be one of: " + strings.Join(complaint.FeedbackStages(), ", "),
			"routed_to": "must be one of: " + strings.Join(complaint.Departments(), ", "),
			"overdue":   "must be true or false",
			"limit":     "must be an integer from 1 to 200"},
	} {
		status, out := call("cf_agent", http.MethodGet, target, "")
		require.Equal(t, http.StatusBadRequest, status, target)
		require.Equal(t, want, fields(out), target)
	}
	status, out := call("cf_agent", http.MethodGet, "/api/v1/followups?due_from=2026-06-01T00:00:00Z&overdue=false", "")
	require.Equal(t, http.StatusOK, status, "%v", out)
	require.Equal(t, []any{}, out["followups"])
}

// What an opening or a logging names must be in the store: 422 naming the
// field, before any workflow.
func TestFollowupAndFeedbackNameWhatTheStoreHolds(t *testing.T) {
	st, call := followupAPI(t)
	_, err := st.CreateCustomer(t.Context(), store.Customer{ID: "C-1",
		CustomerBody: archive.CustomerBody{Name: "Acme", SLAPolicy: "standard"}})
	require.NoError(t, err)
	due := surveyAt.Add(48 * time.Hour).Format(time.RFC3339)
	status, out := call("cf_agent", http.MethodPost, "/api/v1/followups",
		`{"kind":"delivery_call","customer_id":"C-9","serial":"SN-9","complaint_id":"c-9","due_at":"`+due+`"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
	require.Equal(t, map[string]any{"customer_id": "names no customer in the archive", "serial": "names no equipment",
		"complaint_id": "names no complaint"}, fields(out))

	status, out = call("cf_agent", http.MethodPost, "/api/v1/followups",
		`{"kind":"delivery_call","customer_id":"C-1","due_at":"2026-01-01T00:00:00Z"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, "the rules answer first")
	require.Equal(t, map[string]any{"due_at": "must not be in the past", "serial": "is required for a delivery call"},
		fields(out))

	status, out = call("cf_sales", http.MethodPost, "/api/v1/followups",
		`{"kind":"annual_survey","customer_id":"C-1","due_at":"`+due+`"}`)
	require.Equal(t, http.StatusForbidden, status, "%v", out)

	status, out = call("cf_sales", http.MethodPost, "/api/v1/feedback",
		`{"kind":"suggestion","from_customer_id":"C-9","text":"a bigger display","routed_to":"technical"}`)
	require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
	require.Equal(t, map[string]any{"from_customer_id": "names no customer in the archive"}, fields(out))
}

// A done step never takes raised_complaint_id from the client, and one that
// raises a complaint is checked by the rules before the complaint is
// registered.
func TestFollowupDoneRaisesOnlyWhatTheRulesAllow(t *testing.T) {
	st, call := followupAPI(t)
	status, out := call("cf_agent", http.MethodPost, "/api/v1/followups/f-1/done",
		`{"note":"called","raised_complaint_id":"c-1"}`)
	require.Equal(t, http.StatusBadRequest, status)
	require.Equal(t, map[string]any{"raised_complaint_id": "is set by the server from raise_complaint, never by the client"},
		fields(out))

	raise := `{"note":"the pump leaks","issues_found":%s,"raise_complaint":{"contact_name":"Li","description":"leaks"}}`
	status, _ = call("cf_agent", http.MethodPost, "/api/v1/followups/f-404/done", strings.Replace(raise, "%s", "true", 1))
	require.Equal(t, http.StatusNotFound, status)

	f := complaint.Followup{ID: "f-1", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupOpen,
		CustomerID: "C-1", Serial: "SN-1", OwnerDepartment: complaint.DepartmentBranchOffice, DueAt: surveyAt,
		OpenedAt: surveyAt, UpdatedAt: surveyAt, AllowedSteps: complaint.FollowupSteps()}
	require.NoError(t, st.RegisterFollowup(t.Context(), f,
		complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, OccurredAt: surveyAt}))
	status, out = call("cf_agent", http.MethodPost, "/api/v1/followups/f-1/done", strings.Replace(raise, "%s", "true", 1))
	require.Equal(t, http.StatusForbidden, status, "another department's follow-up: %v", out)

	f.ID, f.OwnerDepartment = "f-2", complaint.DepartmentAfterSales
	require.NoError(t, st.RegisterFollowup(t.Context(), f,
		complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, OccurredAt: surveyAt}))
	status, out = call("cf_agent", http.MethodPost, "/api/v1/followups/f-2/done", strings.Replace(raise, "%s", "false", 1))
	require.Equal(t, http.StatusUnprocessableEntity, status)
	require.Equal(t, map[string]any{"raise_complaint": "needs issues_found to be true"}, fields(out))
	status, out = call("cf_agent", http.MethodPost, "/api/v1/followups/f-2/done", strings.Replace(raise, "%s", "true", 1))
	require.Equal(t, http.StatusUnprocessableEntity, status, "the customer is not in the archive: %v", out)
	require.Contains(t, fields(out), "customer_id")
	cases, err := st.ListCases(t.Context(), store.CaseFilter{Limit: 10})
	require.NoError(t, err)
	require.Empty(t, cases.Cases, "nothing was registered")
}

// A complaint answers its follow-ups, and the follow-up that raised it.
func TestComplaintAnswersItsFollowups(t *testing.T) {
	st, call := followupAPI(t)
	cs := complaint.Case{ID: "c-1", Stage: complaint.StageClosed, ReceivedAt: surveyAt, RegisteredAt: surveyAt,
		Register: complaint.Register{CustomerID: "C-1", CustomerName: "Acme", ContactName: "Li", Description: "leaks",
			Category: complaint.CategoryOther, Severity: complaint.SeverityMinor}}
	_, err := st.RegisterCase(t.Context(), cs, complaint.Event{Seq: 1, Kind: complaint.EventRegistered, OccurredAt: surveyAt})
	require.NoError(t, err)
	sent := surveyAt.Add(time.Hour)
	for _, f := range []complaint.Followup{
		{ID: "f-post", Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupDone, ComplaintID: "c-1",
			Survey: &complaint.Survey{State: complaint.SurveySent, SentAt: &sent}},
		{ID: "f-raised", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupDone, RaisedComplaintID: "c-1"},
		{ID: "f-other", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupOpen, ComplaintID: "c-2"},
	} {
		f.CustomerID, f.OwnerDepartment, f.DueAt, f.OpenedAt, f.UpdatedAt = "C-1", complaint.DepartmentAfterSales,
			surveyAt, surveyAt, surveyAt
		require.NoError(t, st.RegisterFollowup(t.Context(), f,
			complaint.Event{Seq: 1, Kind: complaint.EventFollowupOpened, OccurredAt: surveyAt}))
	}
	status, out := call("cf_agent", http.MethodGet, "/api/v1/complaints/c-1", "")
	require.Equal(t, http.StatusOK, status, "%v", out)
	raw, err := json.Marshal(out["followups"])
	require.NoError(t, err)
	var got []complaint.CaseFollowup
	require.NoError(t, json.Unmarshal(raw, &got))
	require.ElementsMatch(t, []complaint.CaseFollowup{
		{ID: "f-post", Kind: complaint.FollowupPostCloseCall, Stage: complaint.FollowupDone, DueAt: surveyAt,
			ComplaintID: "c-1", SurveyState: complaint.SurveySent},
		{ID: "f-raised", Kind: complaint.FollowupDeliveryCall, Stage: complaint.FollowupDone, DueAt: surveyAt,
			RaisedComplaintID: "c-1"},
	}, got)
}
