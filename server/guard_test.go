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
	"github.com/caseflow/caseflow/server"
)

// guardRouter is the API with every caller an after-sales agent and admin,
// and neither store nor Temporal: the requests here must be refused before
// either is reached.
func guardRouter() http.Handler {
	return server.NewRouter(server.Deps{
		Logger:  slog.New(slog.DiscardHandler),
		Metrics: prometheus.NewRegistry(),
		Auth: &auth.Authenticator{Tokens: func(context.Context, string) (auth.Principal, error) {
			return auth.Principal{UserID: "u1", Name: "Li", Department: auth.AfterSales,
				Roles: []auth.Role{auth.Agent, auth.Supervisor, auth.Admin}}, nil
		}},
	})
}

func call(t *testing.T, h http.Handler, method, target, body string, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer cf_test")
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func errorFields(t *testing.T, rec *httptest.ResponseRecorder) map[string]string {
	t.Helper()
	var body server.ErrorBody
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body), rec.Body.String())
	return body.Error.Fields
}

const validRegistration = `{"customer_id":"C-1","customer_name":"Hospital","contact_name":"Wang","description":"pump alarms"}`

func TestRefusesHostileInputBeforeStoreAndTemporal(t *testing.T) {
	h := guardRouter()
	long := strings.Repeat("x", 5000)
	cases := []struct {
		name, method, target, body string
		headers                    map[string]string
		want                       map[string]string
	}{
		{"NUL in a case id", "GET", "/api/v1/complaints/abc%00def", "", nil,
			map[string]string{"id": "must not contain control characters"}},
		{"invalid UTF-8 in a case id", "GET", "/api/v1/complaints/caf%E9/timeline", "", nil,
			map[string]string{"id": "must be valid UTF-8 text"}},
		{"5,000-character customer id in the path", "GET", "/api/v1/customers/" + long, "", nil,
			map[string]string{"id": "must be at most 64 characters"}},
		{"5,000-character contract number in the path", "PUT", "/api/v1/contracts/" + long, `{"customer_id":"C-1","sla_policy":"standard"}`, nil,
			map[string]string{"number": "must be at most 64 characters"}},
		{"blank customer id in the path", "PUT", "/api/v1/customers/%20%20", `{"name":"H","sla_policy":"standard"}`, nil,
			map[string]string{"id": "is required"}},
		{"NUL in the customer_id filter", "GET", "/api/v1/complaints?customer_id=C%00", "", nil,
			map[string]string{"customer_id": "must not contain control characters"}},
		{"long customer_id filter", "GET", "/api/v1/complaints?customer_id=" + long, "", nil,
			map[string]string{"customer_id": "must be at most 64 characters"}},
		{"line break in a cursor", "GET", "/api/v1/complaints?cursor=a%0Ab", "", nil,
			map[string]string{"cursor": "must not contain control characters"}},
		{"NUL in a query on a public route", "GET", "/readyz?x=%00", "", nil,
			map[string]string{"x": "must not contain control characters"}},
		{"Idempotency-Key over 255 characters", "POST", "/api/v1/complaints", validRegistration,
			map[string]string{"Idempotency-Key": strings.Repeat("k", 256)},
			map[string]string{"Idempotency-Key": "must be at most 255 characters"}},
		{"control character in the Idempotency-Key", "POST", "/api/v1/complaints", validRegistration,
			map[string]string{"Idempotency-Key": "key\x01"},
			map[string]string{"Idempotency-Key": "must not contain control characters"}},
		{"Idempotency-Key not UTF-8", "POST", "/api/v1/complaints", validRegistration,
			map[string]string{"Idempotency-Key": "caf\xe9"},
			map[string]string{"Idempotency-Key": "must be valid UTF-8 text"}},
		{"NUL in a customer id", "POST", "/api/v1/complaints",
			`{"customer_id":"C\u0000","customer_name":"Hospital","contact_name":"Wang","description":"pump"}`, nil,
			map[string]string{"customer_id": "must not contain control characters"}},
		{"line break in a customer name, tab in the description", "POST", "/api/v1/complaints",
			`{"customer_id":"C-1","customer_name":"Hos\npital","contact_name":"Wang","description":"pump\talarms\r\n"}`, nil,
			map[string]string{"customer_name": "must not contain control characters"}},
		{"invalid UTF-8 in a description", "POST", "/api/v1/complaints",
			"{\"customer_id\":\"C-1\",\"customer_name\":\"H\",\"contact_name\":\"W\",\"description\":\"caf\xe9\"}", nil,
			map[string]string{"description": "must be valid UTF-8 text"}},
		{"whitespace-only required fields", "POST", "/api/v1/complaints",
			`{"customer_id":"  ","customer_name":"\t","contact_name":"Wang","description":" \n "}`, nil,
			map[string]string{"customer_id": "is required", "customer_name": "is required", "description": "is required"}},
		{"5,000-character customer id in a body", "POST", "/api/v1/complaints",
			`{"customer_id":"` + long + `","customer_name":"H","contact_name":"W","description":"d","contract_number":"` + long + `"}`, nil,
			map[string]string{"customer_id": "must be at most 64 characters", "contract_number": "must be at most 64 characters"}},
		{"NUL in a user's name", "POST", "/api/v1/admin/users",
			`{"name":"Li\u0000","department":"sales","roles":["agent"]}`, nil,
			map[string]string{"name": "must not contain control characters"}},
		{"repeated roles", "POST", "/api/v1/admin/users",
			`{"name":"Li","department":"sales","roles":["agent","agent"]}`, nil,
			map[string]string{"roles": "must not repeat a value"}},
		{"NUL in a note", "POST", "/api/v1/complaints/c1/contact", `{"note":"called\u0000"}`, nil,
			map[string]string{"note": "must not contain control characters other than tab and line breaks"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := call(t, h, c.method, c.target, c.body, c.headers)
			require.Equal(t, http.StatusBadRequest, rec.Code, rec.Body.String())
			require.Equal(t, c.want, errorFields(t, rec))
		})
	}
}

func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	h := guardRouter()
	for _, target := range []string{"/healthz", "/openapi.yaml", "/no/such/route", "/api/v1/complaints/%00"} {
		rec := call(t, h, http.MethodGet, target, "", nil)
		require.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"), target)
		require.Equal(t, "no-store", rec.Header().Get("Cache-Control"), target)
		require.Equal(t, "no-referrer", rec.Header().Get("Referrer-Policy"), target)
		require.Equal(t, "default-src 'none'; frame-ancestors 'none'", rec.Header().Get("Content-Security-Policy"), target)
	}
}

func TestMetricsAreNotOnTheAPIPort(t *testing.T) {
	rec := call(t, guardRouter(), http.MethodGet, "/metrics", "", nil)
	require.Equal(t, http.StatusNotFound, rec.Code)
}
