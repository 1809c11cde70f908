package app_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// TestCorrectiveActionsEndToEnd, on the real stack and both databases: a
// case's corrective-actions step opens a CAPA workflow that outlives the
// case; its owner reports it done and nobody else may; quality opens one
// on its own, refused with the field to blame when it names what is not
// there; a new complaint on the same part is a recurrence of the first,
// and quality hears of it.
func TestCorrectiveActionsEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			quality := as(t, stack, "quality", "agent")
			due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)

			first := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor",
				"part_number": "P-CAPA-1"})
			first.confirmAndAnalyse("production", "company")
			first.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit note"})
			first.step("quality", "agent", "corrective-actions", map[string]any{"action": "incoming seal inspection",
				"owner_department": "quality", "due_date": due})
			actions := first.last["corrective_actions"].([]any)
			capaID := actions[0].(map[string]any)["capa_id"].(string)
			require.Equal(t, first.id+"-A1", capaID)
			first.step("after_sales", "agent", "resolve", note("credited"))
			first.step("after_sales", "agent", "close", map[string]any{"customer_confirmed": true, "satisfaction": 4})

			// The action outlives its case, with a number of its own.
			var action map[string]any
			eventually(t, func() bool {
				status, got := quality.do(http.MethodGet, "/api/v1/capas/"+capaID, nil, nil)
				action = got
				return status == http.StatusOK
			}, "the corrective action is in the store")
			require.Regexp(t, `^CAPA-\d{4}-\d{6}$`, action["number"])
			require.Equal(t, complaint.CapaOpen, action["stage"])
			require.Equal(t, "incoming seal inspection", action["action"])
			require.Equal(t, "P-CAPA-1", action["part_number"])
			require.Equal(t, "seal worn", action["root_cause"])
			_, closed := quality.do(http.MethodGet, "/api/v1/complaints/"+first.id, nil, nil)
			require.Equal(t, "closed", closed["stage"], "a case closes with its actions still open")
			require.Equal(t, []any{map[string]any{"id": capaID, "number": action["number"], "stage": "open"}}, closed["capas"])
			status, page := quality.do(http.MethodGet, "/api/v1/capas?complaint_id="+first.id+"&stage=open", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, page["capas"], 1)

			// Only the owner department reports it done; its check comes later.
			status, got := as(t, stack, "production", "agent").do(http.MethodPost, "/api/v1/capas/"+capaID+"/done",
				map[string]any{"note": "done"}, nil)
			require.Equal(t, http.StatusForbidden, status, "%v", got)
			status, got = quality.do(http.MethodPost, "/api/v1/capas/"+capaID+"/done",
				map[string]any{"note": "inspection added", "evidence": []string{"WI-12 rev B"}}, nil)
			require.Equal(t, http.StatusOK, status, "%v", got)
			require.Equal(t, complaint.CapaDone, got["stage"])
			require.NotEmpty(t, got["check_at"])
			status, got = as(t, stack, "after_sales", "agent").do(http.MethodPost, "/api/v1/capas/"+capaID+"/verify",
				map[string]any{"result": "effective", "note": "no new cases"}, nil)
			require.Equal(t, http.StatusConflict, status, "verified before its check: %v", got)
			status, timeline := quality.do(http.MethodGet, "/api/v1/capas/"+capaID+"/timeline", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, timeline["events"], 2, "opened, done; the refusals changed nothing")

			// Quality opens one on its own; what it names must exist.
			open := map[string]any{"complaint_ids": []string{first.id}, "action": "supplier audit",
				"owner_department": "production", "due_date": due, "part_number": "P-CAPA-1"}
			status, got = quality.do(http.MethodPost, "/api/v1/capas", open, map[string]string{"Idempotency-Key": "audit-1"})
			require.Equal(t, http.StatusCreated, status, "%v", got)
			require.Equal(t, "production", got["owner_department"])
			status, again := quality.do(http.MethodPost, "/api/v1/capas", open, map[string]string{"Idempotency-Key": "audit-1"})
			require.Equal(t, http.StatusCreated, status)
			require.Equal(t, got["id"], again["id"], "a retry answers the same action")
			for _, tc := range []struct {
				name   string
				change map[string]any
				status int
				field  string
			}{
				{"an unknown complaint", map[string]any{"complaint_ids": []string{"nope"}}, http.StatusUnprocessableEntity, "complaint_ids[0]"},
				{"a past due date", map[string]any{"due_date": "2020-01-01"}, http.StatusUnprocessableEntity, "due_date"},
				{"an unknown department", map[string]any{"owner_department": "hr"}, http.StatusBadRequest, "owner_department"},
			} {
				body := map[string]any{}
				for k, v := range open {
					body[k] = v
				}
				for k, v := range tc.change {
					body[k] = v
				}
				status, got := quality.do(http.MethodPost, "/api/v1/capas", body, nil)
				require.Equal(t, tc.status, status, "%s: %v", tc.name, got)
				require.Contains(t, got["error"].(map[string]any)["fields"], tc.field, tc.name)
			}
			status, _ = as(t, stack, "sales", "agent").do(http.MethodPost, "/api/v1/capas", open, nil)
			require.Equal(t, http.StatusForbidden, status, "only quality opens one on its own")
			_, page = quality.do(http.MethodGet, "/api/v1/capas?complaint_id="+first.id, nil, nil)
			require.Len(t, page["capas"], 2, "the refused openings started nothing")

			// The same part again: a recurrence of the first case.
			second := newCase(t, stack, map[string]any{"category": "quality", "severity": "minor",
				"part_number": "P-CAPA-1"})
			eventually(t, func() bool {
				_, got := quality.do(http.MethodGet, "/api/v1/complaints/"+second.id, nil, nil)
				return slices.Contains(anyStrings(got["recurrence_of"]), closed["case_number"].(string))
			}, "the second case is marked a recurrence of the first")
			eventually(t, func() bool {
				outbox, err := stack.Store.ListNotifications(t.Context(), "", 500)
				require.NoError(t, err)
				return slices.ContainsFunc(outbox, func(n store.OutboxEntry) bool {
					return n.Kind == complaint.NotificationRecurrence && n.ComplaintID == second.id
				})
			}, "quality and the actions' owners are told of the recurrence")
			third := newCase(t, stack, map[string]any{"part_number": "P-OTHER"})
			_, got = quality.do(http.MethodGet, "/api/v1/complaints/"+third.id, nil, nil)
			require.Empty(t, got["recurrence_of"], "another part is no recurrence")
		})
	}
}

func anyStrings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
