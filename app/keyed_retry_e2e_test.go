package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestKeyedRetryOfEndingStep: a keyed retry of the step that ended a case
// (its first answer lost) answers that first answer, 200 with the case, and
// applies nothing; the same step with another key, or none, answers 409, as
// does every other step. The same for a keyed step applied before the
// case's workflow was terminated outside the API.
func TestKeyedRetryOfEndingStep(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			api := agent(t, stack)

			// ended posts step with key (none if empty) and expects 409 for
			// an ended case in stage.
			ended := func(w *caseWalker, step string, body any, key, stage string) {
				t.Helper()
				var headers map[string]string
				if key != "" {
					headers = map[string]string{"Idempotency-Key": key}
				}
				status, got := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/"+step, body, headers)
				require.Equal(t, http.StatusConflict, status, "%s with key %q: %v", step, key, got)
				errBody := got["error"].(map[string]any)
				require.Equal(t, "conflict", errBody["code"])
				require.Equal(t, stage, errBody["stage"])
				require.Equal(t, []any{}, errBody["allowed_steps"])
			}
			// retried posts step with key twice more and expects first both times.
			retried := func(w *caseWalker, step string, body any, key string, first map[string]any) {
				t.Helper()
				for range 2 {
					status, got := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/"+step, body,
						map[string]string{"Idempotency-Key": key})
					require.Equal(t, http.StatusOK, status, "retried %s: %v", step, got)
					require.Equal(t, first, got, "the retry answers the first answer")
				}
			}
			timeline := func(w *caseWalker) int {
				t.Helper()
				status, got := api.do(http.MethodGet, "/api/v1/complaints/"+w.id+"/timeline", nil, nil)
				require.Equal(t, http.StatusOK, status)
				return len(got["events"].([]any))
			}

			for _, tc := range []struct {
				step string
				body map[string]any
				walk func(*caseWalker)
			}{
				{"close", map[string]any{"customer_confirmed": true, "satisfaction": 4, "note": "thanks"}, func(w *caseWalker) {
					w.confirmAndAnalyse("production", "company")
					w.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit note"})
					w.step("technical", "engineer", "progress", note("replacement shipped"))
					w.step("after_sales", "agent", "resolve", note("customer runs the new pump"))
				}},
				{"withdraw", note("customer withdrew"), func(w *caseWalker) {
					w.step("after_sales", "agent", "contact", note("called the customer back"))
				}},
			} {
				t.Run(tc.step, func(t *testing.T) {
					w := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor"})
					tc.walk(w)
					key := tc.step + "-" + w.id
					status, first := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/"+tc.step, tc.body,
						map[string]string{"Idempotency-Key": key})
					require.Equal(t, http.StatusOK, status, "%v", first)
					require.Equal(t, "closed", first["stage"])
					events := timeline(w)

					retried(w, tc.step, tc.body, key, first)
					ended(w, tc.step, tc.body, "another-"+key, "closed")
					ended(w, tc.step, tc.body, "", "closed")
					ended(w, "contact", note("late"), key, "closed")

					require.Equal(t, events, timeline(w), "nothing was applied again")
					status, got := api.do(http.MethodGet, "/api/v1/complaints/"+w.id, nil, nil)
					require.Equal(t, http.StatusOK, status)
					require.Equal(t, first, got)
				})
			}

			t.Run("terminated", func(t *testing.T) {
				w := newCase(t, stack, nil)
				key := "contact-" + w.id
				body := note("called the customer back")
				status, first := api.do(http.MethodPost, "/api/v1/complaints/"+w.id+"/contact", body,
					map[string]string{"Idempotency-Key": key})
				require.Equal(t, http.StatusOK, status, "%v", first)
				terminate(t, stack, w.id, "ops@example.com", "duplicate of another case")
				reconcileNow(t, stack, w.id)
				events := timeline(w)

				retried(w, "contact", body, key, first)
				ended(w, "contact", body, "another-"+key, "terminated")
				ended(w, "contact", body, "", "terminated")
				require.Equal(t, events, timeline(w), "nothing was applied again")
			})
		})
	}
}
