package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// TestHostileParametersEndToEnd: path ids, query parameters, bodies and
// the Idempotency-Key header that the store would choke on (PostgreSQL
// refuses NUL) or that exceed their limits are refused with a 400 naming
// them, on both databases, and nothing is stored.
func TestHostileParametersEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			api := agent(t, stack)
			admin := as(t, stack, "after_sales", "admin")
			supervisor := as(t, stack, "after_sales", "supervisor")
			status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status, "%v", created)
			id := created["id"].(string)
			long := strings.Repeat("x", 5000)

			cases := []struct {
				name         string
				client       apiClient
				method, path string
				body         any
				headers      map[string]string
				want         map[string]string
			}{
				{"NUL in a case id", api, "GET", "/api/v1/complaints/" + id + "%00", nil, nil,
					map[string]string{"id": "must not contain control characters"}},
				{"NUL in a step's case id", api, "POST", "/api/v1/complaints/%00/contact", map[string]any{"note": "called"}, nil,
					map[string]string{"id": "must not contain control characters"}},
				{"NUL in the customer_id filter", api, "GET", "/api/v1/complaints?customer_id=C-1001%00", nil, nil,
					map[string]string{"customer_id": "must not contain control characters"}},
				{"invalid UTF-8 in the customer_id filter", api, "GET", "/api/v1/complaints?customer_id=%E9", nil, nil,
					map[string]string{"customer_id": "must be valid UTF-8 text"}},
				{"NUL in a customer id in the path", supervisor, "PUT", "/api/v1/customers/C%00", map[string]any{"name": "H", "sla_policy": "standard"}, nil,
					map[string]string{"id": "must not contain control characters"}},
				{"5,000-character customer id in the path", supervisor, "PUT", "/api/v1/customers/" + long, map[string]any{"name": "H", "sla_policy": "standard"}, nil,
					map[string]string{"id": "must be at most 64 characters"}},
				{"5,000-character contract number in the path", supervisor, "PUT", "/api/v1/contracts/" + long, map[string]any{"customer_id": "C-1001", "sla_policy": "standard"}, nil,
					map[string]string{"number": "must be at most 64 characters"}},
				{"NUL in a customer's name", supervisor, "PUT", "/api/v1/customers/C-1001", map[string]any{"name": "H\x00", "sla_policy": "standard"}, nil,
					map[string]string{"name": "must not contain control characters"}},
				{"NUL in a contract's customer id", supervisor, "PUT", "/api/v1/contracts/K-1", map[string]any{"customer_id": "C\x00", "sla_policy": "standard"}, nil,
					map[string]string{"customer_id": "must not contain control characters"}},
				{"NUL in a user's name", admin, "POST", "/api/v1/admin/users", map[string]any{"name": "Mallory\x00", "department": "sales", "roles": []string{"agent"}}, nil,
					map[string]string{"name": "must not contain control characters"}},
				{"duplicate roles", admin, "POST", "/api/v1/admin/users", map[string]any{"name": "Li", "department": "sales", "roles": []string{"agent", "agent"}}, nil,
					map[string]string{"roles": "must not repeat a value"}},
				{"whitespace-only user name", admin, "POST", "/api/v1/admin/users", map[string]any{"name": "  ", "department": "sales", "roles": []string{"agent"}}, nil,
					map[string]string{"name": "is required"}},
				{"NUL in a user id", admin, "GET", "/api/v1/admin/users/%00/tokens", nil, nil,
					map[string]string{"id": "must not contain control characters"}},
				{"NUL in a step note", api, "POST", "/api/v1/complaints/" + id + "/contact", map[string]any{"note": "called\x00"}, nil,
					map[string]string{"note": "must not contain control characters other than tab and line breaks"}},
				{"whitespace-only step note", api, "POST", "/api/v1/complaints/" + id + "/contact", map[string]any{"note": " \n\t"}, nil,
					map[string]string{"note": "is required"}},
				{"Idempotency-Key over 255 characters", api, "POST", "/api/v1/complaints", validComplaint(),
					map[string]string{"Idempotency-Key": strings.Repeat("k", 256)},
					map[string]string{"Idempotency-Key": "must be at most 255 characters"}},
				{"100 KB Idempotency-Key on a step", api, "POST", "/api/v1/complaints/" + id + "/contact", map[string]any{"note": "called"},
					map[string]string{"Idempotency-Key": strings.Repeat("k", 100_000)},
					map[string]string{"Idempotency-Key": "must be at most 255 characters"}},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					status, body := c.client.do(c.method, c.path, c.body, c.headers)
					require.Equal(t, http.StatusBadRequest, status, "%v", body)
					fields := map[string]string{}
					for k, v := range body["error"].(map[string]any)["fields"].(map[string]any) {
						fields[k] = v.(string)
					}
					require.Equal(t, c.want, fields)
				})
			}
			require.Equal(t, 1, countRows(t, stack, "complaints"))
			require.Equal(t, 1, countRows(t, stack, "case_events"), "no step was applied")
			require.Equal(t, 1, countRows(t, stack, "customers"), "only the customer the one case added")
			require.Zero(t, countRows(t, stack, "contracts"))
		})
	}
}

