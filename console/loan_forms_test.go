package console

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

// TestLoansCatalogAgreesWithTheCatalog: a key the loans' part shares with
// the catalog's is worded the same, or one of the two would be lost; and
// every loan and unit vocabulary, the loan clock and the loan forms'
// controls have both languages.
func TestLoansCatalogAgreesWithTheCatalog(t *testing.T) {
	for key, e := range loansCatalog {
		require.Equal(t, e, catalog[key], key)
	}
	var missing []string
	for list, values := range map[string][]string{
		"loan_state": complaint.LoanStates(), "unit_state": complaint.UnitStates(),
		"return_destination": complaint.ReturnDestinations(), "conversion": complaint.Conversions(),
		"clock": {complaint.ClockLoan},
		"step":  {complaint.StepLoanReturn, complaint.StepLoanConvert},
		"help":  {complaint.StepInterim, complaint.StepLoanReturn, complaint.StepLoanConvert},
		"event": {complaint.EventUnitLent, complaint.EventUnitReturned, complaint.EventLoanConverted,
			complaint.EventLoanOverdue, complaint.EventLoanEscalated},
	} {
		for _, v := range values {
			if _, ok := catalog[list+"."+v]; !ok {
				missing = append(missing, list+"."+v)
			}
		}
	}
	var fields []field
	for _, st := range stepForms {
		fields = append(fields, stepFieldsOf(English, st)...)
	}
	fields = append(fields, fieldsOf(English, backupUnitBody)...)
	fields = append(fields, fieldsOf(English, unitReturnBody)...)
	for _, f := range fields {
		if _, ok := catalog["field."+f.Name]; !ok {
			missing = append(missing, "field."+f.Name)
		}
	}
	require.Empty(t, missing)
}

// TestTheInterimFormPostsTheBackupObject: the interim's backup unit is four
// controls, none marked required (only backup equipment lends one), posted
// as the API's nested object, and left out when all are blank.
func TestTheInterimFormPostsTheBackupObject(t *testing.T) {
	st := stepForm{complaint.StepInterim, reflect.TypeFor[complaint.InterimBody]()}
	fields := stepFieldsOf(Chinese, st)
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"kind", "description", "backup.serial", "backup.model", "backup.warehouse", "backup.due_back"}, names)
	require.Equal(t, controlDate, fields[5].Control)
	for _, f := range fields[2:] {
		require.False(t, f.Required, f.Name)
	}
	require.Equal(t, "备用机（序列号）", fields[2].Label)
	require.Equal(t, "应归还日期", fields[5].Label)

	body := stepBody(st.name, fields, formValues{"kind": {"backup_equipment"}, "description": {"a loaner"},
		"backup.serial": {"BK-1"}, "backup.model": {""}, "backup.due_back": {"2026-12-01"}})
	require.Equal(t, map[string]any{"kind": "backup_equipment", "description": "a loaner",
		"backup": map[string]any{"serial": "BK-1", "due_back": "2026-12-01"}}, body)
	decoded := decodeAs[complaint.InterimBody](t, body)
	require.Equal(t, &complaint.BackupRequest{Serial: "BK-1", DueBack: "2026-12-01"}, decoded.Backup)
	require.Empty(t, complaint.BodyProblems(&decoded))

	require.Equal(t, map[string]any{"kind": "workaround", "description": "restart daily"},
		stepBody(st.name, fields, formValues{"kind": {"workaround"}, "description": {"restart daily"},
			"backup.serial": {""}, "backup.warehouse": {""}}), "no backup typed: none sent")

	// The API's problems show on their controls; the object's own on none.
	refilled := fill(Chinese, fields, formValues{"backup.due_back": {"tomorrow"}},
		map[string]string{"backup.due_back": "must be a date YYYY-MM-DD", "backup": "is required when kind is backup_equipment"})
	require.Equal(t, "tomorrow", refilled[5].Value)
	require.Equal(t, "必须是日期（YYYY-MM-DD）", refilled[5].Error)
	require.Equal(t, []string{"备用机: 提供备用设备时必填"}, unplaced(Chinese, refilled,
		map[string]string{"backup.due_back": "x", "backup": "is required when kind is backup_equipment"}))
}

