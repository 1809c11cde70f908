package app_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// rmaWalker takes an RMA through its steps over the API.
type rmaWalker struct {
	t     *testing.T
	stack *app.Stack
	id    string
	last  map[string]any
}

// validReturn is an exchange of two units of part for customer, received
// into warehouse.
func validReturn(customer, part, warehouse string) map[string]any {
	return map[string]any{"kind": "exchange", "customer_id": customer, "part_number": part, "quantity": 2,
		"serials": []string{"SN-R1", "SN-R2"}, "reason": "seals leak after a week", "warehouse": warehouse,
		"order_number": "SO-2026-0042"}
}

// newReturn requests an RMA as the branch office's agent.
func newReturn(t *testing.T, stack *app.Stack, body map[string]any) *rmaWalker {
	t.Helper()
	status, created := as(t, stack, "branch_office", "agent").do(http.MethodPost, "/api/v1/returns", body, nil)
	require.Equal(t, http.StatusCreated, status, "%v", created)
	return &rmaWalker{t: t, stack: stack, id: created["id"].(string), last: created}
}

func (w *rmaWalker) path(step string) string { return "/api/v1/returns/" + w.id + "/" + step }

// step posts a step as department/role and expects 200.
func (w *rmaWalker) step(department, role, name string, body any) map[string]any {
	w.t.Helper()
	status, got := as(w.t, w.stack, department, role).do(http.MethodPost, w.path(name), body, nil)
	require.Equal(w.t, http.StatusOK, status, "%s as %s/%s: %v", name, department, role, got)
	w.last = got
	return got
}

// refused posts a step and expects the status and error code; it answers
// the error.
func (w *rmaWalker) refused(department, role, name string, body any, status int, code string) map[string]any {
	w.t.Helper()
	got, answer := as(w.t, w.stack, department, role).do(http.MethodPost, w.path(name), body, nil)
	require.Equal(w.t, status, got, "%s as %s/%s: %v", name, department, role, answer)
	errBody := answer["error"].(map[string]any)
	require.Equal(w.t, code, errBody["code"], "%v", errBody)
	return errBody
}