// TestSecurityHeadersEndToEnd: the answer carrying a new token is never
// cached, and every answer says so and forbids sniffing and framing.
func TestSecurityHeadersEndToEnd(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	admin := as(t, stack, "after_sales", "admin")
	raw := `{"name":"Li Lei","department":"sales","roles":["agent"]}`
	for _, path := range []string{"/api/v1/admin/users", "/healthz", "/api/v1/complaints/none"} {
		method, body := http.MethodGet, ""
		if path == "/api/v1/admin/users" {
			method, body = http.MethodPost, raw
		}
		req, err := http.NewRequestWithContext(t.Context(), method, stack.APIURL()+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+admin.token)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		if method == http.MethodPost {
			require.Equal(t, http.StatusCreated, resp.StatusCode, "a new user and token")
		}
		require.Equal(t, "no-store", resp.Header.Get("Cache-Control"), path)
		require.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		require.Equal(t, "no-referrer", resp.Header.Get("Referrer-Policy"), path)
		require.Equal(t, "default-src 'none'; frame-ancestors 'none'", resp.Header.Get("Content-Security-Policy"), path)
	}
}

// TestConcurrentRetriesShareOneKey: 50 concurrent registrations with one
// Idempotency-Key make exactly one case and all answer it; Temporal, which
// takes only a few updates in flight per workflow, sees one. The same for
// concurrent retries of a keyed step. A 503 with Retry-After is tolerated
// (the client would retry); a 500 or a hang is not.
func TestConcurrentRetriesShareOneKey(t *testing.T) {
	const n = 50
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			api := agent(t, stack)
			for round := range 3 {
				key := map[string]string{"Idempotency-Key": fmt.Sprintf("burst-%d", round)}
				body := validComplaint()
				ids := concurrently(t, n, func() answer {
					return api.send(http.MethodPost, "/api/v1/complaints", body, key)
				}, http.StatusCreated)
				require.Len(t, ids, 1, "every 201 names the same case: %v", ids)
				require.Equal(t, round+1, countRows(t, stack, "complaints"), "exactly one case per key")
			}

			status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status)
			id := created["id"].(string)
			key := map[string]string{"Idempotency-Key": "contact-once"}
			versions := concurrently(t, n, func() answer {
				a := api.send(http.MethodPost, "/api/v1/complaints/"+id+"/contact", map[string]any{"note": "called back"}, key)
				if a.status == http.StatusOK {
					a.body["id"] = fmt.Sprint(a.body["version"])
				}
				return a
			}, http.StatusOK)
			require.Len(t, versions, 1, "every 200 shows the same version: %v", versions)
			status, got := api.do(http.MethodGet, "/api/v1/complaints/"+id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, got["contacts"], 1, "the step was applied once")

			// The API, not Temporal, absorbed the duplicates.
			for _, op := range []string{"registration", "step"} {
				require.Positive(t, collapsedRequests(t, stack, op), "%s calls were collapsed", op)
			}
		})
	}
}

// answer is one HTTP answer, or the error that kept it from coming.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	err    error
}

