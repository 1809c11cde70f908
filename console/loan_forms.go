package console

import (
	"cmp"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// Backup units on loan [4.(6)] on the case page: the interim step's backup
// unit, the check-out's warehouse of the parts used, the loan steps' choice
// of the case's open loans, and the case's loans.

var backupRequestBody = reflect.TypeFor[complaint.BackupRequest]()

// partsWarehouse is the check-out form's control for the warehouse the
// parts used are taken from: each part of the API's list gets it.
const partsWarehouse = "parts_warehouse"

// stepFieldsOf are a step form's controls: the body's fields, and for the
// interim step the backup unit's (the API's nested "backup" object, as
// "backup.serial", …), for the check-out the warehouse of its parts.
func stepFieldsOf(l Lang, st stepForm) []field {
	fields := fieldsOf(l, st.body)
	switch st.name {
	case complaint.StepInterim:
		for _, f := range fieldsOf(l, backupRequestBody) {
			f.Name = "backup." + f.Name
			f.Label = l.T("field." + f.Name)
			// Only backup equipment lends a unit: the API says when.
			f.Required = false
			fields = append(fields, f)
		}
	case complaint.StepCheckOut:
		if i := slices.IndexFunc(fields, func(f field) bool { return f.Name == "parts_used" }); i >= 0 {
			fields = slices.Insert(fields, i+1, field{Name: partsWarehouse, Label: l.T("field." + partsWarehouse),
				Control: controlText})
		}
	}
	return fields
}

// stepBody is the API's body of a posted step form: jsonBody, with the
// backup unit's controls gathered into their object (left out when all are
// blank) and the parts' warehouse put on each part.
func stepBody(step string, fields []field, values formValues) map[string]any {
	body := jsonBody(fields, values)
	switch step {
	case complaint.StepInterim:
		backup := map[string]any{}
		for k, v := range body {
			if name, ok := strings.CutPrefix(k, "backup."); ok {
				backup[name] = v
				delete(body, k)
			}
		}
		if len(backup) > 0 {
			body["backup"] = backup
		}
	case complaint.StepCheckOut:
		w, _ := body[partsWarehouse].(string)
		delete(body, partsWarehouse)
		if parts, ok := body["parts_used"].([]map[string]any); ok && w != "" {
			for _, p := range parts {
				p["warehouse"] = w
			}
		}
	}
	return body
}

// stockChoices are what a step form offers from the stock: the
// warehouses, the backup units available and the models of backup unit.
type stockChoices struct {
	Warehouses []store.Warehouse
	Units      []store.BackupUnit
	Models     []store.StockItem
}

const stockChoicesKey = "console.stockChoices"

// stockChoices reads the stock's choices once a request, for who may read
// the stock; nil otherwise or when the API refused (the controls then stay
// text boxes).
func (r *request) stockChoices() *stockChoices {
	if v, ok := r.Get(stockChoicesKey); ok {
		sc, _ := v.(*stockChoices)
		return sc
	}
	var sc *stockChoices
	defer func() { r.Set(stockChoicesKey, sc) }()
	if auth.Authorize(r.session.principal, auth.ReadStock) != nil {
		return nil
	}
	var ws struct {
		Warehouses []store.Warehouse `json:"warehouses"`
	}
	var units struct {
		Units []store.BackupUnit `json:"units"`
	}
	var items store.StockItemPage
	q := url.Values{"kind": {complaint.ItemBackupUnit}, "limit": {"100"}}
	if r.call(http.MethodGet, "/api/v1/stock/warehouses", nil, "", &ws) != nil ||
		r.call(http.MethodGet, "/api/v1/stock/units?state="+complaint.UnitAvailable, nil, "", &units) != nil ||
		r.call(http.MethodGet, "/api/v1/stock/items?"+q.Encode(), nil, "", &items) != nil {
		return nil
	}
	sc = &stockChoices{Warehouses: ws.Warehouses, Units: units.Units, Models: items.Items}
	return sc
}

// fitToStock makes the stock's controls of a step form choices of what the
// stock holds: an available unit, a model of backup unit, a warehouse.
func (r *request) fitToStock(f *form) {
	has := slices.ContainsFunc(f.Fields, func(fd field) bool {
		return strings.HasPrefix(fd.Name, "backup.") || fd.Name == partsWarehouse
	})
	if !has {
		return
	}
	sc := r.stockChoices()
	if sc == nil {
		return
	}
	names := map[string]string{}
	var warehouses []option
	for _, w := range sc.Warehouses {
		names[w.ID] = w.Name
		warehouses = append(warehouses, option{Value: w.ID, Label: w.Name + " (" + w.ID + ")"})
	}
	for i := range f.Fields {
		fd := &f.Fields[i]
		switch fd.Name {
		case "backup.serial":
			fd.Control, fd.Options = controlSelect, nil
			for _, u := range sc.Units {
				fd.Options = append(fd.Options, option{Value: u.Serial,
					Label: u.Serial + " · " + u.Model + " · " + cmp.Or(names[u.Warehouse], u.Warehouse)})
			}
		case "backup.model":
			fd.Control, fd.Options = controlSelect, nil
			seen := map[string]bool{}
			for _, it := range sc.Models {
				if !seen[it.PartNumber] {
					seen[it.PartNumber] = true
					fd.Options = append(fd.Options, option{Value: it.PartNumber, Label: it.PartNumber + " · " + it.Name})
				}
			}
		case "backup.warehouse", partsWarehouse:
			fd.Control, fd.Options = controlSelect, slices.Clone(warehouses)
		default:
			continue
		}
		for j := range fd.Options {
			fd.Options[j].Selected = fd.Options[j].Value == fd.Value && fd.Value != ""
		}
	}
}

// fitLoan makes a loan step's loan field a choice of the case's loans on
// loan (the only one chosen on a fresh form).
func fitLoan(l Lang, fd *field, cs complaint.Case, fresh bool) {
	fd.Control, fd.Options = controlSelect, nil
	for _, loan := range cs.Loans {
		if loan.State == complaint.LoanOnLoan {
			fd.Options = append(fd.Options, option{Value: loan.ID, Label: loanLabel(l, loan), Selected: loan.ID == fd.Value})
		}
	}
	if fresh && len(fd.Options) == 1 {
		fd.Options[0].Selected = true
	}
}

// loanLabel names a loan in a choice: its id, unit, model and due date.
func loanLabel(l Lang, loan complaint.Loan) string {
	return loan.ID + " · " + loan.Serial + " · " + loan.Model + " · " + l.T("col.due_back") + " " + loan.DueBack
}

// loanView is a loan as the case page shows it.
type loanView struct {
	complaint.Loan
	// Overdue: on loan past the end of its due-back day.
	Overdue bool
}

func loanViews(cs complaint.Case, now time.Time) []loanView {
	out := make([]loanView, 0, len(cs.Loans))
	for _, l := range cs.Loans {
		out = append(out, loanView{Loan: l, Overdue: overdue(l.State, l.OverdueAt, now)})
	}
	return out
}

// overdue reports whether a loan in state, falling overdue at, is overdue
// now.
func overdue(state string, at, now time.Time) bool {
	return state == complaint.LoanOnLoan && !at.IsZero() && !now.Before(at)
}