// TestRMAEndToEnd runs returns and exchanges on the real stack on SQLite
// and PostgreSQL: a branch office requests, an approver approves,
// after-sales receives (stock comes in), quality inspects, after-sales
// completes with a replacement (stock goes out), every movement naming the
// RMA; bad input answers 4xx naming the problem and changes nothing; the
// case's timeline shows its RMA; the Web UI finds it by RmaStage.
func TestRMAEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			keeper := as(t, stack, "after_sales", "agent")
			branch := as(t, stack, "branch_office", "agent")
			status, out := keeper.do(http.MethodPut, "/api/v1/customers/C-RMA", map[string]any{"name": "Ningbo Hospital",
				"sla_policy": "standard", "branch_office": "Ningbo"}, nil)
			require.Equal(t, http.StatusOK, status, "%v", out)
			for _, body := range []map[string]any{
				{"part_number": "P-RMA", "warehouse": "main", "name": "Seal kit", "kind": "spare_part"},
				{"part_number": "P-RMA", "warehouse": "W-EMPTY", "name": "Seal kit", "kind": "spare_part"},
				{"part_number": "P-OTHER", "warehouse": "main", "name": "Pump", "kind": "spare_part"},
			} {
				if body["warehouse"] == "W-EMPTY" {
					status, out = keeper.do(http.MethodPut, "/api/v1/stock/warehouses/W-EMPTY", map[string]any{"name": "Empty"}, nil)
					require.Equal(t, http.StatusOK, status, "%v", out)
				}
				status, out = keeper.do(http.MethodPost, "/api/v1/stock/items", body, nil)
				require.Equal(t, http.StatusCreated, status, "%v", out)
			}
			status, out = keeper.do(http.MethodPost, "/api/v1/stock/movements", map[string]any{"part_number": "P-RMA",
				"warehouse": "main", "kind": "receive", "quantity": 5}, nil)
			require.Equal(t, http.StatusCreated, status, "%v", out)
			complaintBody := validComplaint()
			complaintBody["customer_id"] = "C-RMA"
			status, cs := keeper.do(http.MethodPost, "/api/v1/complaints", complaintBody, nil)
			require.Equal(t, http.StatusCreated, status, "%v", cs)
			caseID := cs["id"].(string)

			stock := func() (float64, []map[string]any) {
				t.Helper()
				status, got := keeper.do(http.MethodGet, "/api/v1/stock/items/P-RMA", nil, nil)
				require.Equal(t, http.StatusOK, status, "%v", got)
				onHand := 0.0
				for _, it := range got["items"].([]any) {
					if it.(map[string]any)["warehouse"] == "main" {
						onHand = it.(map[string]any)["on_hand"].(float64)
					}
				}
				var ms []map[string]any
				for _, m := range got["movements"].([]any) {
					ms = append(ms, m.(map[string]any))
				}
				return onHand, ms
			}
			rmaWorkflows := func() int64 {
				return countWorkflows(t, stack.Client, stack.Config.Namespace, "WorkflowType = 'RmaWorkflow'")
			}

			// Bad requests answer 4xx naming the field and start nothing.
			with := func(k string, v any) map[string]any {
				body := validReturn("C-RMA", "P-RMA", "main")
				body[k] = v
				return body
			}
			for _, r := range []struct {
				name   string
				body   map[string]any
				status int
				field  string
			}{
				{"a negative quantity", with("quantity", -1), http.StatusBadRequest, "quantity"},
				{"an unknown kind", with("kind", "swap"), http.StatusBadRequest, "kind"},
				{"more serials than units", with("quantity", 1), http.StatusBadRequest, "serials"},
				{"an unknown customer", with("customer_id", "C-NOPE"), http.StatusUnprocessableEntity, "customer_id"},
				{"an unknown complaint", with("complaint_id", "c-nope"), http.StatusUnprocessableEntity, "complaint_id"},
				{"an unknown warehouse", with("warehouse", "nowhere"), http.StatusUnprocessableEntity, "warehouse"},
				{"a part the warehouse does not keep", with("part_number", "P-404"), http.StatusUnprocessableEntity, "part_number"},
			} {
				status, out := branch.do(http.MethodPost, "/api/v1/returns", r.body, nil)
				require.Equal(t, r.status, status, "%s: %v", r.name, out)
				require.Contains(t, out["error"].(map[string]any)["fields"], r.field, r.name)
			}
			require.Zero(t, countRows(t, stack, "rmas"), "refused requests store nothing")
			require.Zero(t, rmaWorkflows(), "refused requests start no workflow")
			// Production may not ask for a return.
			status, out = as(t, stack, "production", "agent").do(http.MethodPost, "/api/v1/returns",
				validReturn("C-RMA", "P-RMA", "main"), nil)
			require.Equal(t, http.StatusForbidden, status, "%v", out)

			// The request: the branch office defaults from the archive.
			body := validReturn("C-RMA", "P-RMA", "main")
			body["complaint_id"] = caseID
			w := newReturn(t, stack, body)
			require.Regexp(t, `^RMA-\d{4}-000001$`, w.last["number"])
			require.Equal(t, "requested", w.last["stage"])
			require.Equal(t, "Ningbo", w.last["branch_office"])
			require.Equal(t, []any{"approve", "reject"}, w.last["allowed_steps"])
			require.Equal(t, "branch_office", w.last["requested_by"].(map[string]any)["department"])

			// Goods do not come in before approval; quality approves nothing.
			conflict := w.refused("after_sales", "agent", "receive", map[string]any{"quantity": 2}, http.StatusConflict, "conflict")
			require.Equal(t, "requested", conflict["stage"])
			require.Equal(t, []any{"approve", "reject"}, conflict["allowed_steps"])
			w.refused("quality", "approver", "approve", nil, http.StatusForbidden, "forbidden")

			approved := w.step("sales", "approver", "approve", map[string]any{"note": "within the return period"})
			require.Equal(t, "approved", approved["stage"])
			approvedAt, err := time.Parse(time.RFC3339Nano, approved["approval"].(map[string]any)["at"].(string))
			require.NoError(t, err)
			due, err := time.Parse(time.RFC3339Nano, approved["receipt_due_at"].(string))
			require.NoError(t, err)
			require.Equal(t, 72*time.Hour, due.Sub(approvedAt), "the goods are due three days after approval")

			// Bad receipts change nothing.
			w.refused("after_sales", "agent", "receive", map[string]any{"quantity": -2}, http.StatusBadRequest, "invalid_request")
			bad := w.refused("after_sales", "agent", "receive", map[string]any{"quantity": 2, "warehouse": "nowhere"},
				http.StatusUnprocessableEntity, "unprocessable")
			require.Contains(t, bad["fields"], "warehouse")
			bad = w.refused("after_sales", "agent", "receive", map[string]any{"quantity": 3}, http.StatusUnprocessableEntity,
				"unprocessable")
			require.Equal(t, map[string]any{"quantity": "must be at most 2, the quantity of the RMA"}, bad["fields"])
			w.refused("branch_office", "agent", "receive", map[string]any{"quantity": 2}, http.StatusForbidden, "forbidden")
			onHand, movements := stock()
			require.Equal(t, 5.0, onHand)
			require.Len(t, movements, 1)

			// Received: stock comes in, naming the RMA.
			received := w.step("after_sales", "agent", "receive", map[string]any{"quantity": 2,
				"serials": []string{"SN-R1", "SN-R2"}, "note": "two pumps in the box"})
			require.Equal(t, "received", received["stage"])
			onHand, movements = stock()
			require.Equal(t, 7.0, onHand, "the receipt brought the goods in")
			require.Len(t, movements, 2)
			require.Equal(t, "receive", movements[0]["kind"])
			require.Equal(t, map[string]any{"kind": "rma", "id": w.id}, movements[0]["reference"])
			require.Equal(t, movements[0]["id"], received["receipt"].(map[string]any)["movement_id"])

			// Receiving twice answers 409 and changes nothing.
			conflict = w.refused("after_sales", "agent", "receive", map[string]any{"quantity": 2}, http.StatusConflict, "conflict")
			require.Equal(t, "received", conflict["stage"])
			require.Equal(t, []any{"inspect"}, conflict["allowed_steps"])
			onHand, movements = stock()
			require.Equal(t, 7.0, onHand)
			require.Len(t, movements, 2)

			// Quality inspects; after-sales may not.
			w.refused("after_sales", "engineer", "inspect", map[string]any{"result": "defect_confirmed", "note": "x"},
				http.StatusForbidden, "forbidden")
			w.step("quality", "engineer", "inspect", map[string]any{"result": "defect_confirmed", "note": "seal torn"})

			// A replacement from a warehouse without stock is refused with
			// the shortage named, and changes nothing.
			short := w.refused("after_sales", "agent", "complete", map[string]any{"disposition": "replace",
				"warehouse": "W-EMPTY"}, http.StatusConflict, "conflict")
			require.Contains(t, short["message"], "not enough stock of P-RMA in warehouse W-EMPTY")
			status, got := keeper.do(http.MethodGet, "/api/v1/returns/"+w.id, nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "inspected", got["stage"])

			done := w.step("after_sales", "supervisor", "complete", map[string]any{"disposition": "replace",
				"warehouse": "main", "note": "two new pumps sent"})
			require.Equal(t, "completed", done["stage"])
			require.Equal(t, []any{}, done["allowed_steps"])
			onHand, movements = stock()
			require.Equal(t, 5.0, onHand, "the replacement went out")
			require.Equal(t, "issue", movements[0]["kind"])
			require.Equal(t, 2.0, movements[0]["quantity"])
			require.Equal(t, map[string]any{"kind": "rma", "id": w.id}, movements[0]["reference"])
			require.Equal(t, movements[0]["id"], done["completion"].(map[string]any)["movement_id"])

			// The RMA's workflow has ended: another step answers 409.
			eventually(t, func() bool {
				return countWorkflows(t, stack.Client, stack.Config.Namespace,
					"WorkflowType = 'RmaWorkflow' AND ExecutionStatus = 'Completed'") == 1
			}, "the completed RMA's workflow completes")
			conflict = w.refused("after_sales", "agent", "complete", map[string]any{"disposition": "refund"},
				http.StatusConflict, "conflict")
			require.Equal(t, "completed", conflict["stage"])

			// Its timeline, and the case's, which shows it.
			status, tl := keeper.do(http.MethodGet, "/api/v1/returns/"+w.id+"/timeline", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", tl)
			var kinds []string
			for _, ev := range tl["events"].([]any) {
				kinds = append(kinds, ev.(map[string]any)["kind"].(string))
			}
			require.Equal(t, []string{"rma_requested", "rma_approved", "rma_received", "rma_inspected", "rma_completed"}, kinds)
			status, ctl := keeper.do(http.MethodGet, "/api/v1/complaints/"+caseID+"/timeline", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", ctl)
			var rmaEvents []string
			for _, e := range ctl["events"].([]any) {
				ev := e.(map[string]any)
				if ref, ok := ev["rma"].(map[string]any); ok {
					require.Equal(t, w.last["number"], ref["number"])
					rmaEvents = append(rmaEvents, ev["kind"].(string))
				}
			}
			require.Equal(t, kinds, rmaEvents, "the case's timeline shows its RMA")

			// The Web UI finds RMAs by stage and branch office.
			eventually(t, func() bool {
				return countWorkflows(t, stack.Client, stack.Config.Namespace,
					"RmaStage = 'completed' AND BranchOffice = 'Ningbo'") == 1
			}, "visibility shows the completed RMA by RmaStage and BranchOffice")

			// A rejected RMA ends; a keyed retry is answered once.
			key := map[string]string{"Idempotency-Key": "rma-" + b.name}
			first := branch.send(http.MethodPost, "/api/v1/returns", validReturn("C-RMA", "P-RMA", "main"), key)
			require.NoError(t, first.err)
			require.Equal(t, http.StatusCreated, first.status, "%v", first.body)
			again := branch.send(http.MethodPost, "/api/v1/returns", validReturn("C-RMA", "P-RMA", "main"), key)
			require.NoError(t, again.err)
			require.Equal(t, first.body["id"], again.body["id"], "a retry answers the same RMA")
			require.Equal(t, first.body["number"], again.body["number"])
			status, out = branch.do(http.MethodPost, "/api/v1/returns", validReturn("C-RMA", "P-OTHER", "main"), key)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Equal(t, "idempotency_key_reused", out["error"].(map[string]any)["code"])
			rejected := &rmaWalker{t: t, stack: stack, id: first.body["id"].(string)}
			rejected.refused("after_sales", "approver", "reject", map[string]any{}, http.StatusBadRequest, "invalid_request")
			stepKey := map[string]string{"Idempotency-Key": "reject-" + b.name}
			status, out = as(t, stack, "after_sales", "approver").do(http.MethodPost, rejected.path("reject"),
				map[string]any{"reason": "outside the return period"}, stepKey)
			require.Equal(t, http.StatusOK, status, "%v", out)
			require.Equal(t, "rejected", out["stage"])
			status, out = as(t, stack, "after_sales", "approver").do(http.MethodPost, rejected.path("reject"),
				map[string]any{"reason": "outside the return period"}, stepKey)
			require.Equal(t, http.StatusOK, status, "a keyed retry answers the first outcome: %v", out)
			status, out = as(t, stack, "after_sales", "approver").do(http.MethodPost, rejected.path("reject"),
				map[string]any{"reason": "another reason"}, stepKey)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Equal(t, "idempotency_key_reused", out["error"].(map[string]any)["code"])
			conflict = rejected.refused("after_sales", "agent", "receive", map[string]any{"quantity": 1},
				http.StatusConflict, "conflict")
			require.Equal(t, "rejected", conflict["stage"])
			require.Empty(t, conflict["allowed_steps"])
			status, tl = keeper.do(http.MethodGet, "/api/v1/returns/"+rejected.id+"/timeline", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, tl["events"], 2, "the retried rejection is recorded once")

			// The list and its filters.
			status, page := keeper.do(http.MethodGet, "/api/v1/returns?complaint_id="+caseID, nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", page)
			require.Len(t, page["returns"], 1)
			status, page = keeper.do(http.MethodGet, "/api/v1/returns?stage=rejected&branch_office=Ningbo&customer_id=C-RMA", nil, nil)
			require.Equal(t, http.StatusOK, status, "%v", page)
			require.Len(t, page["returns"], 1)
			require.Equal(t, rejected.id, page["returns"].([]any)[0].(map[string]any)["id"])
			status, page = keeper.do(http.MethodGet, "/api/v1/returns?stage=lost", nil, nil)
			require.Equal(t, http.StatusBadRequest, status, "%v", page)
			status, _ = keeper.do(http.MethodGet, "/api/v1/returns/no-such-rma", nil, nil)
			require.Equal(t, http.StatusNotFound, status)
			(&rmaWalker{t: t, stack: stack, id: "no-such-rma"}).refused("sales", "approver", "approve", nil,
				http.StatusNotFound, "not_found")
		})
	}
}
