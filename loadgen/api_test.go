package loadgen

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestACallWhoseOutcomeIsUnknownIsRepeatedWithItsKey: a 503 is repeated
// with the same Idempotency-Key until an answer comes, and counted as
// retried, not failed; a refusal is not repeated.
func TestACallWhoseOutcomeIsUnknownIsRepeatedWithItsKey(t *testing.T) {
	for _, tc := range []struct {
		name     string
		answers  []int
		ok       bool
		calls    int
		retried  map[string]int
		failures map[string]int
	}{
		{"two 503s, then created", []int{503, 503, 201}, true, 3, map[string]int{"503": 2}, nil},
		{"a refusal is final", []int{409, 201}, false, 1, nil, map[string]int{"409": 1}},
		{"unknown every time", []int{503, 503, 503, 503, 503, 201}, false, maxAttempts,
			map[string]int{"503": maxAttempts - 1}, map[string]int{"503": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var (
				mu   sync.Mutex
				keys []string
			)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				defer mu.Unlock()
				keys = append(keys, r.Header.Get("Idempotency-Key"))
				w.WriteHeader(tc.answers[len(keys)-1])
			}))
			defer srv.Close()
			l := &apiLoad{base: srv.URL, client: srv.Client(), rec: newRecorder(), retryDelay: time.Millisecond}

			_, ok := l.timed(t.Context(), Register, "/api/v1/complaints", "token", "key-1", map[string]any{}, http.StatusCreated)
			require.Equal(t, tc.ok, ok)
			require.Len(t, keys, tc.calls)
			for _, k := range keys {
				require.Equal(t, "key-1", k)
			}
			s := l.rec.stats(Register, time.Second)
			require.Equal(t, tc.retried, s.Retried)
			require.Equal(t, tc.failures, s.Errors)
		})
	}
}