// TestTheCheckOutPostsThePartsWarehouse: the check-out's parts come from the
// warehouse chosen beside them, which each part of the API's list names.
func TestTheCheckOutPostsThePartsWarehouse(t *testing.T) {
	st := stepForm{complaint.StepCheckOut, reflect.TypeFor[complaint.CheckOutBody]()}
	fields := stepFieldsOf(English, st)
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	require.Equal(t, []string{"visit", "work_done", "findings", "parts_used", "parts_warehouse", "unit_picked_up"}, names)

	body := stepBody(st.name, fields, formValues{"visit": {"V2"}, "work_done": {"seal"},
		"parts_used": {"P-2040 2 SN-1\nP-7"}, "parts_warehouse": {"W2"}})
	require.Equal(t, complaint.CheckOutBody{Visit: "V2", WorkDone: "seal", PartsUsed: []complaint.PartUsed{
		{PartNumber: "P-2040", Warehouse: "W2", Quantity: 2, Serials: []string{"SN-1"}},
		{PartNumber: "P-7", Warehouse: "W2", Quantity: 1},
	}}, decodeAs[complaint.CheckOutBody](t, body))
	body = stepBody(st.name, fields, formValues{"visit": {"V2"}, "work_done": {"seal"}, "parts_used": {"P-7"},
		"parts_warehouse": {""}})
	require.Equal(t, []complaint.PartUsed{{PartNumber: "P-7", Quantity: 1}},
		decodeAs[complaint.CheckOutBody](t, body).PartsUsed, "no warehouse chosen: the API's main one")
	_, sent := stepBody(st.name, fields, formValues{"visit": {"V2"}, "parts_warehouse": {"W2"}})[partsWarehouse]
	require.False(t, sent, "the control is no field of the API's body")
}

// TestTheLoanStepsOfferTheCasesOpenLoans: loan-return and loan-convert
// choose among the loans still on loan, the only one chosen on a fresh
// form; a loan is overdue from the end of its due-back day.
func TestTheLoanStepsOfferTheCasesOpenLoans(t *testing.T) {
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	cs := complaint.Case{ID: "c1", Loans: []complaint.Loan{
		{ID: "c1-L1", LentUnit: complaint.LentUnit{Serial: "BK-3", Model: "LZ-300-BK"}, State: complaint.LoanReturned},
		{ID: "c1-L2", LentUnit: complaint.LentUnit{Serial: "BK-2", Model: "LZ-300-BK"}, State: complaint.LoanOnLoan,
			DueBack: "2026-03-08", OverdueAt: now.Add(-time.Hour)},
	}}
	for _, st := range []stepForm{
		{complaint.StepLoanReturn, reflect.TypeFor[complaint.LoanReturnBody]()},
		{complaint.StepLoanConvert, reflect.TypeFor[complaint.LoanConvertBody]()},
	} {
		f := form{Step: st.name, Fields: stepFieldsOf(English, st)}
		fitToCase(English, &f, cs, true)
		require.Equal(t, "loan", f.Fields[0].Name)
		require.Equal(t, controlSelect, f.Fields[0].Control)
		require.Equal(t, []option{{Value: "c1-L2", Label: "c1-L2 · BK-2 · LZ-300-BK · Due back 2026-03-08", Selected: true}},
			f.Fields[0].Options, st.name)
		require.Equal(t, controlSelect, f.Fields[1].Control, st.name)
	}
	ret := fieldsOf(Chinese, reflect.TypeFor[complaint.LoanReturnBody]())
	require.Equal(t, []option{{Value: "stock", Label: "归还入库"}, {Value: "repair", Label: "送修"}}, ret[1].Options)
	require.Equal(t, map[string]any{"loan": "c1-L2", "to": "repair", "note": "fan noise"},
		stepBody(complaint.StepLoanReturn, ret, formValues{"loan": {"c1-L2"}, "to": {"repair"}, "note": {"fan noise"}}))

	views := loanViews(cs, now)
	require.False(t, views[0].Overdue, "a returned loan is overdue no more")
	require.True(t, views[1].Overdue)
	require.False(t, loanViews(cs, now.Add(-2*time.Hour))[1].Overdue)
}

// TestTheLoansProblemsTranslate: every problem the loan bodies and the
// stock's lending can word has Chinese.
func TestTheLoansProblemsTranslate(t *testing.T) {
	bodies := []any{
		&complaint.InterimBody{Kind: complaint.InterimWorkaround, Description: "x", Backup: &complaint.BackupRequest{}},
		&complaint.InterimBody{Kind: complaint.InterimBackupEquipment, Description: "x",
			Backup: &complaint.BackupRequest{Serial: "BK-1", Model: "LZ", DueBack: "soon"}},
		&complaint.LoanReturnBody{}, &complaint.LoanReturnBody{Loan: "L", UnitReturn: complaint.UnitReturn{To: "bin"}},
		&complaint.LoanConvertBody{}, &complaint.LoanConvertBody{Conversion: "gift"},
		&complaint.BackupUnitBody{}, &complaint.UnitReturn{},
	}
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
	}
	require.Greater(t, seen, 10)
	for _, msg := range []string{"must not be in the past", "is not a loan of this case", "is not a backup unit",
		"is not a backup unit kept in warehouse main", "is a spare_part, not a backup unit", "is not a warehouse",
		"does not hold unit BK-1 (it is in warehouse W2)", "is registered already, as a LZ-300-BK in warehouse W1",
		"is not stocked in warehouse W2", "is required when kind is backup_equipment"} {
		require.True(t, translated(msg), "%q has no Chinese wording", msg)
	}
	require.Equal(t, "未填写 model 时必填", translateProblem(Chinese, "is required when model is left out"),
		"before the general \"required when\"")
	require.Equal(t, "填写了 model 时不能填写", translateProblem(Chinese, "must be left out when model is given"))
}
