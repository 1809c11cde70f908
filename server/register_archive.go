package server

import (
	"context"
	"errors"
	"time"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
)

// caseArchive is what a registration takes from the customer archive: the
// customer (to create first when the request brought it as new_customer),
// the facts the case keeps, and the order facts of a known serial.
type caseArchive struct {
	customer store.Customer
	create   bool
	facts    complaint.CaseCustomer
	serial   *store.Equipment
}

// lookUpArchive finds the complaint's customer and equipment in the
// archive. Problems name the request's fields: an unknown customer without
// new_customer, a new_customer that breaks the archive's rules, a known
// serial of another customer.
func (h *handlers) lookUpArchive(ctx context.Context, req registerRequest, problems map[string]string) (caseArchive, error) {
	var a caseArchive
	cu, err := h.store.GetCustomer(ctx, req.CustomerID)
	switch {
	case err == nil:
		a.customer = cu
	case !errors.Is(err, store.ErrNotFound):
		return a, err
	case req.NewCustomer == nil:
		problems["customer_id"] = "names no customer in the archive; send new_customer to add it"
		return a, nil
	default:
		newProblems := map[string]string{}
		if err := h.customerProblems(ctx, *req.NewCustomer, newProblems); err != nil {
			return a, err
		}
		for field, problem := range newProblems {
			problems["new_customer."+field] = problem
		}
		a.customer, a.create = store.Customer{ID: req.CustomerID, CustomerBody: *req.NewCustomer}, true
	}
	b := a.customer.CustomerBody
	a.facts = complaint.CaseCustomer{Name: b.Name, Region: b.Region, BranchOffice: b.BranchOffice,
		KeyCustomer: b.KeyCustomer, Class: b.Class}
	if req.EquipmentSerial == "" {
		return a, nil
	}
	eq, err := h.store.GetEquipment(ctx, req.EquipmentSerial)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return a, nil // a serial the installed base does not hold: warranty unknown
	case err != nil:
		return a, err
	case eq.CustomerID != req.CustomerID:
		problems["equipment_serial"] = "belongs to another customer's equipment"
	default:
		a.serial = &eq
	}
	return a, nil
}

// warranty is the case's warranty: none without a serial, unknown for a
// serial the installed base does not hold, else the equipment's at the
// moment the complaint was received, in the policy's zone.
func (a caseArchive) warranty(req registerRequest, receivedAt time.Time, p sla.Policy) *complaint.Warranty {
	switch {
	case req.EquipmentSerial == "":
		return nil
	case a.serial == nil:
		return &complaint.Warranty{Status: complaint.WarrantyUnknown}
	}
	w := archive.WarrantyAt(a.serial.WarrantyEnd, receivedAt, p.Calendar.Location())
	return &w
}

// site is where the serial stands, as the customer's sites name it.
func (a caseArchive) site() *complaint.CaseSite {
	if a.serial == nil || a.serial.SiteID == "" {
		return nil
	}
	for _, s := range a.customer.Sites {
		if s.ID == a.serial.SiteID {
			return &complaint.CaseSite{ID: s.ID, Name: s.Name, Address: s.Address}
		}
	}
	return nil
}

// register is the register the case starts with: the order and part of a
// known serial fill those the complaint left out.
func (a caseArchive) register(r complaint.Register) complaint.Register {
	if a.serial != nil {
		if r.OrderNumber == "" {
			r.OrderNumber = a.serial.OrderNumber
		}
		if r.PartNumber == "" {
			r.PartNumber = a.serial.PartNumber
		}
	}
	return r
}

// createNewCustomer adds the customer the request brought; a concurrent or
// earlier attempt of the same registration that added it already is fine.
func (h *handlers) createNewCustomer(ctx context.Context, a caseArchive) error {
	if !a.create {
		return nil
	}
	_, err := h.store.CreateCustomer(ctx, a.customer)
	if errors.Is(err, store.ErrExists) {
		return nil
	}
	return err
}

// policyFor is the policy in force for the complaint: a customer added by
// this request has no contracts yet and brings its own policy.
func (h *handlers) policyFor(ctx context.Context, req registerRequest, a caseArchive) (sla.Policy, error) {
	if !a.create {
		return h.store.PolicyFor(ctx, req.CustomerID, req.ContractNumber)
	}
	if req.ContractNumber != "" {
		return sla.Policy{}, store.ErrUnknownContract
	}
	return h.store.GetPolicy(ctx, a.customer.SLAPolicy)
}
