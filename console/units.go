package console

import (
	"cmp"
	"net/http"
	"net/url"
	"reflect"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The backup units by serial [4.(6)]: each with its model, warehouse, state
// and the loan it is on; for who may manage the stock, the form that
// registers a unit and, on a unit in repair, the button that brings it back
// into stock.

var backupUnitBody = reflect.TypeFor[complaint.BackupUnitBody]()

// unitsPath is the units page.
const unitsPath = "/console/stock/units"

// unitRow is a unit as the page shows it.
type unitRow struct {
	store.BackupUnit
	WarehouseName, ModelHref, LoanHref string
	// RepairedAction posts the unit's return from repair, for a unit in
	// repair and who may manage the stock.
	RepairedAction string
}

type unitsData struct {
	Model, Warehouse, State string
	Warehouses, States      []option
	Units                   []unitRow
	// Register is the form registering a unit, for who may manage the stock.
	Register *form
}

func (c *Console) units(r *request) { c.showUnits(r, http.StatusOK, nil, "") }

// showUnits draws the page; failed, when set, is a refused registration
// whose form shows again with its problems; refused, a refused return from
// repair, shown at the top.
func (c *Console) showUnits(r *request, status int, failed *retry, refused string) {
	ws, ok := r.warehouses()
	if !ok {
		return
	}
	d := unitsData{Model: r.Query("model"), Warehouse: r.Query("warehouse"), State: r.Query("state")}
	names := map[string]string{}
	for _, w := range ws {
		names[w.ID] = w.Name
		d.Warehouses = append(d.Warehouses, option{Value: w.ID, Label: w.Name + " (" + w.ID + ")", Selected: w.ID == d.Warehouse})
	}
	for _, s := range complaint.UnitStates() {
		d.States = append(d.States, option{Value: s, Label: r.lang.Enum("unit_state", s), Selected: s == d.State})
	}
	q := url.Values{}
	for name, v := range map[string]string{"model": d.Model, "warehouse": d.Warehouse, "state": d.State} {
		if v != "" {
			q.Set(name, v)
		}
	}
	var out struct {
		Units []store.BackupUnit `json:"units"`
	}
	if err := r.call(http.MethodGet, "/api/v1/stock/units?"+q.Encode(), nil, "", &out); err != nil {
		r.failCall(err)
		return
	}
	manage := auth.Authorize(r.session.principal, auth.ManageStock) == nil
	for _, u := range out.Units {
		row := unitRow{BackupUnit: u, WarehouseName: names[u.Warehouse], ModelHref: stockItemPath(u.Model)}
		if u.LoanID != "" {
			row.LoanHref = loansPath(u.Serial) + "#loan-" + u.LoanID
		}
		if manage && u.State == complaint.UnitInRepair {
			row.RepairedAction = unitsPath + "/" + url.PathEscape(u.Serial) + "/repaired"
		}
		d.Units = append(d.Units, row)
	}
	if manage {
		f, ok := unitForm(r, ws)
		if !ok {
			return
		}
		failed.apply(r.lang, &f)
		d.Register = &f
	}
	p := r.page("units.title")
	switch r.Query("done") {
	case "registered":
		p.Flash = r.lang.T("units.registered")
	case "repaired":
		p.Flash = r.lang.T("units.repaired")
	}
	p.Error = refused
	p.Data = d
	r.renderPage(status, "units", p)
}

// unitForm is the form registering a unit: the API's body, the model
// chosen among the stock's items of kind backup unit and the warehouse
// among those there are; false when the API refused the read (the error
// page is drawn).
func unitForm(r *request, ws []store.Warehouse) (form, bool) {
	var items store.StockItemPage
	q := url.Values{"kind": {complaint.ItemBackupUnit}, "limit": {"100"}}
	if err := r.call(http.MethodGet, "/api/v1/stock/items?"+q.Encode(), nil, "", &items); err != nil {
		r.failCall(err)
		return form{}, false
	}
	fields := fieldsOf(r.lang, backupUnitBody)
	for i := range fields {
		f := &fields[i]
		switch f.Name {
		case "model":
			f.Control = controlSelect
			seen := map[string]bool{}
			for _, it := range items.Items {
				if !seen[it.PartNumber] {
					seen[it.PartNumber] = true
					f.Options = append(f.Options, option{Value: it.PartNumber, Label: it.PartNumber + " · " + it.Name})
				}
			}
		case "warehouse":
			f.Control = controlSelect
			for _, w := range ws {
				f.Options = append(f.Options, option{Value: w.ID, Label: cmp.Or(w.Name, w.ID) + " (" + w.ID + ")",
					Selected: len(ws) == 1})
			}
		}
	}
	return form{Step: "unit-register", Title: r.lang.T("units.register"), Action: unitsPath, Fields: fields,
		Help: r.lang.T("units.register.help"), Key: uuid.NewString(), CSRF: r.session.csrf, Lang: r.lang}, true
}

// registerUnit posts the form to the API and shows the units again; a
// refusal shows the form with the API's problems.
func (c *Console) registerUnit(r *request) {
	if err := r.Request.ParseForm(); err != nil {
		r.fail(http.StatusBadRequest, "error.fields")
		return
	}
	values := formValues(r.Request.PostForm)
	key := r.PostForm("idempotency_key")
	var unit store.BackupUnit
	err := r.call(http.MethodPost, "/api/v1/stock/units", jsonBody(fieldsOf(r.lang, backupUnitBody), values), key, &unit)
	if err == nil {
		r.seeOther(unitsPath + "?done=registered#unit-" + url.PathEscape(unit.Serial))
		return
	}
	status, msg, problems := r.stockRefusal(err)
	c.showUnits(r, status, &retry{values: values, problems: problems, msg: msg, key: key}, "")
}

// unitRepaired brings a unit back from repair into stock; a refusal shows
// at the top of the page.
func (c *Console) unitRepaired(r *request) {
	serial := r.Param("serial")
	err := r.call(http.MethodPost, unitsAPIPath(serial)+"/repaired", map[string]any{}, "", nil)
	if err == nil {
		r.seeOther(unitsPath + "?done=repaired#unit-" + url.PathEscape(serial))
		return
	}
	status, msg, _ := r.refusal(err)
	if status == http.StatusNotFound {
		msg = r.lang.T("error.notfound")
	}
	c.showUnits(r, status, nil, msg)
}

// unitsAPIPath is a unit in the API.
func unitsAPIPath(serial string) string { return "/api/v1/stock/units/" + url.PathEscape(serial) }
