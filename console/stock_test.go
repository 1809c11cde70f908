package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// stockSite is a site with two warehouses, a seal kit below its reorder
// level in one and above none in the other, and a backup unit.
func stockSite(t *testing.T, dbURL string) *site {
	s := newSite(t, dbURL, true)
	ctx := t.Context()
	for id, name := range map[string]string{"W1": "上海总仓", "W2": "Chengdu depot"} {
		_, err := s.store.PutWarehouse(ctx, complaint.WarehouseBody{ID: id, Name: name})
		require.NoError(t, err)
	}
	for _, b := range []complaint.StockItemBody{
		{PartNumber: "LZ-SEAL-01", Warehouse: "W1", Name: "Seal kit", Kind: complaint.ItemSparePart, ReorderLevel: 5},
		{PartNumber: "LZ-SEAL-01", Warehouse: "W2", Name: "Seal kit", Kind: complaint.ItemSparePart},
		{PartNumber: "LZ-300-BK", Warehouse: "W1", Name: "Backup laser", Kind: complaint.ItemBackupUnit, ReorderLevel: 1},
	} {
		_, err := s.store.CreateStockItem(ctx, b)
		require.NoError(t, err)
	}
	keeper := complaint.Actor{UserID: "keeper", Name: "Wang Fang"}
	for _, m := range []complaint.MovementBody{
		{PartNumber: "LZ-SEAL-01", Warehouse: "W1", Kind: complaint.MovementReceive, Quantity: 2},
		{PartNumber: "LZ-300-BK", Warehouse: "W1", Kind: complaint.MovementReceive, Quantity: 3},
	} {
		_, err := s.store.ApplyMovement(ctx, store.Movement{Body: m, Actor: keeper})
		require.NoError(t, err)
	}
	return s
}

func TestTheStockListShowsLevelsAndFiltersAsTheAPI(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := stockSite(t, backend.URL)
			b := s.browser(t)
			b.signIn(s.users["after_sales/agent"])
			status, page := b.get("/console/stock")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `href="/console/stock" aria-current="page"`,
				`data-item="LZ-SEAL-01" data-warehouse="W1" data-below`, `data-item="LZ-SEAL-01" data-warehouse="W2">`,
				`data-item="LZ-300-BK" data-warehouse="W1">`, "Backup unit", "上海总仓", "Below reorder level",
				`id="form-stock-item"`), page)

			for query, want := range map[string][]string{
				"below_reorder=true": {`data-item="LZ-SEAL-01" data-warehouse="W1"`},
				"warehouse=W2":       {`data-item="LZ-SEAL-01" data-warehouse="W2"`},
				"kind=backup_unit":   {`data-item="LZ-300-BK" data-warehouse="W1"`},
			} {
				status, page = b.get("/console/stock?" + query)
				require.Equal(t, http.StatusOK, status, query)
				require.Equal(t, len(want), strings.Count(page, `<tr data-item=`), query)
				require.True(t, contains(page, want...), query)
			}

			zh := s.browser(t)
			zh.signIn(s.users["technical/engineer"])
			zh.client.Jar.SetCookies(mustURL(t, zh.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
			status, page = zh.get("/console/stock")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `lang="zh-CN"`, ">库存<", "备用机", "备件", "低于再订货点", "在库"))
			require.NotContains(t, page, `id="form-stock-item"`, "an engineer reads the stock but does not manage it")
			status, page = zh.get("/console/stock/items/LZ-SEAL-01")
			require.Equal(t, http.StatusOK, status)
			require.True(t, contains(page, `data-warehouse="W2"`, "入库", "Wang Fang", `data-after-on-hand="2"`), page)
			require.NotContains(t, page, `id="form-stock-move"`)
			status, _ = zh.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"csrf_token": {zh.csrf()},
				"warehouse": {"W1"}, "kind": {"receive"}, "quantity": {"1"}})
			require.Equal(t, http.StatusForbidden, status)
		})
	}
}

