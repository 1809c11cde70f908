package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStepKeyReusedWithAnotherBody: a keyed step retried with the same body
// answers 200 both times and is applied once; the same key with another body
// answers 422 idempotency_key_reused and applies nothing, also after the
// retry, and a step without a key is not checked.
func TestStepKeyReusedWithAnotherBody(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			api := agent(t, stack)
			w := newCase(t, stack, nil)
			path := "/api/v1/complaints/" + w.id + "/contact"
			timeline := func() []any {
				t.Helper()
				status, got := api.do(http.MethodGet, path[:len(path)-len("/contact")]+"/timeline", nil, nil)
				require.Equal(t, http.StatusOK, status)
				return got["events"].([]any)
			}
			before := len(timeline())
			key := map[string]string{"Idempotency-Key": "contact-" + w.id}

			status, first := api.do(http.MethodPost, path, note("called the customer back"), key)
			require.Equal(t, http.StatusOK, status, "%v", first)
			status, again := api.do(http.MethodPost, path, note("called the customer back"), key)
			require.Equal(t, http.StatusOK, status, "%v", again)
			require.Equal(t, first, again, "the retry answers the first answer")
			events := timeline()
			require.Len(t, events, before+1, "applied once")
			for _, ev := range events {
				require.NotContains(t, ev.(map[string]any), "update_id", "the timeline does not show update ids")
			}

			for range 2 {
				status, got := api.do(http.MethodPost, path, note("called someone else"), key)
				require.Equal(t, http.StatusUnprocessableEntity, status, "%v", got)
				errBody := got["error"].(map[string]any)
				require.Equal(t, "idempotency_key_reused", errBody["code"])
				require.Equal(t, "this Idempotency-Key was first used with a different request body", errBody["message"])
			}
			require.Equal(t, events, timeline(), "nothing was applied")
			status, got := api.do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, first, got)

			// The first body is still a retry after the refusals.
			status, again = api.do(http.MethodPost, path, note("called the customer back"), key)
			require.Equal(t, http.StatusOK, status, "%v", again)
			require.Equal(t, first, again)

			// Without a key the other body is another step.
			status, got = api.do(http.MethodPost, path, note("called someone else"), nil)
			require.Equal(t, http.StatusOK, status, "%v", got)
			require.Len(t, timeline(), before+2)
		})
	}
}
