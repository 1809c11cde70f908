package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// The complaint list filters on the archive's facts each case copied at
// registration, and refuses values it cannot take as the other filters do.
func TestListComplaintsByArchiveFacts(t *testing.T) {
	st, err := store.Open(t.Context(), storetest.SQLite(t).URL)
	require.NoError(t, err)
	t.Cleanup(func() { st.Close() })
	require.NoError(t, st.Migrate(t.Context()))
	agent := auth.Principal{UserID: "u-agent", Name: "Desk", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}}
	h := server.NewRouter(server.Deps{
		Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
		Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
			if hash == auth.HashToken("cf_agent") {
				return agent, nil
			}
			return auth.Principal{}, auth.ErrUnauthenticated
		}},
	})
	get := func(target string) (int, store.CasePage, server.ErrorDetail) {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Authorization", "Bearer cf_agent")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body struct {
			store.CasePage
			Error server.ErrorDetail `json:"error"`
		}
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
		return rec.Code, body.CasePage, body.Error
	}

	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	register := func(id string, minutes int, customer *complaint.CaseCustomer, warranty *complaint.Warranty, serial string) {
		registered := at.Add(time.Duration(minutes) * time.Minute)
		c := complaint.Case{ID: id, Stage: complaint.StageConfirm, ReceivedAt: registered, RegisteredAt: registered,
			Register: complaint.Register{CustomerID: "C-1", CustomerName: "Acme", ContactName: "Li", Description: "leaks",
				Category: complaint.CategoryOther, Severity: complaint.SeverityMinor, EquipmentSerial: serial},
			Customer: customer, Warranty: warranty}
		_, err := st.RegisterCase(t.Context(), c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered, OccurredAt: registered})
		require.NoError(t, err)
	}
	register("a", 1, &complaint.CaseCustomer{Name: "Acme", Region: "east", BranchOffice: "shanghai", KeyCustomer: true},
		&complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2025-12-31"}, "SN-1")
	register("b", 2, &complaint.CaseCustomer{Name: "Acme", Region: "east", BranchOffice: "hangzhou"},
		&complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: "2027-12-31"}, "SN-2")
	register("c", 3, nil, nil, "") // registered before the archive

	for target, want := range map[string][]string{
		"/api/v1/complaints?region=east":                              {"b", "a"},
		"/api/v1/complaints?branch_office=shanghai":                   {"a"},
		"/api/v1/complaints?key_customer=true":                        {"a"},
		"/api/v1/complaints?key_customer=false":                       {"c", "b"},
		"/api/v1/complaints?warranty=out_of_warranty":                 {"a"},
		"/api/v1/complaints?warranty=unknown":                         {},
		"/api/v1/complaints?serial=SN-2":                              {"b"},
		"/api/v1/complaints?region=east&key_customer=false":           {"b"},
		"/api/v1/complaints?region=east&warranty=in_warranty&limit=1": {"b"},
	} {
		status, page, _ := get(target)
		require.Equal(t, http.StatusOK, status, target)
		ids := []string{}
		for _, c := range page.Cases {
			ids = append(ids, c.ID)
		}
		require.Equal(t, want, ids, target)
	}
	_, page, _ := get("/api/v1/complaints?serial=SN-1")
	require.Len(t, page.Cases, 1)
	require.Equal(t, &complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: "2025-12-31"}, page.Cases[0].Warranty)
	require.Equal(t, "east", page.Cases[0].Customer.Region)

	for _, tc := range []struct{ query, param, problem string }{
		{"key_customer=yes", "key_customer", "must be true or false"},
		{"key_customer=TRUE", "key_customer", "must be true or false"},
		{"warranty=expired", "warranty", "must be one of: in_warranty, out_of_warranty, unknown"},
		{"region=east%00", "region", "must not contain control characters"},
		{"serial=SN%01", "serial", "must not contain control characters"},
	} {
		status, _, problem := get("/api/v1/complaints?" + tc.query)
		require.Equal(t, http.StatusBadRequest, status, tc.query)
		require.Equal(t, map[string]string{tc.param: tc.problem}, problem.Fields, tc.query)
	}
}