func TestAMovementPostedOnTheItemPageChangesTheLedger(t *testing.T) {
	s := stockSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	status, page := b.get("/console/stock/items/LZ-SEAL-01")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, `id="form-stock-move"`, `data-warehouse="W1" data-level-on-hand="2" data-reserved="0"`,
		`data-kind="receive"`, "Wang Fang", "Purchase or delivery order"))

	csrf := b.csrf()
	move := url.Values{"csrf_token": {csrf}, "idempotency_key": {"k-1"}, "warehouse": {"W1"}, "kind": {"receive"},
		"quantity": {"4"}, "reference.kind": {"order"}, "reference.id": {"PO-77"}, "note": {"delivery 3/5"}}
	status, _ = b.post("/console/stock/items/LZ-SEAL-01/movements", move)
	require.Equal(t, http.StatusSeeOther, status)
	status, _ = b.post("/console/stock/items/LZ-SEAL-01/movements", move)
	require.Equal(t, http.StatusSeeOther, status, "a double submit is one movement")
	status, page = b.get("/console/stock/items/LZ-SEAL-01?done=moved")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "The movement was posted.", `data-after-on-hand="6"`, "PO-77", "delivery 3/5",
		"Test after_sales agent", `data-warehouse="W1" data-level-on-hand="6"`), page)
	moves, err := s.store.StockMovements(t.Context(), "LZ-SEAL-01", 0)
	require.NoError(t, err)
	require.Len(t, moves, 2)

	// A shortage shows on the form, with what was typed, not on an error page.
	status, page = b.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"csrf_token": {csrf},
		"idempotency_key": {"k-2"}, "warehouse": {"W1"}, "kind": {"issue"}, "quantity": {"50"}})
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(page, `id="form-stock-move"`, "Not enough stock for this movement.",
		`id="stock-move-quantity-error">only 6 available<`, `value="50"`, `value="k-2"`), page)
	moves, err = s.store.StockMovements(t.Context(), "LZ-SEAL-01", 0)
	require.NoError(t, err)
	require.Len(t, moves, 2, "a shortage writes nothing")

	b.client.Jar.SetCookies(mustURL(t, b.base), []*http.Cookie{{Name: "caseflow_lang", Value: "zh-CN"}})
	status, page = b.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"csrf_token": {csrf},
		"idempotency_key": {"k-3"}, "warehouse": {"W1"}, "kind": {"issue"}, "quantity": {"50"}})
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(page, "库存不足", "仅有 6 可用"), page)

	// The API's field rules, translated, next to their fields.
	status, page = b.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"csrf_token": {csrf},
		"warehouse": {"W1"}, "kind": {"receive"}, "quantity": {"-1"}, "from_reserved": {"true"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.True(t, contains(page, `id="stock-move-quantity-error">除盘点调整外必须为正数<`,
		`id="stock-move-from_reserved-error">仅适用于出库<`), page)
	status, page = b.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"csrf_token": {csrf},
		"warehouse": {"W1"}, "kind": {"receive"}, "quantity": {"1"}, "reference.kind": {"case"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.True(t, contains(page, `id="stock-move-reference.id-error">必填<`), page)
}

func TestTheStockItemFormCreatesAnItem(t *testing.T) {
	s := stockSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/supervisor"])
	csrf := b.csrf()
	item := url.Values{"csrf_token": {csrf}, "idempotency_key": {"c-1"}, "part_number": {"LZ-FAN-02"},
		"warehouse": {"W2"}, "name": {"Cooling fan"}, "kind": {"spare_part"}, "reorder_level": {"2"}}
	status, _ := b.post("/console/stock/items", item)
	require.Equal(t, http.StatusSeeOther, status)
	status, page := b.get("/console/stock/items/LZ-FAN-02?done=created")
	require.Equal(t, http.StatusOK, status)
	require.True(t, contains(page, "The stock item was created.", "Cooling fan", `data-warehouse="W2" data-level-on-hand="0"`,
		"No movements yet."))

	status, page = b.post("/console/stock/items", url.Values{"csrf_token": {csrf}, "part_number": {"LZ-FAN-03"},
		"warehouse": {"W2"}, "kind": {"spare_part"}})
	require.Equal(t, http.StatusBadRequest, status)
	require.True(t, contains(page, `id="form-stock-item"`, `id="stock-item-name-error">is required<`, `value="LZ-FAN-03"`), page)

	item.Set("name", "Another fan")
	status, page = b.post("/console/stock/items", item)
	require.Equal(t, http.StatusConflict, status)
	require.True(t, contains(page, `id="stock-item-part_number-error">is taken in warehouse W2<`), page)
}

func TestWhoMayNotReadTheStockGetsNeitherPageNorLink(t *testing.T) {
	s := stockSite(t, storetest.SQLite(t).URL)
	b := s.browser(t)
	b.signIn(s.users["after_sales/admin"])
	status, page := b.get("/console/users") // an admin's first page
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, page, `href="/console/users"`)
	require.NotContains(t, page, `href="/console/stock"`)
	for _, path := range []string{"/console/stock", "/console/stock/items/LZ-SEAL-01"} {
		status, page = b.get(path)
		require.Equal(t, http.StatusForbidden, status, path)
		require.Contains(t, page, "You may not do this")
	}
	status, _ = b.post("/console/stock/items/LZ-SEAL-01/movements", url.Values{"warehouse": {"W1"},
		"kind": {"receive"}, "quantity": {"1"}})
	require.Equal(t, http.StatusForbidden, status)
}
