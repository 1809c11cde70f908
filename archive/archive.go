// Package archive is the customer archive and the installed base: the
// records, their field rules and the warranty arithmetic, with no database
// or Temporal import (the store keeps them, the API and the workflow use
// the rules).
package archive

import (
	"reflect"
	"slices"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// Contact is a person at a customer.
type Contact struct {
	Name  string `json:"name" validate:"required,max=200"`
	Phone string `json:"phone,omitempty" validate:"max=64"`
	Email string `json:"email,omitempty" validate:"omitempty,email,max=200"`
	Title string `json:"title,omitempty" validate:"max=200"`
}

// Site is a place where a customer runs equipment.
type Site struct {
	ID      string `json:"id" validate:"required,max=64"`
	Name    string `json:"name" validate:"required,max=200"`
	Address string `json:"address,omitempty" validate:"max=1000"`
}

// CustomerBody is what a client writes of a customer (the id is the path's
// or, on create, the body's).
type CustomerBody struct {
	Name               string    `json:"name" validate:"required,max=200"`
	SLAPolicy          string    `json:"sla_policy" validate:"required,max=64"`
	Region             string    `json:"region,omitempty" validate:"max=100"`
	BranchOffice       string    `json:"branch_office,omitempty" validate:"max=100"`
	KeyCustomer        bool      `json:"key_customer,omitempty"`
	Class              string    `json:"class,omitempty" validate:"omitempty,enum=customer_class"`
	DisputeCoordinator string    `json:"dispute_coordinator,omitempty" validate:"max=64"`
	Contacts           []Contact `json:"contacts,omitempty" validate:"max=50,dive"`
	Sites              []Site    `json:"sites,omitempty" validate:"max=200,dive"`
}

// NewCustomer is the body of a create: the customer's code and the rest.
type NewCustomer struct {
	ID string `json:"id" validate:"required,max=64"`
	CustomerBody
}

// Problems are the checks beyond the field rules: site ids are unique
// within a customer.
func (b CustomerBody) Problems() map[string]string {
	problems := map[string]string{}
	seen := map[string]bool{}
	for i, s := range b.Sites {
		if seen[s.ID] {
			problems[indexed("sites", i, "id")] = "repeats another site's id"
		}
		seen[s.ID] = true
	}
	return problems
}

// HasSite reports whether the customer has a site with this id.
func (b CustomerBody) HasSite(id string) bool {
	return slices.ContainsFunc(b.Sites, func(s Site) bool { return s.ID == id })
}

// EquipmentBody is what a client writes of a piece of equipment (the serial
// is the path's or, on create, the body's).
type EquipmentBody struct {
	CustomerID  string   `json:"customer_id" validate:"required,max=64"`
	SiteID      string   `json:"site_id,omitempty" validate:"max=64"`
	Model       string   `json:"model" validate:"required,max=200"`
	PartNumber  string   `json:"part_number,omitempty" validate:"max=64"`
	OrderNumber string   `json:"order_number,omitempty" validate:"max=64"`
	DeliveredOn string   `json:"delivered_on,omitempty" validate:"omitempty,datetime=2006-01-02"`
	InstalledOn string   `json:"installed_on,omitempty" validate:"omitempty,datetime=2006-01-02"`
	WarrantyEnd string   `json:"warranty_end,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Consumables []string `json:"consumables,omitempty" validate:"max=100,dive,required,max=64"`
	Status      string   `json:"status,omitempty" validate:"omitempty,enum=equipment_status"`
}

// NewEquipment is the body of a create: the serial and the rest.
type NewEquipment struct {
	Serial string `json:"serial" validate:"required,max=64"`
	EquipmentBody
}

// ApplyDefaults fills what a body may leave out.
func (b *EquipmentBody) ApplyDefaults() {
	if b.Status == "" {
		b.Status = complaint.EquipmentInService
	}
}

// Problems are the checks between fields: a piece is installed and its
// warranty ends no earlier than it was delivered. Dates the field rules
// refuse are not compared.
func (b EquipmentBody) Problems() map[string]string {
	problems := map[string]string{}
	delivered, okD := date(b.DeliveredOn)
	if installed, ok := date(b.InstalledOn); ok && okD && installed.Before(delivered) {
		problems["installed_on"] = "must not be before delivered_on"
	}
	if end, ok := date(b.WarrantyEnd); ok && okD && end.Before(delivered) {
		problems["warranty_end"] = "must not be before delivered_on"
	}
	return problems
}

// WarrantyAt says whether equipment whose warranty ends on warrantyEnd (a
// date, "" when unknown) was in warranty at t: through the whole end day,
// in the plant's zone loc.
func WarrantyAt(warrantyEnd string, t time.Time, loc *time.Location) complaint.Warranty {
	end, ok := date(warrantyEnd)
	if !ok {
		return complaint.Warranty{Status: complaint.WarrantyUnknown}
	}
	endOfDay := time.Date(end.Year(), end.Month(), end.Day()+1, 0, 0, 0, 0, loc)
	if t.Before(endOfDay) {
		return complaint.Warranty{Status: complaint.WarrantyIn, EndsOn: warrantyEnd}
	}
	return complaint.Warranty{Status: complaint.WarrantyOut, EndsOn: warrantyEnd}
}

func date(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

func indexed(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// Same reports whether two customer bodies say the same, an absent list
// being an empty one: a create that finds its customer already there is a
// retry when they do.
func (b CustomerBody) Same(o CustomerBody) bool {
	norm := func(c CustomerBody) CustomerBody {
		if len(c.Contacts) == 0 {
			c.Contacts = nil
		}
		if len(c.Sites) == 0 {
			c.Sites = nil
		}
		return c
	}
	return reflect.DeepEqual(norm(b), norm(o))
}

// Same reports whether two equipment bodies say the same (see
// CustomerBody.Same), after defaults.
func (b EquipmentBody) Same(o EquipmentBody) bool {
	norm := func(e EquipmentBody) EquipmentBody {
		e.ApplyDefaults()
		if len(e.Consumables) == 0 {
			e.Consumables = nil
		}
		return e
	}
	return reflect.DeepEqual(norm(b), norm(o))
}

// CustomerPatch changes the fields it names: an absent field (nil) keeps the
// customer's, a list given (even empty) replaces the customer's.
type CustomerPatch struct {
	Name               *string   `json:"name,omitempty" validate:"omitnil,min=1,max=200"`
	SLAPolicy          *string   `json:"sla_policy,omitempty" validate:"omitnil,min=1,max=64"`
	Region             *string   `json:"region,omitempty" validate:"omitnil,max=100"`
	BranchOffice       *string   `json:"branch_office,omitempty" validate:"omitnil,max=100"`
	KeyCustomer        *bool     `json:"key_customer,omitempty"`
	Class              *string   `json:"class,omitempty" validate:"omitnil,enum=customer_class"`
	DisputeCoordinator *string   `json:"dispute_coordinator,omitempty" validate:"omitnil,max=64"`
	Contacts           []Contact `json:"contacts,omitempty" validate:"max=50,dive"`
	Sites              []Site    `json:"sites,omitempty" validate:"max=200,dive"`
}

// Apply returns b with the patch's fields in place of its own.
func (p CustomerPatch) Apply(b CustomerBody) CustomerBody {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&b.Name, p.Name)
	set(&b.SLAPolicy, p.SLAPolicy)
	set(&b.Region, p.Region)
	set(&b.BranchOffice, p.BranchOffice)
	set(&b.Class, p.Class)
	set(&b.DisputeCoordinator, p.DisputeCoordinator)
	if p.KeyCustomer != nil {
		b.KeyCustomer = *p.KeyCustomer
	}
	if p.Contacts != nil {
		b.Contacts = p.Contacts
	}
	if p.Sites != nil {
		b.Sites = p.Sites
	}
	return b
}
