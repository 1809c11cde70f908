package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/sla"
)

// TestStoredSlowCalendarDoesNotDeadlock: the policy that once deadlocked
// its workflows (a year's targets, open one minute on Mondays, so that
// Calendar.Add walked ~10,000 years inside a workflow task) is refused by
// the API now, but one stored before that rule still lets a case register
// and run its clocks.
func TestStoredSlowCalendarDoesNotDeadlock(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	year := sla.Duration(8760 * time.Hour)
	slow := sla.Policy{Name: "slowcal", Response: year, Onsite: year, Resolution: year, Calendar: sla.Calendar{
		Hours: []sla.WeekdayHours{{Weekday: "monday", Spans: []sla.Span{{Start: "00:00", End: "00:01"}}}},
	}}.WithDefaults()
	require.Contains(t, slow.Validate(), "resolution", "the API refuses this policy")
	require.NoError(t, stack.Store.PutPolicy(t.Context(), slow))
	supervisor := as(t, stack, "after_sales", "supervisor")
	status, body := supervisor.do(http.MethodPut, "/api/v1/customers/C-SLOW", map[string]any{"name": "Slow Co", "sla_policy": "slowcal"}, nil)
	require.Equal(t, http.StatusOK, status, "%v", body)

	received := time.Now().UTC().Truncate(time.Second)
	w := newCase(t, stack, map[string]any{"customer_id": "C-SLOW", "received_at": received.Format(time.RFC3339)})
	require.Equal(t, "slowcal", w.last["sla_policy"])
	response := w.last["clocks"].(map[string]any)["response"].(map[string]any)
	require.Equal(t, "running", response["state"])
	due, err := time.Parse(time.RFC3339, response["due_at"].(string))
	require.NoError(t, err)
	require.False(t, due.Before(received.Add(8760*time.Hour)), "due %s", due)
	w.step("after_sales", "agent", "contact", map[string]any{"note": "called back"})
}
