package complaint

import "time"

// The vocabulary of returns and exchanges (RMA) [1.(1).F]: each is a durable
// process of its own (package rma has its rules, workflows.RmaWorkflow the
// shell), optionally linked to a complaint.

// Kinds of RMA.
const (
	RMAKindReturn   = "return"
	RMAKindExchange = "exchange"
)

// RMAKinds lists every kind of RMA.
func RMAKinds() []string { return []string{RMAKindReturn, RMAKindExchange} }

// Stages of an RMA: requested → approved | rejected → received → inspected →
// completed.
const (
	RMARequested = "requested"
	RMAApproved  = "approved"
	RMARejected  = "rejected"
	RMAReceived  = "received"
	RMAInspected = "inspected"
	RMACompleted = "completed"
)

// RMAStages lists every stage, in the order of the process.
func RMAStages() []string {
	return []string{RMARequested, RMAApproved, RMARejected, RMAReceived, RMAInspected, RMACompleted}
}

// RMAEnded reports whether an RMA in stage takes no more steps.
func RMAEnded(stage string) bool { return stage == RMARejected || stage == RMACompleted }

// Steps an RMA takes, by the names of the API's paths
// (POST /api/v1/returns/{id}/<step>) and of the workflow's updates; the
// request itself (POST /api/v1/returns) is RMAStepRequest.
const (
	RMAStepRequest  = "request"
	RMAStepApprove  = "approve"
	RMAStepReject   = "reject"
	RMAStepReceive  = "receive"
	RMAStepInspect  = "inspect"
	RMAStepComplete = "complete"
)

// RMASteps lists the steps after the request, in the order of the process.
func RMASteps() []string {
	return []string{RMAStepApprove, RMAStepReject, RMAStepReceive, RMAStepInspect, RMAStepComplete}
}

// Results of the quality department's inspection of returned goods.
const (
	InspectionDefectConfirmed = "defect_confirmed"
	InspectionNoFaultFound    = "no_fault_found"
	InspectionCustomerDamage  = "customer_damage"
)

// InspectionResults lists every inspection result.
func InspectionResults() []string {
	return []string{InspectionDefectConfirmed, InspectionNoFaultFound, InspectionCustomerDamage}
}

// Dispositions of returned goods, decided when the RMA completes.
const (
	DispositionReplace = "replace" // a replacement is issued from stock
	DispositionRefund  = "refund"
	DispositionRepair  = "repair"
	DispositionScrap   = "scrap"
)

// Dispositions lists every disposition.
func Dispositions() []string {
	return []string{DispositionReplace, DispositionRefund, DispositionRepair, DispositionScrap}
}

// Timeline event kinds of an RMA. They are complaint event kinds too: the
// timeline of a complaint shows the events of the RMAs linked to it.
const (
	EventRMARequested     = "rma_requested"
	EventRMAApproved      = "rma_approved"
	EventRMARejected      = "rma_rejected"
	EventRMAReceived      = "rma_received"
	EventRMAInspected     = "rma_inspected"
	EventRMACompleted     = "rma_completed"
	EventRMAReceiptMissed = "rma_receipt_overdue"
)

// RMAEventKinds lists every timeline event kind of an RMA.
func RMAEventKinds() []string {
	return []string{EventRMARequested, EventRMAApproved, EventRMARejected, EventRMAReceived, EventRMAInspected,
		EventRMACompleted, EventRMAReceiptMissed}
}

// NotificationRMAReceipt reminds after-sales and the requesting branch
// office that approved goods have not been received within the receipt
// period.
const NotificationRMAReceipt = "rma_receipt_due"

// RMAWorkflowID is the workflow id of the RMA with id.
func RMAWorkflowID(id string) string { return "rma-" + id }

// RMARequestBody is the body of POST /api/v1/returns.
type RMARequestBody struct {
	Kind       string `json:"kind" validate:"required,enum=rma_kind"`
	CustomerID string `json:"customer_id" validate:"required,max=64"`
	// BranchOffice defaults to the customer's in the archive.
	BranchOffice string   `json:"branch_office,omitempty" validate:"max=100"`
	OrderNumber  string   `json:"order_number,omitempty" validate:"max=64"`
	PartNumber   string   `json:"part_number" validate:"required,max=64"`
	Serials      []string `json:"serials,omitempty" validate:"max=100,unique,dive,required,max=64"`
	Quantity     int      `json:"quantity" validate:"min=1,max=100000"`
	Reason       string   `json:"reason" validate:"required,max=10000" text:"multiline"`
	ComplaintID  string   `json:"complaint_id,omitempty" validate:"max=64"`
	// Warehouse is where the goods will be received; DefaultWarehouse when
	// left out.
	Warehouse string `json:"warehouse,omitempty" validate:"max=64"`
}

// Problems are the checks between fields: no more serials than units.
func (b RMARequestBody) Problems() map[string]string {
	problems := map[string]string{}
	if len(b.Serials) > b.Quantity {
		problems["serials"] = "must not have more items than quantity"
	}
	return problems
}

