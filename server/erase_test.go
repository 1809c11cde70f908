package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/mock"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/mocks"

	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var eraseAt = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)

// eraseAPI is the API on a real store with a mocked Temporal, for an admin
// (cf_admin) and an after-sales agent (cf_agent); the store holds customer
// C-1 with one closed case, case-1.
func eraseAPI(t *testing.T, temporal *mocks.Client) (*store.Store, func(token, method, target, body string) (int, map[string]any, http.Header)) {
	st, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	_, err = st.PutCustomer(t.Context(), store.Customer{ID: "C-1", CustomerBody: archive.CustomerBody{
		Name: "Lotus Clinic", SLAPolicy: "standard", Contacts: []archive.Contact{{Name: "Lan Xiaoli"}}}})
	require.NoError(t, err)
	c := complaint.Case{ID: "case-1", Stage: complaint.StageConfirm, Register: complaint.Register{CustomerID: "C-1",
		CustomerName: "Lotus Clinic", ContactName: "Lan Xiaoli", Description: "sparks",
		Category: complaint.CategoryQuality, Severity: complaint.SeverityMinor},
		ReceivedAt: eraseAt.Add(-48 * time.Hour), RegisteredAt: eraseAt.Add(-48 * time.Hour)}
	_, err = st.RegisterCase(t.Context(), c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered,
		Payload: json.RawMessage(`{}`), OccurredAt: c.RegisteredAt})
	require.NoError(t, err)
	c.Stage = complaint.StageClosed
	require.NoError(t, st.ApplyEvent(t.Context(), c, complaint.Event{Seq: 2, Kind: complaint.EventWithdrawn,
		Payload: json.RawMessage(`{"note":"withdrawn"}`), OccurredAt: eraseAt.Add(-time.Hour)}))
	callers := map[string]auth.Principal{
		"cf_admin": {UserID: "u-admin", Name: "Admin", Department: auth.AfterSales, Roles: []auth.Role{auth.Admin}},
		"cf_agent": {UserID: "u-agent", Name: "Desk", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}},
	}
	keys, err := actorsig.Generate()
	require.NoError(t, err)
	h := server.NewRouter(server.Deps{Store: st, Temporal: temporal, ActorKeys: keys, Logger: slog.New(slog.DiscardHandler),
		Metrics: prometheus.NewRegistry(), Now: func() time.Time { return eraseAt },
		Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
			for token, p := range callers {
				if auth.HashToken(token) == hash {
					return p, nil
				}
			}
			return auth.Principal{}, auth.ErrUnauthenticated
		}}})
	return st, func(token, method, target, body string) (int, map[string]any, http.Header) {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var out map[string]any
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
		return rec.Code, out, rec.Header()
	}
}

// postClose is the post-close call case-1 would start on closing.
const postClose = "followup-postclose-case-1-1"

// temporalSays mocks Temporal's answers about workflows: a status, or an
// error. Every question may go unasked (an error stops the others).
func temporalSays(m *mocks.Client, answers map[string]any) {
	for id, a := range answers {
		call := m.On("DescribeWorkflowExecution", mock.Anything, id, "").Maybe()
		switch a := a.(type) {
		case enums.WorkflowExecutionStatus:
			call.Return(&workflowservice.DescribeWorkflowExecutionResponse{
				WorkflowExecutionInfo: &workflowpb.WorkflowExecutionInfo{Status: a}}, nil)
		case error:
			call.Return(nil, a)
		}
	}
}

