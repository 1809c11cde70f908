package server

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/workflows"
)

func (h *handlers) listWarehouses(c *gin.Context) {
	ws, err := h.store.ListWarehouses(c.Request.Context())
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"warehouses": ws})
}

// warehouseBody is a warehouse's name; its id is the path's.
type warehouseBody struct {
	Name string `json:"name" validate:"required,max=200"`
}

// putWarehouse creates or renames a warehouse.
func (h *handlers) putWarehouse(c *gin.Context) {
	var b warehouseBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	w, err := h.store.PutWarehouse(c.Request.Context(), complaint.WarehouseBody{ID: c.Param("warehouse"), Name: b.Name})
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, w)
}

// listStockItems answers a page of items, filtered by part_number,
// warehouse, kind and below_reorder.
func (h *handlers) listStockItems(c *gin.Context) {
	f := store.StockFilter{PartNumber: c.Query("part_number"), Warehouse: c.Query("warehouse"), Kind: c.Query("kind"),
		Cursor: c.Query("cursor")}
	problems := map[string]string{}
	queryOneOf(problems, "kind", f.Kind, complaint.ItemKinds())
	if below := queryBool(c, "below_reorder", problems); below != nil {
		f.BelowReorder = *below
	}
	f.Limit = queryLimit(c, problems)
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	page, err := h.store.ListStockItems(c.Request.Context(), f)
	h.answerPage(c, page, err)
}

func (h *handlers) createStockItem(c *gin.Context) {
	var b complaint.StockItemBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	item, err := h.store.CreateStockItem(c.Request.Context(), b)
	switch {
	case errors.Is(err, store.ErrUnknownWarehouse):
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, "no such warehouse",
			map[string]string{"warehouse": "names no warehouse"})
	case errors.Is(err, store.ErrExists):
		abortWithError(c, http.StatusConflict, CodeConflict, "the item exists already in this warehouse",
			map[string]string{"part_number": "is taken in warehouse " + b.Warehouse})
	case err != nil:
		h.internalError(c, err)
	default:
		c.JSON(http.StatusCreated, item)
	}
}

// getStockItem answers an item in every warehouse with its latest
// movements.
func (h *handlers) getStockItem(c *gin.Context) {
	ctx := c.Request.Context()
	part := c.Param("part_number")
	items, err := h.store.StockItemsOf(ctx, part)
	if err == nil && len(items) == 0 {
		err = store.ErrNotFound
	}
	if !h.found(c, err, "no stock item "+part) {
		return
	}
	movements, err := h.store.StockMovements(ctx, part, 100)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"part_number": part, "items": items, "movements": movements})
}

// postMovement applies one movement of the ledger. A shortage answers 409
// naming it; a fall below the reorder level starts the alert's workflow,
// once per crossing (a retry with the same Idempotency-Key starts it again
// if the first answer was lost, and Temporal keeps it one).
func (h *handlers) postMovement(c *gin.Context) {
	var b complaint.MovementBody
	problems, ok := bindJSON(c, &b)
	if !ok {
		return
	}
	if len(problems) == 0 {
		maps.Copy(problems, b.Problems())
	}
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	ctx := c.Request.Context()
	res, err := h.store.ApplyMovement(ctx, store.Movement{Body: b, Actor: actorOf(c), At: h.now(),
		IdempotencyKey: c.GetHeader("Idempotency-Key")})
	var short *stock.ShortageError
	switch {
	case errors.As(err, &short):
		abortWithError(c, http.StatusConflict, CodeConflict, "not enough stock: "+short.Error(),
			map[string]string{"quantity": "only " + strconv.Itoa(short.Available) + " available"})
		return
	case errors.Is(err, store.ErrUnknownWarehouse):
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, "no such warehouse",
			map[string]string{"warehouse": "names no warehouse"})
		return
	case errors.Is(err, store.ErrNotFound):
		abortWithError(c, http.StatusUnprocessableEntity, CodeUnprocessable, "no such item in the warehouse",
			map[string]string{"part_number": "is not kept in warehouse " + b.Warehouse})
		return
	case keyReused(c, err):
		return
	case err != nil:
		h.temporalError(c, err, "")
		return
	}
	if res.AlertID != 0 {
		if err := h.startStockAlert(ctx, res); err != nil {
			h.temporalError(c, err, "")
			return
		}
	}
	status := http.StatusCreated
	if res.Replayed {
		c.Header("Idempotent-Replayed", "true")
		status = http.StatusOK
	}
	c.JSON(status, res)
}

func (h *handlers) startStockAlert(ctx context.Context, res store.MovementResult) error {
	in := workflows.StockAlertInput{AlertID: res.AlertID, PartNumber: res.Item.PartNumber, Warehouse: res.Item.Warehouse,
		Name: res.Item.Name, OnHand: res.Movement.OnHandAfter, ReorderLevel: res.Item.ReorderLevel, At: res.Movement.At}
	_, err := h.temporal.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID: workflows.StockAlertWorkflowID(res.AlertID), TaskQueue: h.taskQueue,
		WorkflowIDConflictPolicy: enums.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
		WorkflowIDReusePolicy:    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
	}, workflows.StockAlertWorkflow, in)
	var done *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &done) {
		return nil // the alert's workflow ran already: told once
	}
	return err
}
