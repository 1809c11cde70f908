package imports

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// Columns of the two files; a cell of a list column holds its items
// separated by ";", and a contact or site its parts separated by "|":
// contacts "name|phone|email|title", sites "id|name|address".
var (
	CustomerColumns = []string{"id", "name", "sla_policy", "region", "branch_office", "key_customer", "class",
		"dispute_coordinator", "contacts", "sites"}
	EquipmentColumns = []string{"serial", "customer_id", "site_id", "model", "part_number", "order_number",
		"delivered_on", "installed_on", "warranty_end", "consumables", "status"}
)

// Result is what an import did.
type Result struct {
	Rows int `json:"rows"`
	store.ImportCounts
}

// erasedProblem refuses a row of an erased customer: caseflow takes no new
// personal data for it (as the API's 409 customer_erased).
const erasedProblem = "names an erased customer; caseflow takes no new data for it"

// Customers imports a customers file: every row checked by the body rules
// of POST /api/v1/customers, ids unique in the file, policies and dispute
// coordinators known, no erased customer; then all written, or none with
// ErrProblems.
func Customers(ctx context.Context, st *store.Store, raw []byte) (Result, Problems, error) {
	t, problems := readTable(raw, CustomerColumns, []string{"id", "name", "sla_policy"})
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	customers := make([]store.Customer, 0, len(t.rows))
	lines := map[string]int{}
	policies, coordinators := map[string][]int{}, map[string][]int{}
	for _, r := range t.rows {
		b := archive.NewCustomer{ID: r.values["id"], CustomerBody: archive.CustomerBody{
			Name: r.values["name"], SLAPolicy: r.values["sla_policy"], Region: r.values["region"],
			BranchOffice: r.values["branch_office"], Class: r.values["class"],
			DisputeCoordinator: r.values["dispute_coordinator"],
			Contacts:           contacts(r.values["contacts"]), Sites: sites(r.values["sites"]),
		}}
		switch strings.ToLower(r.values["key_customer"]) {
		case "", "false", "no", "0", "否":
		case "true", "yes", "1", "是":
			b.KeyCustomer = true
		default:
			problems.add(r.line, "key_customer", "must be true or false")
		}
		rowProblems := complaint.BodyProblems(&b)
		if len(rowProblems) == 0 {
			rowProblems = b.Problems()
		}
		for field, p := range rowProblems {
			problems.add(r.line, field, p)
		}
		if first, dup := lines[b.ID]; dup {
			problems.add(r.line, "id", fmt.Sprintf("repeats the id of line %d", first))
		}
		lines[b.ID] = r.line
		policies[b.SLAPolicy] = append(policies[b.SLAPolicy], r.line)
		if b.DisputeCoordinator != "" {
			coordinators[b.DisputeCoordinator] = append(coordinators[b.DisputeCoordinator], r.line)
		}
		customers = append(customers, store.Customer{ID: b.ID, CustomerBody: b.CustomerBody})
	}
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	for name, at := range policies {
		if _, err := st.GetPolicy(ctx, name); errors.Is(err, store.ErrNotFound) {
			for _, line := range at {
				problems.add(line, "sla_policy", "names no SLA policy")
			}
		} else if err != nil {
			return Result{}, nil, err
		}
	}
	known, err := st.ExistingUsers(ctx, keys(coordinators))
	if err != nil {
		return Result{}, nil, err
	}
	for id, at := range coordinators {
		if !known[id] {
			for _, line := range at {
				problems.add(line, "dispute_coordinator", "names no user")
			}
		}
	}
	erased, err := st.ErasedCustomers(ctx, keys(lines))
	if err != nil {
		return Result{}, nil, err
	}
	for id := range erased {
		problems.add(lines[id], "id", erasedProblem)
	}
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	counts, err := st.ImportCustomers(ctx, customers)
	return Result{Rows: len(customers), ImportCounts: counts}, nil, err
}

// Equipment imports an equipment file: every row checked by the body rules
// of POST /api/v1/equipment, serials unique in the file, customers (not
// erased) and their sites known; then all written, or none with ErrProblems.
func Equipment(ctx context.Context, st *store.Store, raw []byte) (Result, Problems, error) {
	t, problems := readTable(raw, EquipmentColumns, []string{"serial", "customer_id", "model"})
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	equipment := make([]store.Equipment, 0, len(t.rows))
	lines := map[string]int{}
	owners := map[string]bool{}
	for _, r := range t.rows {
		b := archive.NewEquipment{Serial: r.values["serial"], EquipmentBody: archive.EquipmentBody{
			CustomerID: r.values["customer_id"], SiteID: r.values["site_id"], Model: r.values["model"],
			PartNumber: r.values["part_number"], OrderNumber: r.values["order_number"],
			DeliveredOn: r.values["delivered_on"], InstalledOn: r.values["installed_on"],
			WarrantyEnd: r.values["warranty_end"], Consumables: list(r.values["consumables"]),
			Status: r.values["status"],
		}}
		rowProblems := complaint.BodyProblems(&b)
		if len(rowProblems) == 0 {
			rowProblems = b.Problems()
		}
		for field, p := range rowProblems {
			problems.add(r.line, field, p)
		}
		if first, dup := lines[b.Serial]; dup {
			problems.add(r.line, "serial", fmt.Sprintf("repeats the serial of line %d", first))
		}
		lines[b.Serial] = r.line
		owners[b.CustomerID] = true
		b.ApplyDefaults()
		equipment = append(equipment, store.Equipment{Serial: b.Serial, EquipmentBody: b.EquipmentBody})
	}
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	customers, err := st.CustomersByID(ctx, keys(owners))
	if err != nil {
		return Result{}, nil, err
	}
	erased, err := st.ErasedCustomers(ctx, keys(owners))
	if err != nil {
		return Result{}, nil, err
	}
	for _, e := range equipment {
		line := lines[e.Serial]
		c, ok := customers[e.CustomerID]
		switch {
		case !ok:
			problems.add(line, "customer_id", "names no customer")
		case erased[e.CustomerID]:
			problems.add(line, "customer_id", erasedProblem)
		case e.SiteID != "" && !c.HasSite(e.SiteID):
			problems.add(line, "site_id", "names no site of customer "+e.CustomerID)
		}
	}
	if len(problems) > 0 {
		return Result{}, problems, ErrProblems
	}
	counts, err := st.ImportEquipment(ctx, equipment)
	return Result{Rows: len(equipment), ImportCounts: counts}, nil, err
}

func contacts(cell string) []archive.Contact {
	var out []archive.Contact
	for _, item := range list(cell) {
		p := parts(item, 4)
		out = append(out, archive.Contact{Name: p[0], Phone: p[1], Email: p[2], Title: p[3]})
	}
	return out
}

func sites(cell string) []archive.Site {
	var out []archive.Site
	for _, item := range list(cell) {
		p := parts(item, 3)
		out = append(out, archive.Site{ID: p[0], Name: p[1], Address: p[2]})
	}
	return out
}

// parts splits an item "a|b|c" into n trimmed parts, missing ones empty
// (more than n stay in the last).
func parts(item string, n int) []string {
	p := strings.SplitN(item, "|", n)
	for len(p) < n {
		p = append(p, "")
	}
	for i := range p {
		p[i] = strings.TrimSpace(p[i])
	}
	return p
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
