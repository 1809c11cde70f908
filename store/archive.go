package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/archive"
)

// Customer is an entry of the customer archive.
type Customer struct {
	ID string `json:"id"`
	archive.CustomerBody
	UpdatedAt time.Time `json:"updated_at"`
}

// customerRow is a customer as stored: contacts and sites as JSON.
type customerRow struct {
	ID                 string    `db:"id"`
	Name               string    `db:"name"`
	SLAPolicy          string    `db:"sla_policy"`
	Region             string    `db:"region"`
	BranchOffice       string    `db:"branch_office"`
	KeyCustomer        bool      `db:"key_customer"`
	Class              string    `db:"class"`
	DisputeCoordinator string    `db:"dispute_coordinator"`
	Contacts           string    `db:"contacts"`
	Sites              string    `db:"sites"`
	UpdatedAt          time.Time `db:"updated_at"`
}

const customerColumns = `id, name, sla_policy, region, branch_office, key_customer, class, dispute_coordinator,
	contacts, sites, updated_at`

func (r customerRow) customer() (Customer, error) {
	c := Customer{ID: r.ID, UpdatedAt: r.UpdatedAt.UTC(), CustomerBody: archive.CustomerBody{
		Name: r.Name, SLAPolicy: r.SLAPolicy, Region: r.Region, BranchOffice: r.BranchOffice,
		KeyCustomer: r.KeyCustomer, Class: r.Class, DisputeCoordinator: r.DisputeCoordinator}}
	if err := json.Unmarshal([]byte(r.Contacts), &c.Contacts); err != nil {
		return c, err
	}
	return c, json.Unmarshal([]byte(r.Sites), &c.Sites)
}

// searchText is what q matches: the name and the contacts, lower case.
func searchText(b archive.CustomerBody) string {
	parts := []string{b.Name}
	for _, ct := range b.Contacts {
		parts = append(parts, ct.Name, ct.Phone, ct.Email)
	}
	return strings.ToLower(strings.Join(parts, "\n"))
}

// ErrExists: a create names a key that is taken.
var ErrExists = errors.New("exists already")

// CreateCustomer adds a customer; ErrExists when the id is taken.
func (s *Store) CreateCustomer(ctx context.Context, c Customer) (Customer, error) {
	return s.writeCustomer(ctx, c, false)
}

// PutCustomer creates or replaces a customer and returns it as stored.
func (s *Store) PutCustomer(ctx context.Context, c Customer) (Customer, error) {
	return s.writeCustomer(ctx, c, true)
}

func (s *Store) writeCustomer(ctx context.Context, c Customer, replace bool) (Customer, error) {
	return putCustomer(ctx, s.db, c, replace)
}

func putCustomer(ctx context.Context, db sqlx.ExtContext, c Customer, replace bool) (Customer, error) {
	if c.Contacts == nil {
		c.Contacts = []archive.Contact{}
	}
	if c.Sites == nil {
		c.Sites = []archive.Site{}
	}
	contacts, err := json.Marshal(c.Contacts)
	if err != nil {
		return c, err
	}
	sites, err := json.Marshal(c.Sites)
	if err != nil {
		return c, err
	}
	c.UpdatedAt = utc(time.Now())
	q := `INSERT INTO customers (id, name, sla_policy, region, branch_office, key_customer, class,
		dispute_coordinator, contacts, sites, search, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if replace {
		q += ` ON CONFLICT (id) DO UPDATE SET name = excluded.name, sla_policy = excluded.sla_policy,
			region = excluded.region, branch_office = excluded.branch_office, key_customer = excluded.key_customer,
			class = excluded.class, dispute_coordinator = excluded.dispute_coordinator, contacts = excluded.contacts,
			sites = excluded.sites, search = excluded.search, updated_at = excluded.updated_at`
	} else {
		q += ` ON CONFLICT (id) DO NOTHING`
	}
	res, err := db.ExecContext(ctx, db.Rebind(q), c.ID, c.Name, c.SLAPolicy, c.Region, c.BranchOffice,
		c.KeyCustomer, c.Class, c.DisputeCoordinator, string(contacts), string(sites), searchText(c.CustomerBody),
		c.UpdatedAt)
	if err != nil {
		return c, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return c, ErrExists
	}
	return c, nil
}

// GetCustomer returns a customer, or ErrNotFound.
func (s *Store) GetCustomer(ctx context.Context, id string) (Customer, error) {
	var r customerRow
	err := s.db.GetContext(ctx, &r, s.db.Rebind(`SELECT `+customerColumns+` FROM customers WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, err
	}
	return r.customer()
}

