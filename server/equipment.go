package server

import (
	"errors"
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

func (h *handlers) getEquipment(c *gin.Context) {
	e, err := h.store.GetEquipment(c.Request.Context(), c.Param("serial"))
	if !h.found(c, err, "no equipment with serial "+c.Param("serial")) {
		return
	}
	c.JSON(http.StatusOK, e)
}

// listEquipment answers a page of the installed base, filtered by
// customer_id, model and status.
func (h *handlers) listEquipment(c *gin.Context) {
	h.equipmentPage(c, c.Query("customer_id"))
}

// listCustomerEquipment answers a page of one customer's equipment.
func (h *handlers) listCustomerEquipment(c *gin.Context) {
	if _, err := h.store.GetCustomer(c.Request.Context(), c.Param("id")); !h.found(c, err,
		"no customer with id "+c.Param("id")) {
		return
	}
	h.equipmentPage(c, c.Param("id"))
}

func (h *handlers) equipmentPage(c *gin.Context, customerID string) {
	f := store.EquipmentFilter{CustomerID: customerID, Model: c.Query("model"), Status: c.Query("status"),
		Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "status", f.Status, complaint.EquipmentStatuses())
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListEquipment(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) createEquipment(c *gin.Context) {
	var b archive.NewEquipment
	if !h.checkedEquipment(c, &b, &b.EquipmentBody) {
		return
	}
	h.saveEquipment(c, store.Equipment{Serial: b.Serial, EquipmentBody: b.EquipmentBody}, false)
}

func (h *handlers) putEquipment(c *gin.Context) {
	var b archive.EquipmentBody
	if !h.checkedEquipment(c, &b, &b) {
		return
	}
	h.saveEquipment(c, store.Equipment{Serial: c.Param("serial"), EquipmentBody: b}, true)
}

func (h *handlers) checkedEquipment(c *gin.Context, dst any, body *archive.EquipmentBody) bool {
	problems, ok := bindJSON(c, dst)
	if !ok {
		return false
	}
	if len(problems) == 0 {
		maps.Copy(problems, body.Problems())
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return false
	}
	body.ApplyDefaults()
	return true
}

// saveEquipment writes a piece of equipment; the store checks its customer
// and site in the same transaction.
func (h *handlers) saveEquipment(c *gin.Context, e store.Equipment, replace bool) {
	if h.refuseErased(c, e.CustomerID) {
		return
	}
	saved, err := h.store.PutEquipment(c.Request.Context(), e, replace)
	switch {
	case errors.Is(err, store.ErrNotFound):
		badRequest(c, map[string]string{"customer_id": "names no customer"})
	case errors.Is(err, store.ErrUnknownSite):
		badRequest(c, map[string]string{"site_id": "names no site of customer " + e.CustomerID})
	case errors.Is(err, store.ErrExists):
		// A retry of this create finds what it wrote and answers it.
		if existing, getErr := h.store.GetEquipment(c.Request.Context(), e.Serial); getErr == nil &&
			existing.Same(e.EquipmentBody) {
			c.JSON(http.StatusCreated, existing)
			return
		}
		abortWithError(c, http.StatusConflict, CodeConflict, "equipment with serial "+e.Serial+" exists already",
			map[string]string{"serial": "is taken"})
	case err != nil:
		h.internalError(c, err)
	case replace:
		c.JSON(http.StatusOK, saved)
	default:
		c.JSON(http.StatusCreated, saved)
	}
}
