package rma

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/caseflow/caseflow/complaint"
)

// The steps after the request.
var (
	Approve  = Step[complaint.RMANoteBody]{Name: complaint.RMAStepApprove, Apply: applyApprove}
	Reject   = Step[complaint.RMARejectBody]{Name: complaint.RMAStepReject, Apply: applyReject}
	Receive  = Step[complaint.RMAReceiveBody]{Name: complaint.RMAStepReceive, Check: checkReceive, Apply: applyReceive}
	Inspect  = Step[complaint.RMAInspectBody]{Name: complaint.RMAStepInspect, Apply: applyInspect}
	Complete = Step[complaint.RMACompleteBody]{Name: complaint.RMAStepComplete, Apply: applyComplete}
)

// Request is a new RMA as the actor asks for it, in stage requested, or the
// refusal: the actor may not request one (Forbidden) or the body breaks its
// rules (Invalid, naming the fields). The API has filled in what the
// archive knows (the branch office) and checked what the store holds (the
// customer, the complaint, the warehouse).
func Request(id string, a complaint.Actor, b complaint.RMARequestBody, now time.Time) (complaint.RMA, error) {
	if err := mayTake(complaint.RMAStepRequest, a); err != nil {
		return complaint.RMA{}, err
	}
	if err := bodyProblems(b); err != nil {
		return complaint.RMA{}, err
	}
	if b.BranchOffice == "" {
		return complaint.RMA{}, invalidFields("the RMA names no branch office",
			map[string]string{"branch_office": "is required when the customer has none in the archive"})
	}
	if b.Warehouse == "" {
		b.Warehouse = complaint.DefaultWarehouse
	}
	r := complaint.RMA{ID: id, Kind: b.Kind, Stage: complaint.RMARequested, CustomerID: b.CustomerID,
		BranchOffice: b.BranchOffice, OrderNumber: b.OrderNumber, PartNumber: b.PartNumber,
		Serials: slices.Clone(b.Serials), Quantity: b.Quantity, Reason: b.Reason, ComplaintID: b.ComplaintID,
		Warehouse: b.Warehouse, RequestedBy: a, RequestedAt: now, UpdatedAt: now}
	r.AllowedSteps = AllowedSteps(r)
	return r, nil
}

func applyApprove(r *complaint.RMA, a complaint.Actor, b complaint.RMANoteBody, now time.Time) string {
	r.Approval = &complaint.RMADecision{Note: b.Note, Actor: a, At: now}
	due := ReceiptDue(now)
	r.ReceiptDueAt = &due
	return complaint.EventRMAApproved
}

func applyReject(r *complaint.RMA, a complaint.Actor, b complaint.RMARejectBody, now time.Time) string {
	r.Rejection = &complaint.RMADecision{Note: b.Reason, Actor: a, At: now}
	return complaint.EventRMARejected
}

// checkReceive: no more units than the RMA names, and, when it names its
// serials, only those.
func checkReceive(r *complaint.RMA, _ complaint.Actor, b complaint.RMAReceiveBody) error {
	problems := map[string]string{}
	if b.Quantity > r.Quantity {
		problems["quantity"] = "must be at most " + strconv.Itoa(r.Quantity) + ", the quantity of the RMA"
	}
	if len(r.Serials) > 0 {
		for i, s := range b.Serials {
			if !slices.Contains(r.Serials, s) {
				problems[fmt.Sprintf("serials[%d]", i)] = "is not a serial of the RMA"
			}
		}
	}
	if len(problems) > 0 {
		return invalidFields("the goods received do not match the RMA", problems)
	}
	return nil
}

func applyReceive(r *complaint.RMA, a complaint.Actor, b complaint.RMAReceiveBody, now time.Time) string {
	r.Receipt = &complaint.RMAReceipt{Warehouse: receiptWarehouse(r, b), Quantity: b.Quantity,
		Serials: slices.Clone(b.Serials), Note: b.Note, Actor: a, At: now}
	return complaint.EventRMAReceived
}

func applyInspect(r *complaint.RMA, a complaint.Actor, b complaint.RMAInspectBody, now time.Time) string {
	r.Inspection = &complaint.RMAInspection{Result: b.Result, Note: b.Note, Actor: a, At: now}
	return complaint.EventRMAInspected
}

func applyComplete(r *complaint.RMA, a complaint.Actor, b complaint.RMACompleteBody, now time.Time) string {
	r.Completion = &complaint.RMACompletion{Disposition: b.Disposition, Note: b.Note, Actor: a, At: now}
	if b.Disposition == complaint.DispositionReplace {
		r.Completion.Warehouse = b.Warehouse
	}
	return complaint.EventRMACompleted
}

func receiptWarehouse(r *complaint.RMA, b complaint.RMAReceiveBody) string {
	if b.Warehouse != "" {
		return b.Warehouse
	}
	return r.Warehouse
}

// ReceiptMovement is the stock movement a receipt makes: the units received
// of the RMA's part, into the warehouse, with the RMA as reference.
func ReceiptMovement(r complaint.RMA, b complaint.RMAReceiveBody) complaint.MovementBody {
	return complaint.MovementBody{PartNumber: r.PartNumber, Warehouse: receiptWarehouse(&r, b),
		Kind: complaint.MovementReceive, Quantity: b.Quantity,
		Reference: &complaint.MovementReference{Kind: complaint.ReferenceRMA, ID: r.ID},
		Note:      r.Number + " received"}
}

// ReplacementMovement is the stock movement a completion makes, if any: a
// replacement issues as many units as were received, of the RMA's part,
// from the body's warehouse, with the RMA as reference.
func ReplacementMovement(r complaint.RMA, b complaint.RMACompleteBody) (complaint.MovementBody, bool) {
	if b.Disposition != complaint.DispositionReplace {
		return complaint.MovementBody{}, false
	}
	q := r.Quantity
	if r.Receipt != nil {
		q = r.Receipt.Quantity
	}
	return complaint.MovementBody{PartNumber: r.PartNumber, Warehouse: b.Warehouse, Kind: complaint.MovementIssue,
		Quantity: q, Reference: &complaint.MovementReference{Kind: complaint.ReferenceRMA, ID: r.ID},
		Note: r.Number + " replacement"}, true
}