// TestEraseCustomerAnswers: the erasure's answers: 200 (and 200 repeated),
// 404 for an unknown customer, 409 naming the workflows Temporal still
// runs (the post-close call too, which the store learns of only when it
// appears), 503 with Retry-After when Temporal or the store cannot answer;
// a refused erasure changes nothing.
func TestEraseCustomerAnswers(t *testing.T) {
	const body = `{"reason":"the customer asked to be forgotten"}`
	notFound := serviceerror.NewNotFound("workflow not found")
	erased := map[string]any{"customer_id": "C-1", "erased_at": "2026-06-01T09:00:00Z", "erased_by": "u-admin",
		"workflows": 1.0, "repeated": false}
	running := func(ids ...any) map[string]any {
		return map[string]any{"error": map[string]any{"code": "customer_has_open_processes",
			"message":      "the customer's processes are still running; erase the customer once they have ended",
			"workflow_ids": ids}}
	}
	for _, tc := range []struct {
		name       string
		temporal   map[string]any
		closeStore bool
		customer   string
		status     int
		want       map[string]any
	}{
		{name: "erased", customer: "C-1", status: http.StatusOK, want: erased,
			temporal: map[string]any{"complaint-case-1": enums.WORKFLOW_EXECUTION_STATUS_COMPLETED, postClose: notFound}},
		{name: "workflows Temporal no longer knows have ended", customer: "C-1", status: http.StatusOK, want: erased,
			temporal: map[string]any{"complaint-case-1": notFound, postClose: notFound}},
		{name: "the case's workflow still runs", customer: "C-1", status: http.StatusConflict,
			temporal: map[string]any{"complaint-case-1": enums.WORKFLOW_EXECUTION_STATUS_RUNNING,
				postClose: enums.WORKFLOW_EXECUTION_STATUS_RUNNING},
			want: running("complaint-case-1", postClose)},
		{name: "the post-close call waits to appear", customer: "C-1", status: http.StatusConflict,
			temporal: map[string]any{"complaint-case-1": enums.WORKFLOW_EXECUTION_STATUS_COMPLETED,
				postClose: enums.WORKFLOW_EXECUTION_STATUS_RUNNING},
			want: running(postClose)},
		{name: "an unknown customer", customer: "C-404", status: http.StatusNotFound,
			want: map[string]any{"error": map[string]any{"code": "not_found", "message": "no customer with id C-404"}}},
		{name: "Temporal unavailable", customer: "C-1", status: http.StatusServiceUnavailable,
			temporal: map[string]any{"complaint-case-1": serviceerror.NewUnavailable("connection refused"),
				postClose: serviceerror.NewUnavailable("connection refused")}},
		{name: "the store down", customer: "C-1", closeStore: true, status: http.StatusServiceUnavailable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			temporal := mocks.NewClient(t)
			temporalSays(temporal, tc.temporal)
			st, call := eraseAPI(t, temporal)
			if tc.closeStore {
				require.NoError(t, st.Close())
			}
			status, out, header := call("cf_admin", http.MethodPost, "/api/v1/customers/"+tc.customer+"/erase", body)
			require.Equal(t, tc.status, status, "%v", out)
			if tc.status == http.StatusServiceUnavailable {
				require.NotEmpty(t, header.Get("Retry-After"))
				require.Equal(t, "unavailable", out["error"].(map[string]any)["code"])
				return
			}
			require.Equal(t, tc.want, out)
			_, err := st.CustomerErasure(t.Context(), "C-1")
			if tc.status != http.StatusOK {
				require.ErrorIs(t, err, store.ErrNotFound, "a refused erasure changes nothing")
				cu, err := st.GetCustomer(t.Context(), "C-1")
				require.NoError(t, err)
				require.Equal(t, "Lotus Clinic", cu.Name)
				return
			}
			require.NoError(t, err)

			// Again: the first erasure, without asking Temporal again.
			status, again, _ := call("cf_admin", http.MethodPost, "/api/v1/customers/C-1/erase", `{"reason":"again"}`)
			require.Equal(t, http.StatusOK, status)
			want := maps.Clone(tc.want)
			want["repeated"] = true
			require.Equal(t, want, again)
			status, cu, _ := call("cf_agent", http.MethodGet, "/api/v1/customers/C-1", "")
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "2026-06-01T09:00:00Z", cu["erased_at"])
			require.Equal(t, store.ErasedMarker, cu["name"])
		})
	}
}
