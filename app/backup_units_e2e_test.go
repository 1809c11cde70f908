package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// TestBackupUnitsEndToEnd runs the backup units' and loans' routes on the
// real stack on SQLite and PostgreSQL: registering a unit receives it into
// stock, the stock's refusals answer 422 naming the field or 409, and a
// loan (made in the store here: the case's steps make them) reads back and
// lists as overdue, and its unit comes back from repair into stock.
func TestBackupUnitsEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			keeper := as(t, stack, "after_sales", "agent")
			reader := as(t, stack, "technical", "engineer")
			for _, item := range []map[string]any{
				{"part_number": "BK-1", "warehouse": "main", "name": "Backup pump", "kind": "backup_unit"},
				{"part_number": "P-1", "warehouse": "main", "name": "Seal kit", "kind": "spare_part"},
			} {
				status, out := keeper.do(http.MethodPost, "/api/v1/stock/items", item, nil)
				require.Equal(t, http.StatusCreated, status, "%v", out)
			}
			onHand := func() float64 {
				t.Helper()
				status, got := reader.do(http.MethodGet, "/api/v1/stock/items/BK-1", nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", got)
				return got["items"].([]any)[0].(map[string]any)["on_hand"].(float64)
			}
			refused := func(status int, out map[string]any, want int, code string, fields map[string]any) {
				t.Helper()
				require.Equal(t, want, status, "%v", out)
				e := out["error"].(map[string]any)
				require.Equal(t, code, e["code"])
				if fields == nil {
					require.NotContains(t, e, "fields")
				} else {
					require.Equal(t, fields, e["fields"])
				}
			}

			unit := map[string]any{"serial": "SN-B1", "model": "BK-1", "note": "demo unit"}
			status, out := keeper.do(http.MethodPost, "/api/v1/stock/units", unit, map[string]string{"Idempotency-Key": "u-1"})
			require.Equal(t, http.StatusCreated, status, "%v", out)
			require.Equal(t, "available", out["state"])
			require.Equal(t, "main", out["warehouse"], "the main warehouse when left out")
			require.Equal(t, float64(1), onHand(), "registering receives the unit")
			again := keeper.send(http.MethodPost, "/api/v1/stock/units", unit, nil)
			require.Equal(t, http.StatusOK, again.status, "the same body answers the unit: %v", again.body)
			require.Equal(t, "true", again.header.Get("Idempotent-Replayed"))
			require.Equal(t, float64(1), onHand())

			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-B1", "model": "BK-1"}, nil)
			refused(status, out, http.StatusConflict, "conflict",
				map[string]any{"serial": "is registered already, as a BK-1 in warehouse main"})
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-B2", "model": "P-1"}, nil)
			refused(status, out, http.StatusUnprocessableEntity, "unprocessable",
				map[string]any{"model": "is a spare_part, not a backup unit"})
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-B2", "model": "BK-1",
				"warehouse": "nowhere"}, nil)
			refused(status, out, http.StatusUnprocessableEntity, "unprocessable", map[string]any{"warehouse": "is not a warehouse"})
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-B2", "model": "BK-1"},
				map[string]string{"Idempotency-Key": "u-1"})
			refused(status, out, http.StatusUnprocessableEntity, "idempotency_key_reused", nil)
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units", map[string]any{"serial": "SN-B2", "model": "BK-1"}, nil)
			require.Equal(t, http.StatusCreated, status, "%v", out)
			require.Equal(t, float64(2), onHand())

			status, out = reader.do(http.MethodGet, "/api/v1/stock/units?model=BK-1&state=available", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", out)
			require.Len(t, out["units"], 2)
			status, out = reader.do(http.MethodGet, "/api/v1/stock/units?state=lost", nil, nil)
			refused(status, out, http.StatusBadRequest, "invalid_request",
				map[string]any{"state": "must be one of: available, on_loan, in_repair, sold, replaced"})

			// A unit that never went into repair cannot come back from it.
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units/SN-B1/repaired", nil, nil)
			refused(status, out, http.StatusConflict, "conflict",
				map[string]any{"serial": "unit SN-B1 is available, not in repair"})
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/units/SN-404/repaired", nil, nil)
			refused(status, out, http.StatusNotFound, "not_found", nil)

			// A loan overdue an hour ago, lent as a case's step would.
			lender := complaint.Actor{UserID: "u-lender", Name: "Lender"}
			lent, err := stack.Store.LendUnit(t.Context(), store.Lending{LoanID: "C-9-L1", ComplaintID: "C-9", Actor: lender,
				Request:   complaint.BackupRequest{Model: "BK-1", DueBack: time.Now().Format(time.DateOnly)},
				OverdueAt: time.Now().Add(-time.Hour)})
			require.NoError(t, err)
			require.Equal(t, "SN-B1", lent.Serial, "the first available by serial")
			require.Equal(t, float64(1), onHand())
			status, out = reader.do(http.MethodGet, "/api/v1/loans/C-9-L1", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", out)
			require.Equal(t, "on_loan", out["state"])
			require.Equal(t, "SN-B1", out["serial"])
			status, out = reader.do(http.MethodGet, "/api/v1/loans/C-9-L2", nil, nil)
			refused(status, out, http.StatusNotFound, "not_found", nil)
			loans := func(query string) []string {
				t.Helper()
				status, out := reader.do(http.MethodGet, "/api/v1/loans?"+query, nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", out)
				ids := []string{}
				for _, l := range out["loans"].([]any) {
					ids = append(ids, l.(map[string]any)["id"].(string))
				}
				return ids
			}
			require.Equal(t, []string{"C-9-L1"}, loans("overdue=true"))
			require.Equal(t, []string{"C-9-L1"}, loans("complaint_id=C-9&state=on_loan&serial=SN-B1"))
			require.Equal(t, []string{}, loans("state=returned"))
			status, out = reader.do(http.MethodGet, "/api/v1/loans?state=lost&overdue=maybe", nil, nil)
			refused(status, out, http.StatusBadRequest, "invalid_request", map[string]any{
				"state": "must be one of: on_loan, returned, converted", "overdue": "must be true or false"})

			// Returned into repair, then repaired: back in stock, once.
			_, err = stack.Store.ReturnLoan(t.Context(), "C-9-L1", complaint.UnitToRepair, "broken fan", lender, time.Time{})
			require.NoError(t, err)
			require.Equal(t, []string{}, loans("overdue=true"))
			require.Equal(t, float64(1), onHand(), "a unit in repair is not on hand")
			for range 2 {
				status, out = keeper.do(http.MethodPost, "/api/v1/stock/units/SN-B1/repaired",
					map[string]any{"note": "fan replaced"}, nil)
				require.Equal(t, http.StatusOK, status, "%v", out)
				require.Equal(t, "available", out["state"])
				require.Equal(t, float64(2), onHand())
			}
		})
	}
}
