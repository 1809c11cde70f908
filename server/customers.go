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

// customerBody is the body of PUT /customers/{id} and /contracts/{number}.
type customerBody struct {
	Name       string `json:"name" binding:"max=200"`
	CustomerID string `json:"customer_id" binding:"max=64"`
	SLAPolicy  string `json:"sla_policy" binding:"required,max=64"`
}

// bindPolicyRef decodes a customer or contract body and checks that the
// policy it names exists.
func (h *handlers) bindPolicyRef(c *gin.Context, required ...string) (customerBody, bool) {
	var b customerBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return b, false
	}
	values := map[string]string{"name": b.Name, "customer_id": b.CustomerID}
	for _, field := range required {
		if values[field] == "" {
			problems[field] = "is required"
		}
	}
	if _, ok := problems["sla_policy"]; !ok {
		if _, err := h.store.GetPolicy(c.Request.Context(), b.SLAPolicy); errors.Is(err, store.ErrNotFound) {
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
	b, ok := h.bindPolicyRef(c, "name")
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
	b, ok := h.bindPolicyRef(c, "customer_id")
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
