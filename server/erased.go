package server

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// Once a customer is erased (erase.go), caseflow takes no new personal
// data for it: no customer edit, no equipment, no complaint, follow-up,
// feedback, RMA or reopen. Each such handler asks refuseErased within its
// checks; temporalError answers a workflow whose data key the erasure
// destroyed the same way.

// refuseErased answers 409 customer_erased when the customer was erased,
// or 503 when the store cannot tell (nothing was written), and reports
// whether it answered.
func (h *handlers) refuseErased(c *gin.Context, customerID string) bool {
	erased, err := h.store.CustomerErased(c.Request.Context(), customerID)
	switch {
	case err != nil:
		h.temporalError(c, err, "")
	case erased:
		customerErased(c, "customer "+customerID+" was erased")
	}
	return err != nil || erased
}

// customerErased refuses a request that would give an erased customer new
// personal data: final, no retry changes it.
func customerErased(c *gin.Context, what string) {
	abortWithError(c, http.StatusConflict, CodeCustomerErased,
		what+"; caseflow takes no new personal data for an erased customer", nil)
}
