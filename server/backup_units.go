package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// Backup units by serial and their loans (the stock side; a loan is made,
// returned and converted through its case's steps).

// stockRefused answers a *store.StockRefusal: 409 when the stock stands
// against the request, else 422 blaming the field; false for another
// error.
func stockRefused(c *gin.Context, err error) bool {
	var ref *store.StockRefusal
	if !errors.As(err, &ref) {
		return false
	}
	var fields map[string]string
	if ref.Field != "" {
		fields = map[string]string{ref.Field: ref.Message}
	}
	if ref.Conflict {
		abortWithError(c, http.StatusConflict, CodeConflict, ref.Error(), fields)
	} else {
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, ref.Error(), fields)
	}
	return true
}

// listUnits lists the backup units, filtered by model, warehouse and state.
func (h *handlers) listUnits(c *gin.Context) {
	f := store.UnitFilter{Model: c.Query("model"), Warehouse: c.Query("warehouse"), State: c.Query("state")}
	problems := map[string]string{}
	queryOneOf(problems, "state", f.State, complaint.UnitStates())
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	units, err := h.store.ListUnits(c.Request.Context(), f)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"units": units})
}

// registerUnit registers a backup unit and receives it into stock. The
// same body again (or a retry under its Idempotency-Key) answers the unit.
func (h *handlers) registerUnit(c *gin.Context) {
	var b complaint.BackupUnitBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	unit, err := h.store.RegisterUnit(c.Request.Context(), b, actorOf(c), c.GetHeader("Idempotency-Key"))
	switch {
	case stockRefused(c, err), keyReused(c, err):
	case err != nil:
		h.internalError(c, err)
	case unit.Replayed:
		c.Header(replayedHeader, "true")
		c.JSON(http.StatusOK, unit)
	default:
		c.JSON(http.StatusCreated, unit)
	}
}

// unitRepaired brings a unit back from repair into stock.
func (h *handlers) unitRepaired(c *gin.Context) {
	var b complaint.OptionalNoteBody
	problems, ok := bindBody(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	serial := c.Param("serial")
	unit, err := h.store.UnitRepaired(c.Request.Context(), serial, actorOf(c), b.Note)
	if stockRefused(c, err) || !h.found(c, err, "no backup unit "+serial) {
		return
	}
	c.JSON(http.StatusOK, unit)
}

// listLoans answers a page of loans, newest first, filtered by state,
// complaint_id, serial and overdue (true: on loan past their due time).
func (h *handlers) listLoans(c *gin.Context) {
	f := store.LoanFilter{State: c.Query("state"), ComplaintID: c.Query("complaint_id"), Serial: c.Query("serial"),
		Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "state", f.State, complaint.LoanStates())
	if overdue := queryBool(c, "overdue", problems); overdue != nil && *overdue {
		now := h.now()
		f.OverdueAt = &now
	}
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListLoans(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) getLoan(c *gin.Context) {
	id := c.Param("id")
	loan, err := h.store.GetLoan(c.Request.Context(), id)
	if !h.found(c, err, "no loan "+id) {
		return
	}
	c.JSON(http.StatusOK, loan)
}
