package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestStockOnStepsEndToEnd runs the steps that move stock on the real
// stack, on SQLite and PostgreSQL: a check-out issues the parts used (a
// shortage or an unknown part refuses it and changes nothing), a late case
// lends a backup pump, cannot close while it is out, and gets it back
// through the loan's own route.
func TestStockOnStepsEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			keeper, admin := as(t, stack, "after_sales", "agent"), as(t, stack, "after_sales", "admin")
			post := func(path string, body any) map[string]any {
				t.Helper()
				status, out := keeper.do(http.MethodPost, path, body, nil)
				require.Equal(t, http.StatusCreated, status, "%s: %v", path, out)
				return out
			}
			post("/api/v1/stock/items", map[string]any{"part_number": "P-778", "warehouse": "main", "name": "Seal",
				"kind": "spare_part"})
			post("/api/v1/stock/movements", map[string]any{"part_number": "P-778", "warehouse": "main", "kind": "receive",
				"quantity": 3})
			post("/api/v1/stock/items", map[string]any{"part_number": "BK-PUMP", "warehouse": "main", "name": "Backup pump",
				"kind": "backup_unit"})
			for _, sn := range []string{"SN-BK-1", "SN-BK-2"} {
				post("/api/v1/stock/units", map[string]any{"serial": sn, "model": "BK-PUMP"})
			}
			onHand := func(part string) float64 {
				t.Helper()
				status, got := keeper.do(http.MethodGet, "/api/v1/stock/items/"+part, nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", got)
				return got["items"].([]any)[0].(map[string]any)["on_hand"].(float64)
			}

			t.Run("a check-out issues the parts used", func(t *testing.T) {
				engineer := userID(t, admin, "Demo technical engineer")
				w := newCase(t, stack, nil)
				w.step("after_sales", "agent", "visits", map[string]any{"engineers": []string{engineer},
					"planned_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
				w.step("technical", "engineer", "check-in", map[string]any{"visit": "V1"})
				checkOut := func(part string, quantity int) map[string]any {
					return map[string]any{"visit": "V1", "work_done": "replaced the seal",
						"parts_used": []map[string]any{{"part_number": part, "quantity": quantity}}}
				}
				refused := w.refused("technical", "engineer", "check-out", checkOut("P-778", 5), http.StatusConflict, "conflict")
				require.Contains(t, refused["message"], "only 3 available")
				refused = w.refused("technical", "engineer", "check-out", checkOut("P-NOPE", 1), http.StatusUnprocessableEntity,
					"unprocessable")
				require.Contains(t, refused["fields"], "parts_used[0].part_number")
				require.Equal(t, float64(3), onHand("P-778"), "the refusals issued nothing")

				out := w.step("technical", "engineer", "check-out", checkOut("P-778", 2))
				require.Equal(t, "checked_out", out["visits"].([]any)[0].(map[string]any)["state"])
				require.Equal(t, float64(1), onHand("P-778"))
				_, item := keeper.do(http.MethodGet, "/api/v1/stock/items/P-778", nil, nil)
				last := item["movements"].([]any)[0].(map[string]any)
				require.Equal(t, "issue", last["kind"])
				require.Equal(t, map[string]any{"kind": "visit", "id": w.id + "/V1"}, last["reference"])
			})

			t.Run("a late case lends a backup pump until it comes back", func(t *testing.T) {
				late := func() *caseWalker {
					w := newCase(t, stack, map[string]any{"category": "non_quality", "severity": "minor",
						"received_at": time.Now().Add(-25 * time.Hour).UTC().Format(time.RFC3339)})
					w.waitForStep("interim")
					return w
				}
				dueBack := time.Now().AddDate(0, 0, 14).Format(time.DateOnly)
				lend := func(backup map[string]any) map[string]any {
					return map[string]any{"kind": "backup_equipment", "description": "a backup pump", "backup": backup}
				}
				w, other := late(), late()
				status, out := as(t, stack, "after_sales", "agent").do(http.MethodPost, "/api/v1/complaints/"+w.id+"/interim",
					lend(map[string]any{"serial": "SN-BK-1", "model": "BK-PUMP", "due_back": dueBack}), nil)
				require.Equal(t, http.StatusBadRequest, status, "%v", out)
				refused := w.refused("after_sales", "agent", "interim", lend(map[string]any{"model": "BK-PUMP",
					"due_back": "2020-01-01"}), http.StatusUnprocessableEntity, "unprocessable")
				require.Equal(t, map[string]any{"backup.due_back": "must not be in the past"}, refused["fields"])

				lent := w.step("after_sales", "agent", "interim", lend(map[string]any{"serial": "SN-BK-1", "due_back": dueBack}))
				loan := lent["loans"].([]any)[0].(map[string]any)
				loanID := w.id + "-L1"
				require.Equal(t, loanID, loan["id"])
				require.Equal(t, "on_loan", loan["state"])
				require.Equal(t, float64(1), onHand("BK-PUMP"), "the pump left the warehouse")

				// The unit on loan is not lent twice; the other case stays as it was.
				refused = other.refused("after_sales", "agent", "interim", lend(map[string]any{"serial": "SN-BK-1",
					"due_back": dueBack}), http.StatusConflict, "conflict")
				require.Contains(t, refused["message"], "on_loan")
				other.waitForStep("interim")
				require.Empty(t, other.last["loans"])

				status, loans := keeper.do(http.MethodGet, "/api/v1/loans?complaint_id="+w.id, nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", loans)
				require.Len(t, loans["loans"], 1)

				w.confirmAndAnalyse("production", "company")
				w.step("after_sales", "agent", "agreement", map[string]any{"type": "credit", "description": "credit"})
				w.step("after_sales", "agent", "resolve", note("fixed"))
				refused = w.refused("after_sales", "agent", "close", map[string]any{"customer_confirmed": true},
					http.StatusConflict, "conflict")
				require.Contains(t, refused["message"], "still on loan")

				status, back := as(t, stack, "technical", "engineer").do(http.MethodPost, "/api/v1/loans/"+loanID+"/return",
					map[string]any{"to": "stock"}, nil)
				require.Equal(t, http.StatusOK, status, "%v", back)
				require.Equal(t, "returned", back["loans"].([]any)[0].(map[string]any)["state"])
				require.Equal(t, float64(2), onHand("BK-PUMP"), "the pump is back")
				status, stored := keeper.do(http.MethodGet, "/api/v1/loans/"+loanID, nil, nil)
				require.Equal(t, http.StatusOK, status)
				require.Equal(t, "returned", stored["state"])
				status, _ = keeper.do(http.MethodPost, "/api/v1/loans/"+loanID+"/return", map[string]any{"to": "stock"}, nil)
				require.Equal(t, http.StatusConflict, status, "returned already")

				w.step("after_sales", "agent", "close", map[string]any{"customer_confirmed": true})
				require.Equal(t, "closed", w.stage())
			})
		})
	}
}
