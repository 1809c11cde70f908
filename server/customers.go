package server

import (
	"context"
	"errors"
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

func (h *handlers) getCustomer(c *gin.Context) {
	cu, err := h.store.GetCustomer(c.Request.Context(), c.Param("id"))
	if !h.found(c, err, "no customer with id "+c.Param("id")) {
		return
	}
	h.answerCustomer(c, cu) // with erased_at once erased (erase.go)
}

// listCustomers answers a page of customers, filtered by q (name and
// contacts), name, region, branch_office, key_customer and class.
func (h *handlers) listCustomers(c *gin.Context) {
	f := store.CustomerFilter{Q: c.Query("q"), Name: c.Query("name"), Region: c.Query("region"),
		BranchOffice: c.Query("branch_office"), Class: c.Query("class"), Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "class", f.Class, complaint.CustomerClasses())
	f.KeyCustomer = queryBool(c, "key_customer", problems)
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListCustomers(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

// queryBool reads an optional true/false query parameter.
func queryBool(c *gin.Context, name string, problems map[string]string) *bool {
	switch c.Query(name) {
	case "":
		return nil
	case "true":
		return new(true)
	case "false":
		return new(false)
	}
	problems[name] = "must be true or false"
	return nil
}

// customerProblems are the checks of a customer body beyond its field
// rules, made only on a body that keeps them (as the steps' store checks
// are): its sites are distinct, the policy and the dispute coordinator it
// names exist.
func (h *handlers) customerProblems(ctx context.Context, b archive.CustomerBody, problems map[string]string) error {
	if len(problems) > 0 {
		return nil
	}
	maps.Copy(problems, b.Problems())
	if _, bad := problems["sla_policy"]; !bad {
		if _, err := h.store.GetPolicy(ctx, b.SLAPolicy); errors.Is(err, store.ErrNotFound) {
			problems["sla_policy"] = "names no SLA policy"
		} else if err != nil {
			return err
		}
	}
	if _, bad := problems["dispute_coordinator"]; !bad && b.DisputeCoordinator != "" {
		if _, err := h.store.GetUser(ctx, b.DisputeCoordinator); errors.Is(err, store.ErrNotFound) {
			problems["dispute_coordinator"] = "names no user"
		} else if err != nil {
			return err
		}
	}
	return nil
}

func (h *handlers) createCustomer(c *gin.Context) {
	var b archive.NewCustomer
	if !h.checkedCustomer(c, &b, &b.CustomerBody) {
		return
	}
	cu, err := h.store.CreateCustomer(c.Request.Context(), store.Customer{ID: b.ID, CustomerBody: b.CustomerBody})
	if errors.Is(err, store.ErrExists) {
		// A retry of this create finds what it wrote and answers it.
		existing, getErr := h.store.GetCustomer(c.Request.Context(), b.ID)
		if getErr == nil && existing.Same(b.CustomerBody) {
			c.JSON(http.StatusCreated, existing)
			return
		}
		abortWithError(c, http.StatusConflict, CodeConflict, "a customer with id "+b.ID+" exists already",
			map[string]string{"id": "is taken"})
		return
	}
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusCreated, cu)
}

// putCustomer creates or replaces a customer: a body of only name and
// sla_policy, as clients sent before the archive grew, still does.
func (h *handlers) putCustomer(c *gin.Context) {
	var b archive.CustomerBody
	if !h.checkedCustomer(c, &b, &b) || h.refuseErased(c, c.Param("id")) {
		return
	}
	h.saveCustomer(c, b)
}

// patchCustomer changes the fields the body names and keeps the others (a
// list given replaces the list). The patch is checked before the store is
// read, the merged customer after.
func (h *handlers) patchCustomer(c *gin.Context) {
	var p archive.CustomerPatch
	problems, ok := bindJSON(c, &p)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	cu, err := h.store.GetCustomer(c.Request.Context(), c.Param("id"))
	if !h.found(c, err, "no customer with id "+c.Param("id")) || h.refuseErased(c, cu.ID) {
		return
	}
	b := p.Apply(cu.CustomerBody)
	if err := h.customerProblems(c.Request.Context(), b, problems); err != nil {
		h.internalError(c, err)
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	h.saveCustomer(c, b)
}

// checkedCustomer decodes dst (which may hold a customer to patch) and
// checks body, its customer part; false when it has answered.
func (h *handlers) checkedCustomer(c *gin.Context, dst any, body *archive.CustomerBody) bool {
	problems, ok := bindJSON(c, dst)
	if !ok {
		return false
	}
	if err := h.customerProblems(c.Request.Context(), *body, problems); err != nil {
		h.internalError(c, err)
		return false
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return false
	}
	return true
}

func (h *handlers) saveCustomer(c *gin.Context, b archive.CustomerBody) {
	cu, err := h.store.PutCustomer(c.Request.Context(), store.Customer{ID: c.Param("id"), CustomerBody: b})
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, cu)
}

// contractBody is the body of PUT /contracts/{number}.
type contractBody struct {
	CustomerID string `json:"customer_id" validate:"required,max=64"`
	SLAPolicy  string `json:"sla_policy" validate:"required,max=64"`
}

func (h *handlers) putContract(c *gin.Context) {
	var b contractBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if _, bad := problems["sla_policy"]; !bad {
		if _, err := h.store.GetPolicy(c.Request.Context(), b.SLAPolicy); errors.Is(err, store.ErrNotFound) {
			problems["sla_policy"] = "names no SLA policy"
		} else if err != nil {
			h.internalError(c, err)
			return
		}
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	ct, err := h.store.PutContract(c.Request.Context(),
		store.Contract{Number: c.Param("number"), CustomerID: b.CustomerID, SLAPolicy: b.SLAPolicy})
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, ct)
}
