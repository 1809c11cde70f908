package app_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStockEndToEnd runs the stock ledger on the real stack on SQLite and
// PostgreSQL: concurrent issues never take more than is on hand, the fall
// below the reorder level tells the after-sales supervisors once, and
// refused movements change nothing.
func TestStockEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			keeper, supervisor := as(t, stack, "after_sales", "agent"), as(t, stack, "after_sales", "supervisor")
			status, item := keeper.do(http.MethodPost, "/api/v1/stock/items", map[string]any{"part_number": "P-778",
				"warehouse": "main", "name": "Seal kit", "kind": "spare_part", "reorder_level": 5}, nil)
			require.Equal(t, http.StatusCreated, status, "%v", item)
			require.Equal(t, float64(0), item["on_hand"])
			movement := func(kind string, quantity int) map[string]any {
				return map[string]any{"part_number": "P-778", "warehouse": "main", "kind": kind, "quantity": quantity}
			}
			status, out := keeper.do(http.MethodPost, "/api/v1/stock/movements", movement("receive", 10), nil)
			require.Equal(t, http.StatusCreated, status, "%v", out)
			require.Equal(t, float64(10), out["item"].(map[string]any)["on_hand"])
			require.NotContains(t, out, "alert_id", "a receipt raises no alert")

			// 50 issues of one at once: exactly the 10 on hand go out.
			answers := make([]answer, 50)
			var wg sync.WaitGroup
			for i := range answers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					answers[i] = keeper.send(http.MethodPost, "/api/v1/stock/movements", movement("issue", 1), nil)
				}()
			}
			wg.Wait()
			statuses := map[int]int{}
			for _, a := range answers {
				require.NoError(t, a.err)
				statuses[a.status]++
				if a.status == http.StatusConflict {
					fields := a.body["error"].(map[string]any)["fields"].(map[string]any)
					require.Contains(t, fields, "quantity", "%v", a.body)
				}
			}
			require.Equal(t, map[int]int{http.StatusCreated: 10, http.StatusConflict: 40}, statuses)

			part := func() (float64, []any) {
				t.Helper()
				status, got := keeper.do(http.MethodGet, "/api/v1/stock/items/P-778", nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", got)
				items := got["items"].([]any)
				require.Len(t, items, 1)
				return items[0].(map[string]any)["on_hand"].(float64), got["movements"].([]any)
			}
			onHand, movements := part()
			require.Equal(t, float64(0), onHand)
			issues := 0
			for _, m := range movements {
				if m.(map[string]any)["kind"] == "issue" {
					issues++
				}
			}
			require.Equal(t, 10, issues)
			require.Len(t, movements, 11, "the receipt and the ten issues")

			// The fall below the reorder level told the supervisors once.
			var alerts []any
			eventually(t, func() bool {
				status, page := supervisor.do(http.MethodGet, "/api/v1/notifications?kind=reorder", nil, nil)
				alerts, _ = page["notifications"].([]any)
				return status == http.StatusOK && len(alerts) > 0
			}, "the after-sales supervisors are told to reorder")
			level := alerts[0].(map[string]any)["level"]
			for _, a := range alerts {
				n := a.(map[string]any)
				require.Equal(t, level, n["level"], "one alert's notifications: %v", alerts)
				require.Equal(t, "reorder", n["kind"])
				require.Equal(t, "main", n["facts"].(map[string]any)["warehouse"])
				require.Equal(t, "5", n["facts"].(map[string]any)["reorder_level"])
			}

			// Refused movements change nothing.
			refused := []struct {
				name   string
				body   map[string]any
				status int
				field  string
			}{
				{"a negative issue", movement("issue", -1), http.StatusBadRequest, "quantity"},
				{"an unknown warehouse", map[string]any{"part_number": "P-778", "warehouse": "nowhere",
					"kind": "receive", "quantity": 1}, http.StatusUnprocessableEntity, "warehouse"},
				{"an unknown part", map[string]any{"part_number": "P-404", "warehouse": "main",
					"kind": "receive", "quantity": 1}, http.StatusUnprocessableEntity, "part_number"},
			}
			for _, r := range refused {
				status, out := keeper.do(http.MethodPost, "/api/v1/stock/movements", r.body, nil)
				require.Equal(t, r.status, status, "%s: %v", r.name, out)
				require.Contains(t, out["error"].(map[string]any)["fields"], r.field, r.name)
			}
			if onHand, movements := part(); onHand != 0 || len(movements) != 11 {
				t.Fatalf("refused movements changed the item: on hand %v, %d movements", onHand, len(movements))
			}

			// A keyed retry is answered as the first call was; the key with
			// another body is refused.
			key := map[string]string{"Idempotency-Key": "receipt-" + b.name}
			first := keeper.send(http.MethodPost, "/api/v1/stock/movements", movement("receive", 3), key)
			require.NoError(t, first.err)
			require.Equal(t, http.StatusCreated, first.status, "%v", first.body)
			again := keeper.send(http.MethodPost, "/api/v1/stock/movements", movement("receive", 3), key)
			require.NoError(t, again.err)
			require.Equal(t, http.StatusOK, again.status, "%v", again.body)
			require.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
			require.Equal(t, first.body["movement"].(map[string]any)["id"], again.body["movement"].(map[string]any)["id"])
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/movements", movement("receive", 4), key)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Equal(t, "idempotency_key_reused", out["error"].(map[string]any)["code"])
			onHand, movements = part()
			require.Equal(t, float64(3), onHand, "the receipt was applied once")
			require.Len(t, movements, 12)
		})
	}
}