// send is do for other goroutines than the test's: it reports errors
// instead of failing the test.
func (c apiClient) send(method, path string, body any, headers map[string]string) answer {
	raw, err := json.Marshal(body)
	if err != nil {
		return answer{err: err}
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, bytes.NewReader(raw))
	if err != nil {
		return answer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.token)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{err: err}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	a.err = json.NewDecoder(resp.Body).Decode(&a.body)
	return a
}

// concurrently runs call n times at once and returns the distinct ids of
// the answers with status ok, counted; any other answer must be 503 with
// Retry-After. The client has no timeout of its own: a hang fails the test
// by its deadline, and every answer must come within the API's 30 s.
func concurrently(t *testing.T, n int, call func() answer, ok int) map[string]int {
	t.Helper()
	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Go(func() { answers[i] = call() })
	}
	wg.Wait()
	elapsed := time.Since(start)
	ids := map[string]int{}
	unavailable := 0
	for i, a := range answers {
		require.NoError(t, a.err, "answer %d", i)
		switch a.status {
		case ok:
			ids[a.body["id"].(string)]++
		case http.StatusServiceUnavailable:
			unavailable++
			require.NotEmpty(t, a.header.Get("Retry-After"), "answer %d: a 503 says when to retry", i)
		default:
			t.Fatalf("answer %d: %d %v", i, a.status, a.body)
		}
	}
	t.Logf("%d concurrent calls in %v: %d answered %d, %d answered 503", n, elapsed, n-unavailable, ok, unavailable)
	require.NotEmpty(t, ids, "at least one call succeeded")
	require.Less(t, elapsed, 35*time.Second, "no call waited past the API's timeout")
	return ids
}

// collapsedRequests reads caseflow_requests_collapsed_total of operation
// from the stack's metrics.
func collapsedRequests(t *testing.T, stack *app.Stack, operation string) float64 {
	t.Helper()
	resp, err := http.Get(stack.MetricsURL() + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	m := regexp.MustCompile(`(?m)^caseflow_requests_collapsed_total\{operation="` + operation + `"\} (\S+)$`).FindSubmatch(raw)
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	require.NoError(t, err)
	return v
}

// TestUnknownOutcomeAnswers503: a step that the workflow cannot apply in
// time (here its worker is away) answers 503 with Retry-After, not 500, and
// retrying it with the same Idempotency-Key once the worker is back applies
// it exactly once.
func TestUnknownOutcomeAnswers503(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			api := agent(t, stack)
			status, created := api.do(http.MethodPost, "/api/v1/complaints", validComplaint(), nil)
			require.Equal(t, http.StatusCreated, status, "%v", created)
			path := "/api/v1/complaints/" + created["id"].(string) + "/contact"
			key := map[string]string{"Idempotency-Key": "contact-while-the-worker-is-away"}

			stack.StopWorker()
			a := api.send(http.MethodPost, path, map[string]any{"note": "called back"}, key)
			require.NoError(t, a.err)
			require.Equal(t, http.StatusServiceUnavailable, a.status, "%v", a.body)
			require.NotEmpty(t, a.header.Get("Retry-After"))
			require.Contains(t, a.body["error"].(map[string]any)["message"], "retrying with the same Idempotency-Key is safe")

			require.NoError(t, stack.StartWorker())
			// A careful client retries a 503 with its key: the update the
			// first call left may still be settling on the new worker
			// (the case's own activities were in flight when it stopped).
			for attempt := 1; ; attempt++ {
				a := api.send(http.MethodPost, path, map[string]any{"note": "called back"}, key)
				require.NoError(t, a.err)
				if a.status == http.StatusOK {
					break
				}
				require.Equal(t, http.StatusServiceUnavailable, a.status, "%v", a.body)
				require.Less(t, attempt, 5, "a retry with the key answers once the worker is back")
			}
			for range 2 {
				status, got := api.do(http.MethodPost, path, map[string]any{"note": "called back"}, key)
				require.Equal(t, http.StatusOK, status, "%v", got)
				require.Len(t, got["contacts"], 1, "the step applies once, whoever sent it first")
			}
		})
	}
}
