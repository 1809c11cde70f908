package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/store"
)

func (h *handlers) getCustomer(c *gin.Context) {
	cu, err := h.store.GetCustomer(c.Request.Context(), c.Param("id"))
	if !h.found(c, err, "no customer with id "+c.Param("id")) {
		return
	}
	c.JSON(http.StatusOK, cu)
}

// customerBody is the body of PUT /customers/{id}.
type customerBody struct {
	Name      string `json:"name" validate:"required,max=200"`
	SLAPolicy string `json:"sla_policy" validate:"required,max=64"`
}

// contractBody is the body of PUT /contracts/{number}.
type contractBody struct {
	CustomerID string `json:"customer_id" validate:"required,max=64"`
	SLAPolicy  string `json:"sla_policy" validate:"required,max=64"`
}

func (b customerBody) policy() string { return b.SLAPolicy }
func (b contractBody) policy() string { return b.SLAPolicy }

// bindPolicyRef decodes a customer or contract body and checks that the
// policy it names exists.
func bindPolicyRef[B interface{ policy() string }](h *handlers, c *gin.Context) (B, bool) {
	var b B
	problems, ok := bindJSON(c, &b)
	if !ok {
		return b, false
	}
	if _, ok := problems["sla_policy"]; !ok {
		if _, err := h.store.GetPolicy(c.Request.Context(), b.policy()); errors.Is(err, store.ErrNotFound) {
			problems["sla_policy"] = "names no SLA policy"
		} else if err != nil {
			h.internalError(c, err)
			return b, false
		}
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return b, false
	}
	return b, true
}

func (h *handlers) putCustomer(c *gin.Context) {
	b, ok := bindPolicyRef[customerBody](h, c)
	if !ok {
		return
	}
	cu := store.Customer{ID: c.Param("id"), Name: b.Name, SLAPolicy: b.SLAPolicy}
	if err := h.store.PutCustomer(c.Request.Context(), cu); err != nil {
		h.internalError(c, err)
		return
	}
	h.getCustomer(c)
}

func (h *handlers) putContract(c *gin.Context) {
	b, ok := bindPolicyRef[contractBody](h, c)
	if !ok {
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