// RMANoteBody is an optional note: the body of approve.
type RMANoteBody struct {
	Note string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// RMARejectBody is the body of reject.
type RMARejectBody struct {
	Reason string `json:"reason" validate:"required,max=10000" text:"multiline"`
}

// RMAReceiveBody is the body of receive: the goods that came in. Warehouse
// defaults to the RMA's; the quantity is at most the RMA's.
type RMAReceiveBody struct {
	Warehouse string   `json:"warehouse,omitempty" validate:"max=64"`
	Quantity  int      `json:"quantity" validate:"min=1,max=100000"`
	Serials   []string `json:"serials,omitempty" validate:"max=100,unique,dive,required,max=64"`
	Note      string   `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// Problems are the checks between fields: no more serials than units.
func (b RMAReceiveBody) Problems() map[string]string {
	problems := map[string]string{}
	if len(b.Serials) > b.Quantity {
		problems["serials"] = "must not have more items than quantity"
	}
	return problems
}

// RMAInspectBody is the body of inspect: the quality department's finding.
type RMAInspectBody struct {
	Result string `json:"result" validate:"required,enum=inspection_result"`
	Note   string `json:"note" validate:"required,max=10000" text:"multiline"`
}

// RMACompleteBody is the body of complete. A replacement is issued from
// Warehouse.
type RMACompleteBody struct {
	Disposition string `json:"disposition" validate:"required,enum=disposition"`
	Warehouse   string `json:"warehouse,omitempty" validate:"required_if=Disposition replace,max=64"`
	Note        string `json:"note,omitempty" validate:"max=10000" text:"multiline"`
}

// RMADecision is an approval or a rejection.
type RMADecision struct {
	Note  string    `json:"note,omitempty"`
	Actor Actor     `json:"actor"`
	At    time.Time `json:"at"`
}

// RMAReceipt is the goods received, with the stock movement that took them in.
type RMAReceipt struct {
	Warehouse  string    `json:"warehouse"`
	Quantity   int       `json:"quantity"`
	Serials    []string  `json:"serials,omitempty"`
	Note       string    `json:"note,omitempty"`
	MovementID int64     `json:"movement_id"`
	Actor      Actor     `json:"actor"`
	At         time.Time `json:"at"`
}

// RMAInspection is the quality department's finding.
type RMAInspection struct {
	Result string    `json:"result"`
	Note   string    `json:"note"`
	Actor  Actor     `json:"actor"`
	At     time.Time `json:"at"`
}

// RMACompletion is the disposition, with the stock movement that issued a
// replacement (none for the other dispositions).
type RMACompletion struct {
	Disposition string    `json:"disposition"`
	Warehouse   string    `json:"warehouse,omitempty"`
	Note        string    `json:"note,omitempty"`
	MovementID  int64     `json:"movement_id,omitempty"`
	Actor       Actor     `json:"actor"`
	At          time.Time `json:"at"`
}

// RMA is the view of one return or exchange: what its workflow holds, the
// store projects and the API answers.
type RMA struct {
	ID           string   `json:"id"`
	Number       string   `json:"number"`
	Kind         string   `json:"kind"`
	Stage        string   `json:"stage"`
	AllowedSteps []string `json:"allowed_steps"`
	CustomerID   string   `json:"customer_id"`
	BranchOffice string   `json:"branch_office"`
	OrderNumber  string   `json:"order_number,omitempty"`
	PartNumber   string   `json:"part_number"`
	Serials      []string `json:"serials,omitempty"`
	Quantity     int      `json:"quantity"`
	Reason       string   `json:"reason"`
	ComplaintID  string   `json:"complaint_id,omitempty"`
	Warehouse    string   `json:"warehouse"`

	RequestedBy Actor        `json:"requested_by"`
	RequestedAt time.Time    `json:"requested_at"`
	Approval    *RMADecision `json:"approval,omitempty"`
	Rejection   *RMADecision `json:"rejection,omitempty"`
	// ReceiptDueAt is when the goods are due in, once approved; a reminder
	// goes out then if they have not come (ReceiptOverdue).
	ReceiptDueAt   *time.Time     `json:"receipt_due_at,omitempty"`
	ReceiptOverdue bool           `json:"receipt_overdue,omitempty"`
	Receipt        *RMAReceipt    `json:"receipt,omitempty"`
	Inspection     *RMAInspection `json:"inspection,omitempty"`
	Completion     *RMACompletion `json:"completion,omitempty"`

	UpdatedAt time.Time `json:"updated_at"`
	// Version is the sequence number of the RMA's last event.
	Version int64 `json:"version"`
}

// RequestBody is the request as the RMA recorded it, defaults filled in:
// the payload of its first event.
func (r RMA) RequestBody() RMARequestBody {
	return RMARequestBody{Kind: r.Kind, CustomerID: r.CustomerID, BranchOffice: r.BranchOffice,
		OrderNumber: r.OrderNumber, PartNumber: r.PartNumber, Serials: r.Serials, Quantity: r.Quantity,
		Reason: r.Reason, ComplaintID: r.ComplaintID, Warehouse: r.Warehouse}
}

// RMARef names the RMA an event of a complaint's timeline belongs to.
type RMARef struct {
	ID     string `json:"id"`
	Number string `json:"number"`
}
