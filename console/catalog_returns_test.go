package console

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

// TestReturnsCatalogAgreesWithTheCatalog: a key the returns pages' part
// shares with the catalog's is worded the same, and every step, its help
// and every control of the RMA forms have both languages.
func TestReturnsCatalogAgreesWithTheCatalog(t *testing.T) {
	for key, e := range returnsCatalog {
		require.Equal(t, e, catalog[key], key)
	}
	var missing []string
	for _, step := range complaint.RMASteps() {
		for _, key := range []string{"rma_step." + step, "rma_help." + step} {
			if _, ok := catalog[key]; !ok {
				missing = append(missing, key)
			}
		}
	}
	fields := returnRequestFields(English)
	for _, st := range returnStepForms {
		fields = append(fields, returnStepFields(English, st)...)
	}
	for _, f := range fields {
		if _, ok := catalog["field."+f.Name]; !ok {
			missing = append(missing, "field."+f.Name)
		}
	}
	require.Empty(t, missing)
	require.ElementsMatch(t, complaint.RMASteps(), func() []string {
		var names []string
		for _, st := range returnStepForms {
			names = append(names, st.name)
		}
		return names
	}(), "every step of an RMA has its form")
}

// TestTheRMAFormsPostTheAPIsBodies: the request's serials are lines posted
// as a list and its quantity a number; each step's controls are its body's,
// the warehouse labelled for what the step does with it.
func TestTheRMAFormsPostTheAPIsBodies(t *testing.T) {
	fields := returnRequestFields(Chinese)
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"kind", "customer_id", "branch_office", "order_number", "part_number", "serials",
		"quantity", "reason", "complaint_id", "warehouse"}, names)
	require.Equal(t, "退换类型", fields[0].Label)
	require.Equal(t, []option{{Value: "return", Label: "退货"}, {Value: "exchange", Label: "换货"}}, fields[0].Options)
	require.Equal(t, controlLines, fields[5].Control)
	require.Equal(t, controlNumber, fields[6].Control)
	require.Equal(t, controlTextarea, fields[7].Control)

	body := jsonBody(fields, formValues{"kind": {"exchange"}, "customer_id": {"C-2002"}, "part_number": {"LZ-SEAL-01"},
		"serials": {"S-1\r\n\r\nS-2 "}, "quantity": {"2"}, "reason": {"leaks"}, "branch_office": {""}, "warehouse": {"W1"}})
	require.Equal(t, complaint.RMARequestBody{Kind: "exchange", CustomerID: "C-2002", PartNumber: "LZ-SEAL-01",
		Serials: []string{"S-1", "S-2"}, Quantity: 2, Reason: "leaks", Warehouse: "W1"},
		decodeAs[complaint.RMARequestBody](t, body), "a blank branch office is left to the archive's")

	steps := map[string][]string{}
	for _, st := range returnStepForms {
		for _, f := range returnStepFields(English, st) {
			steps[st.name] = append(steps[st.name], f.Name+":"+f.Control)
		}
	}
	require.Equal(t, map[string][]string{
		"approve":  {"note:textarea"},
		"reject":   {"reason:textarea"},
		"receive":  {"warehouse:text", "quantity:number", "serials:lines", "note:textarea"},
		"inspect":  {"result:select", "note:textarea"},
		"complete": {"disposition:select", "warehouse:text", "note:textarea"},
	}, steps)
	complete := returnStepFields(Chinese, returnStepForms[4])
	require.Equal(t, "更换品出库仓库", complete[1].Label)
	require.False(t, complete[1].Required, "only a replacement needs it: the API says when")
	require.Equal(t, "更换（从库存出库）", complete[0].Options[0].Label)
	require.Equal(t, "收货仓库", returnStepFields(Chinese, returnStepForms[2])[0].Label)

	require.Equal(t, complaint.RMAReceiveBody{Quantity: 1, Serials: []string{"S-1"}},
		decodeAs[complaint.RMAReceiveBody](t, jsonBody(returnStepFields(English, returnStepForms[2]),
			formValues{"warehouse": {""}, "quantity": {"1"}, "serials": {"S-1"}, "note": {""}})),
		"no warehouse chosen: the RMA's")
	require.Equal(t, map[string]any{}, jsonBody(returnStepFields(English, returnStepForms[0]), formValues{"note": {" "}}),
		"an approval's note may be left out")
}

// TestTheRMAProblemsTranslateWell: the branch office's problem has its own
// Chinese, not the general "required when" that would keep its English.
func TestTheRMAProblemsTranslateWell(t *testing.T) {
	require.Equal(t, "客户档案中未登记办事处时必填",
		translateProblem(Chinese, "is required when the customer has none in the archive"))
	require.Equal(t, "当 disposition is replace 时必填", translateProblem(Chinese, "is required when disposition is replace"))
	require.Equal(t, "不能大于退换货数量 2", translateProblem(Chinese, "must be at most 2, the quantity of the RMA"))
}

// TestReceiptOverdue: approved goods are overdue from their due time, or
// once the reminder went out; received goods are overdue no more.
func TestReceiptOverdue(t *testing.T) {
	due := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	rm := complaint.RMA{Stage: complaint.RMAApproved, ReceiptDueAt: &due}
	require.False(t, receiptOverdue(rm, due.Add(-time.Minute)))
	require.True(t, receiptOverdue(rm, due))
	rm.ReceiptOverdue = true
	require.True(t, receiptOverdue(rm, due.Add(-time.Hour)), "the workflow's reminder went out")
	rm.Stage = complaint.RMAReceived
	require.False(t, receiptOverdue(rm, due.Add(time.Hour)))
	require.False(t, receiptOverdue(complaint.RMA{Stage: complaint.RMARequested}, due))
}
