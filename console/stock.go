package console

import (
	"net/http"
	"net/url"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The stock list: each item in each warehouse with its levels, filtered as
// the API's GET /stock/items allows, and, for who may manage the stock, the
// form that creates an item.

var stockItemBody = reflect.TypeFor[complaint.StockItemBody]()

// stockItemPath is an item's page.
func stockItemPath(partNumber string) string {
	return "/console/stock/items/" + url.PathEscape(partNumber)
}

// stockRow is an item of one warehouse as the pages show it.
type stockRow struct {
	store.StockItem
	WarehouseName, Href string
	// Below: less on hand than the reorder level (the API's below_reorder).
	Below bool
}

func stockRowOf(item store.StockItem, warehouses map[string]string) stockRow {
	return stockRow{StockItem: item, WarehouseName: warehouses[item.Warehouse], Href: stockItemPath(item.PartNumber),
		Below: item.OnHand < item.ReorderLevel}
}

type stockData struct {
	PartNumber, Warehouse, Kind string
	BelowOnly                   bool
	Warehouses, Kinds           []option
	Items                       []stockRow
	NextHref                    string
	// Create is the form creating an item, for who may manage the stock.
	Create      *form
	NoWarehouse bool
}

func (c *Console) stock(r *request) { c.showStock(r, http.StatusOK, nil) }

// showStock draws the list; failed, when set, is a refused creation whose
// form shows again with its problems.
func (c *Console) showStock(r *request, status int, failed *retry) {
	ws, ok := r.warehouses()
	if !ok {
		return
	}
	d := stockData{PartNumber: r.Query("part_number"), Warehouse: r.Query("warehouse"), Kind: r.Query("kind"),
		BelowOnly: r.Query("below_reorder") == "true", NoWarehouse: len(ws) == 0}
	names := map[string]string{}
	for _, w := range ws {
		names[w.ID] = w.Name
		d.Warehouses = append(d.Warehouses, option{Value: w.ID, Label: w.Name + " (" + w.ID + ")", Selected: w.ID == d.Warehouse})
	}
	for _, k := range complaint.ItemKinds() {
		d.Kinds = append(d.Kinds, option{Value: k, Label: r.lang.Enum("item_kind", k), Selected: k == d.Kind})
	}
	q := url.Values{"limit": {"50"}}
	for name, v := range map[string]string{"part_number": d.PartNumber, "warehouse": d.Warehouse, "kind": d.Kind,
		"cursor": r.Query("cursor")} {
		if v != "" {
			q.Set(name, v)
		}
	}
	if d.BelowOnly {
		q.Set("below_reorder", "true")
	}
	var page store.StockItemPage
	if err := r.call(http.MethodGet, "/api/v1/stock/items?"+q.Encode(), nil, "", &page); err != nil {
		r.failCall(err)
		return
	}
	for _, item := range page.Items {
		d.Items = append(d.Items, stockRowOf(item, names))
	}
	if page.NextCursor != "" {
		next := r.Request.URL.Query()
		next.Set("cursor", page.NextCursor)
		d.NextHref = "/console/stock?" + next.Encode()
	}
	if auth.Authorize(r.session.principal, auth.ManageStock) == nil {
		f := stockItemForm(r, ws)
		failed.apply(r.lang, &f)
		d.Create = &f
	}
	r.render(status, "stock", "stock.title", d)
}

// stockItemForm is the form creating an item: the API's body, the
// warehouse chosen among those there are.
func stockItemForm(r *request, ws []store.Warehouse) form {
	fields := fieldsOf(r.lang, stockItemBody)
	for i := range fields {
		f := &fields[i]
		switch f.Name {
		case "name":
			f.Label = r.lang.T("stock.item_name")
		case "kind":
			f.Label = r.lang.T("stock.item_kind")
		case "warehouse":
			f.Control = controlSelect
			for _, w := range ws {
				f.Options = append(f.Options, option{Value: w.ID, Label: w.Name + " (" + w.ID + ")", Selected: len(ws) == 1})
			}
		}
	}
	return form{Step: "stock-item", Title: r.lang.T("stock.create"), Action: "/console/stock/items", Fields: fields,
		Help: r.lang.T("stock.create.help"), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
}

// createStockItem posts the form to the API and goes to the new item's
// page; a refusal shows the form again with the API's problems.
func (c *Console) createStockItem(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var item store.StockItem
	err := r.call(http.MethodPost, "/api/v1/stock/items", jsonBody(fieldsOf(r.lang, stockItemBody), values), key, &item)
	if err == nil {
		r.seeOther(stockItemPath(item.PartNumber) + "?done=created")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showStock(r, status, &retry{values: values, problems: problems, msg: msg, key: key})
}

// warehouses reads the warehouses; false when the API refused (the error
// page is drawn).
func (r *request) warehouses() ([]store.Warehouse, bool) {
	var out struct {
		Warehouses []store.Warehouse `json:"warehouses"`
	}
	if err := r.call(http.MethodGet, "/api/v1/stock/warehouses", nil, "", &out); err != nil {
		r.failCall(err)
		return nil, false
	}
	return out.Warehouses, true
}