// CustomerFilter selects customers; empty fields do not filter. Q matches
// the name and the contacts (names, phones, e-mails), case-insensitively.
type CustomerFilter struct {
	Q, Name, Region, BranchOffice, Class string
	KeyCustomer                          *bool
	Limit                                int
	Cursor                               string
}

// CustomerPage is one page of customers, by id.
type CustomerPage struct {
	Customers  []Customer `json:"customers"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

// ListCustomers answers a page of customers matching f, ordered by id.
func (s *Store) ListCustomers(ctx context.Context, f CustomerFilter) (CustomerPage, error) {
	var w filters
	w.eq("region", f.Region)
	w.eq("branch_office", f.BranchOffice)
	w.eq("class", f.Class)
	if f.KeyCustomer != nil {
		w.add("key_customer = ?", *f.KeyCustomer)
	}
	if f.Name != "" {
		w.add("LOWER(name) LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Name))+"%")
	}
	if f.Q != "" {
		w.add("search LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Q))+"%")
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return CustomerPage{}, err
		}
		w.add("id > ?", c.ID)
	}
	q := `SELECT ` + customerColumns + ` FROM customers`
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	q += " ORDER BY id LIMIT ?"
	var rows []customerRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), append(w.args, f.Limit+1)...); err != nil {
		return CustomerPage{}, err
	}
	page := CustomerPage{Customers: []Customer{}}
	for i, r := range rows {
		if i == f.Limit {
			page.NextCursor = encodeCursor(cursor{ID: rows[i-1].ID})
			break
		}
		c, err := r.customer()
		if err != nil {
			return CustomerPage{}, err
		}
		page.Customers = append(page.Customers, c)
	}
	return page, nil
}

// likeEscape makes s match itself in a LIKE pattern with ESCAPE '\'.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Equipment is a piece of the installed base.
type Equipment struct {
	Serial string `json:"serial"`
	archive.EquipmentBody
	UpdatedAt time.Time `json:"updated_at"`
}

type equipmentRow struct {
	Serial      string    `db:"serial"`
	CustomerID  string    `db:"customer_id"`
	SiteID      string    `db:"site_id"`
	Model       string    `db:"model"`
	PartNumber  string    `db:"part_number"`
	OrderNumber string    `db:"order_number"`
	DeliveredOn string    `db:"delivered_on"`
	InstalledOn string    `db:"installed_on"`
	WarrantyEnd string    `db:"warranty_end"`
	Consumables string    `db:"consumables"`
	Status      string    `db:"status"`
	UpdatedAt   time.Time `db:"updated_at"`
}

const equipmentColumns = `serial, customer_id, site_id, model, part_number, order_number, delivered_on,
	installed_on, warranty_end, consumables, status, updated_at`

func (r equipmentRow) equipment() (Equipment, error) {
	e := Equipment{Serial: r.Serial, UpdatedAt: r.UpdatedAt.UTC(), EquipmentBody: archive.EquipmentBody{
		CustomerID: r.CustomerID, SiteID: r.SiteID, Model: r.Model, PartNumber: r.PartNumber,
		OrderNumber: r.OrderNumber, DeliveredOn: r.DeliveredOn, InstalledOn: r.InstalledOn,
		WarrantyEnd: r.WarrantyEnd, Status: r.Status}}
	return e, json.Unmarshal([]byte(r.Consumables), &e.Consumables)
}

// ErrUnknownSite: equipment names a site its customer does not have.
var ErrUnknownSite = errors.New("no such site of this customer")

// PutEquipment creates (replace false: ErrExists when the serial is taken)
// or replaces a piece of equipment, checking in the same transaction that
// its customer exists (ErrNotFound) and has its site (ErrUnknownSite).
func (s *Store) PutEquipment(ctx context.Context, e Equipment, replace bool) (Equipment, error) {
	if e.Consumables == nil {
		e.Consumables = []string{}
	}
	consumables, err := json.Marshal(e.Consumables)
	if err != nil {
		return e, err
	}
	e.UpdatedAt = utc(time.Now())
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		var r customerRow
		err := tx.GetContext(ctx, &r, tx.Rebind(`SELECT `+customerColumns+` FROM customers WHERE id = ?`), e.CustomerID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		c, err := r.customer()
		if err != nil {
			return err
		}
		if e.SiteID != "" && !c.HasSite(e.SiteID) {
			return ErrUnknownSite
		}
		return insertEquipment(ctx, tx, e, replace, consumables)
	})
	return e, err
}

func insertEquipment(ctx context.Context, db sqlx.ExtContext, e Equipment, replace bool, consumables []byte) error {
	q := `INSERT INTO equipment (` + equipmentColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if replace {
		q += ` ON CONFLICT (serial) DO UPDATE SET customer_id = excluded.customer_id, site_id = excluded.site_id,
			model = excluded.model, part_number = excluded.part_number, order_number = excluded.order_number,
			delivered_on = excluded.delivered_on, installed_on = excluded.installed_on,
			warranty_end = excluded.warranty_end, consumables = excluded.consumables, status = excluded.status,
			updated_at = excluded.updated_at`
	} else {
		q += ` ON CONFLICT (serial) DO NOTHING`
	}
	res, err := db.ExecContext(ctx, db.Rebind(q), e.Serial, e.CustomerID, e.SiteID, e.Model, e.PartNumber,
		e.OrderNumber, e.DeliveredOn, e.InstalledOn, e.WarrantyEnd, string(consumables), e.Status, e.UpdatedAt)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrExists
	}
	return nil
}

// GetEquipment returns a piece of equipment by serial, or ErrNotFound.
func (s *Store) GetEquipment(ctx context.Context, serial string) (Equipment, error) {
	var r equipmentRow
	err := s.db.GetContext(ctx, &r, s.db.Rebind(`SELECT `+equipmentColumns+` FROM equipment WHERE serial = ?`), serial)
	if errors.Is(err, sql.ErrNoRows) {
		return Equipment{}, ErrNotFound
	}
	if err != nil {
		return Equipment{}, err
	}
	return r.equipment()
}

// EquipmentFilter selects equipment; empty fields do not filter.
type EquipmentFilter struct {
	CustomerID, Model, Status string
	Limit                     int
	Cursor                    string
}

// EquipmentPage is one page of equipment, by serial.
type EquipmentPage struct {
	Equipment  []Equipment `json:"equipment"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// ListEquipment answers a page of equipment matching f, ordered by serial.
func (s *Store) ListEquipment(ctx context.Context, f EquipmentFilter) (EquipmentPage, error) {
	var w filters
	w.eq("customer_id", f.CustomerID)
	w.eq("model", f.Model)
	w.eq("status", f.Status)
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return EquipmentPage{}, err
		}
		w.add("serial > ?", c.ID)
	}
	q := `SELECT ` + equipmentColumns + ` FROM equipment`
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	q += " ORDER BY serial LIMIT ?"
	var rows []equipmentRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), append(w.args, f.Limit+1)...); err != nil {
		return EquipmentPage{}, err
	}
	page := EquipmentPage{Equipment: []Equipment{}}
	for i, r := range rows {
		if i == f.Limit {
			page.NextCursor = encodeCursor(cursor{ID: rows[i-1].Serial})
			break
		}
		e, err := r.equipment()
		if err != nil {
			return EquipmentPage{}, err
		}
		page.Equipment = append(page.Equipment, e)
	}
	return page, nil
}
