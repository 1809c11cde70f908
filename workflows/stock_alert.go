package workflows

import (
	"strconv"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/complaint/rules"
)

// StockAlertInput is an item that fell below its reorder level: one
// crossing, numbered by the store.
type StockAlertInput struct {
	AlertID      int64     `json:"alert_id"`
	PartNumber   string    `json:"part_number"`
	Warehouse    string    `json:"warehouse"`
	Name         string    `json:"name"`
	OnHand       int       `json:"on_hand"`
	ReorderLevel int       `json:"reorder_level"`
	At           time.Time `json:"at"`
}

// StockAlertWorkflowID is the alert's workflow id: one workflow per
// crossing, so starting it again (a retried movement) tells nobody twice.
func StockAlertWorkflowID(alertID int64) string {
	return "stock-alert-" + strconv.FormatInt(alertID, 10)
}

// StockAlertWorkflow tells the after-sales supervisors that an item fell
// below its reorder level: recorded in the outbox until the store takes it
// (keyed by the alert, as the level), then delivered on every channel.
func StockAlertWorkflow(ctx workflow.Context, in StockAlertInput) error {
	notice := activities.NotifyInput{Kind: complaint.NotificationReorder, Level: int(in.AlertID), DueAt: in.At,
		At:         in.At,
		Recipients: []rules.Recipient{{Role: complaint.RoleSupervisor, Department: complaint.DepartmentAfterSales}},
		Facts: map[string]string{"part": in.PartNumber + " " + in.Name, "warehouse": in.Warehouse,
			"on_hand": strconv.Itoa(in.OnHand), "reorder_level": strconv.Itoa(in.ReorderLevel)}}
	var pending bool
	if err := workflow.ExecuteActivity(storeContext(ctx), acts.RecordNotifications, notice).Get(ctx, &pending); err != nil {
		return err
	}
	if pending {
		deliver(ctx, notice)
	}
	return nil
}
