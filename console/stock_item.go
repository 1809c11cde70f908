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

// A stock item's page: its levels in every warehouse, the ledger of its
// movements and, for who may manage the stock, the form posting one.

var movementBody = reflect.TypeFor[complaint.MovementBody]()

type stockItemData struct {
	Items     []stockRow
	Movements []store.MovementRow
	// Move is the form posting a movement, for who may manage the stock.
	Move *form
}

func (c *Console) stockItem(r *request) { c.showStockItem(r, http.StatusOK, nil) }

// showStockItem draws the item's page; failed, when set, is a refused
// movement whose form shows again with its problems.
func (c *Console) showStockItem(r *request, status int, failed *retry) {
	part := r.Param("id")
	var out struct {
		Items     []store.StockItem   `json:"items"`
		Movements []store.MovementRow `json:"movements"`
	}
	if err := r.call(http.MethodGet, stockAPIPath(part), nil, "", &out); err != nil {
		r.failCall(err)
		return
	}
	ws, ok := r.warehouses()
	if !ok {
		return
	}
	names := map[string]string{}
	for _, w := range ws {
		names[w.ID] = w.Name
	}
	d := stockItemData{Movements: out.Movements}
	for _, item := range out.Items {
		d.Items = append(d.Items, stockRowOf(item, names))
	}
	if auth.Authorize(r.session.principal, auth.ManageStock) == nil {
		f := form{Step: "stock-move", Title: r.lang.T("stock.move"), Action: stockItemPath(part) + "/movements",
			Fields: movementFields(r.lang, d.Items), Help: r.lang.T("stock.move.help"), Submit: r.lang.T("stock.move.submit"),
			Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}
		failed.apply(r.lang, &f)
		d.Move = &f
	}
	p := r.page("stock.title")
	p.Title = part
	if len(out.Items) > 0 {
		p.Title += " · " + out.Items[0].Name
	}
	switch r.Query("done") {
	case "created":
		p.Flash = r.lang.T("stock.created")
	case "moved":
		p.Flash = r.lang.T("stock.moved")
	}
	p.Data = d
	r.renderPage(status, "stock_item", p)
}

// stockAPIPath is an item in the API.
func stockAPIPath(part string) string { return "/api/v1/stock/items/" + url.PathEscape(part) }

// movementFields are the movement form's controls: the API's body less the
// part number (the page's own), the warehouse chosen among the item's,
// and the reference's kind and id before the note.
func movementFields(l Lang, items []stockRow) []field {
	var out []field
	for _, f := range fieldsOf(l, movementBody) {
		switch f.Name {
		case "part_number":
			continue
		case "warehouse":
			f.Control = controlSelect
			for _, it := range items {
				label := it.Warehouse
				if it.WarehouseName != "" {
					label = it.WarehouseName + " (" + it.Warehouse + ")"
				}
				f.Options = append(f.Options, option{Value: it.Warehouse, Label: label, Selected: len(items) == 1})
			}
		case "kind":
			f.Label = l.T("stock.movement_kind")
		case "note":
			ref := field{Name: "reference.kind", Label: l.T("field.reference.kind"), Control: controlSelect}
			for _, v := range complaint.ReferenceKinds() {
				ref.Options = append(ref.Options, option{Value: v, Label: l.Enum("reference_kind", v)})
			}
			out = append(out, ref, field{Name: "reference.id", Label: l.T("field.reference.id"), Control: controlText})
		}
		out = append(out, f)
	}
	return out
}

// movementJSON is the API's movement body of a posted form: the reference's
// two controls become its object, left out when both are blank.
func movementJSON(fields []field, values formValues, part string) map[string]any {
	body := jsonBody(fields, values)
	body["part_number"] = part
	ref := map[string]any{}
	for _, name := range []string{"kind", "id"} {
		if v, ok := body["reference."+name]; ok {
			ref[name] = v
			delete(body, "reference."+name)
		}
	}
	if len(ref) > 0 {
		body["reference"] = ref
	}
	return body
}

// postMovement posts the form to the API's ledger and shows the item again;
// a refusal, a shortage among them, shows the form with the API's problems.
func (c *Console) postMovement(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	part := r.Param("id")
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	err := r.call(http.MethodPost, "/api/v1/stock/movements", movementJSON(movementFields(r.lang, nil), values, part), key, nil)
	if err == nil {
		r.seeOther(stockItemPath(part) + "?done=moved#movements")
		return
	}
	status, msg, problems := r.stockRefusal(err)
	if status == http.StatusConflict && problems["quantity"] != "" {
		msg = r.lang.T("stock.shortage")
	}
	if status == http.StatusNotFound {
		r.failCall(err)
		return
	}
	c.showStockItem(r, status, &retry{values: values, problems: problems, msg: msg, key: key})
}
