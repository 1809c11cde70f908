package console

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/complaint"
)

// TestEveryKeyIsTranslated: every value of every vocabulary a page shows,
// every step, event and body field has both languages, and no entry is
// left blank.
func TestEveryKeyIsTranslated(t *testing.T) {
	want := map[string][]string{
		"stage": complaint.Stages(), "category": complaint.Categories(), "severity": complaint.Severities(),
		"department": complaint.Departments(), "role": complaint.Roles(), "channel": complaint.Channels(),
		"liability": complaint.Liabilities(), "agreement_type": complaint.AgreementTypes(),
		"decision": complaint.Decisions(), "interim_kind": complaint.InterimKinds(),
		"clock_state": complaint.ClockStates(), "event": complaint.EventKinds(), "step": complaint.Steps(),
		"delivery":          complaint.DeliveryStates(),
		"equipment_status":  complaint.EquipmentStatuses(),
		"clock":             {complaint.ClockResponse, complaint.ClockOnsite, complaint.ClockResolution, complaint.ClockServiceRecord},
		"currency":          complaint.Currencies(),
		"warranty":          complaint.WarrantyStatuses(),
		"paid_service":      complaint.PaidServiceStates(),
		"outcome":           complaint.Outcomes(),
		"notification_kind": complaint.NotificationKinds(),
		"key_customer":      {"true", "false"},
		// The paid-service steps say what they are for above their forms.
		"help": {complaint.StepQuote, complaint.StepQuoteDecision, complaint.StepWaiver, complaint.StepCloseDeclined,
			// So do the field-service steps, and the signing page.
			complaint.StepEngineers, complaint.StepVisits, complaint.StepCheckIn, complaint.StepCheckOut,
			complaint.StepServiceRecord, complaint.StepRecordWaiver},
		"visit_state": complaint.VisitStates(),
		"opinion":     complaint.Opinions(),
		// Returns and exchanges (catalog_rma.go).
		"rma_kind": complaint.RMAKinds(), "rma_stage": complaint.RMAStages(), "rma_step": complaint.RMASteps(),
		"inspection_result": complaint.InspectionResults(), "disposition": complaint.Dispositions(),
		// The RMA's step forms say what each step is for (catalog_returns.go).
		"rma_help": complaint.RMASteps(),
		// The stock pages'.
		"item_kind": complaint.ItemKinds(), "movement_kind": complaint.MovementKinds(),
		"reference_kind": complaint.ReferenceKinds(),
		// Backup units and their loans.
		"unit_state": complaint.UnitStates(), "loan_state": complaint.LoanStates(),
		"return_destination": complaint.ReturnDestinations(), "conversion": complaint.Conversions(),
		// Corrective actions, their step forms' help, and the monthly review.
		"capa_stage": complaint.CapaStages(), "capa_step": complaint.CapaSteps(), "capa_help": complaint.CapaSteps(),
		"verdict": complaint.Verdicts(), "accountability_decision": complaint.AccountabilityDecisions(),
		"review_state": complaint.ReviewStates(),
	}
	// A corrective action's events, and the notices of actions and reviews
	// (catalog_capa.go).
	want["event"] = append(want["event"], complaint.CapaEventKinds()...)
	want["notification_kind"] = append(want["notification_kind"], complaint.NotificationCapaDueSoon,
		complaint.NotificationCapaOverdue, complaint.NotificationCapaVerify, complaint.NotificationRecurrence,
		complaint.NotificationReviewReady, complaint.NotificationReviewReminder)
	var missing []string
	for list, values := range want {
		for _, v := range values {
			if _, ok := catalog[list+"."+v]; !ok {
				missing = append(missing, list+"."+v)
			}
		}
	}
	bodies := []reflect.Type{registerBody, newUserBody, serviceRecordBody, stockItemBody, movementBody, rmaRequestBody}
	bodies = append(bodies, capaOpenBody, accountabilityBody)
	for _, st := range slices.Concat(stepForms, returnStepForms, capaStepForms) {
		bodies = append(bodies, st.body)
	}
	for _, b := range bodies {
		for _, f := range fieldsOf(English, b) {
			if _, ok := catalog["field."+f.Name]; !ok {
				missing = append(missing, "field."+f.Name)
			}
		}
	}
	for _, f := range movementFields(English, nil) {
		if _, ok := catalog["field."+f.Name]; !ok {
			missing = append(missing, "field."+f.Name)
		}
	}
	require.Empty(t, missing)
	for key, e := range catalog {
		require.NotEmpty(t, e[0], key)
		require.NotEmpty(t, e[1], key)
	}
}

// TestEveryStepHasAForm: the case page can offer every step of the
// vocabulary; the service record's is the signing page's.
func TestEveryStepHasAForm(t *testing.T) {
	names := []string{complaint.StepServiceRecord}
	for _, st := range stepForms {
		names = append(names, st.name)
	}
	require.ElementsMatch(t, complaint.Steps(), names)
}

// TestEveryWordedProblemTranslates words each step's empty body and a body
// of wrong values by the API's one path and checks each problem has Chinese.
func TestEveryWordedProblemTranslates(t *testing.T) {
	bodies := []any{&complaint.Register{}, &accounts.NewUser{Roles: []string{"x", "x"}, Email: "no", WebhookURL: "no"},
		&complaint.ServiceRecordBody{}}
	for _, st := range stepForms {
		bodies = append(bodies, reflect.New(st.body).Interface())
	}
	bodies = append(bodies,
		&complaint.AnalysisBody{Liability: complaint.LiabilityCustomer, ResponsibleDepartment: "nowhere"},
		&complaint.ApprovalBody{Decision: complaint.DecisionReject},
		&complaint.CloseBody{Satisfaction: new(9)},
		&complaint.CorrectiveActionBody{DueDate: "tomorrow"},
		&complaint.AgreementBody{ApprovingDepartments: []string{"quality", "quality"}},
		&complaint.QuoteBody{Amount: -1, Currency: "XXX"},
		&complaint.QuoteBody{Amount: 2e9, Currency: complaint.CurrencyCNY},
		&complaint.VisitPlanBody{Engineers: []string{"e-1", "e-1"}, PlannedAt: "tomorrow 9am"},
		&complaint.CheckOutBody{Visit: "V1", WorkDone: "seal", PartsUsed: []complaint.PartUsed{{Quantity: 0}}},
		&complaint.ServiceRecordBody{SignOff: complaint.SignOff{Opinion: "fine", SignedAt: "now"}},
		&complaint.StockItemBody{}, &complaint.StockItemBody{Kind: "box", ReorderLevel: -1},
		&complaint.MovementBody{}, &complaint.MovementBody{Kind: "take", Quantity: -2000000,
			Reference: &complaint.MovementReference{Kind: "memo"}},
	)
	// The API's own words for a visit and a signature (server/visits.go,
	// complaint/rules/visits.go).
	for _, msg := range []string{"names no visit of this case", "must be an RFC 3339 time",
		"must be a PNG image of at most 256 KB", "must be a PNG image in base64", "must be a PNG image",
		"names no user", "names a user who is not an engineer",
		// The stock's (server/stock.go).
		"only 3 available", "names no warehouse", "is not kept in warehouse W1", "is taken in warehouse W1",
		// The loans' (complaint/rules/loans.go).
		"is required when kind is backup_equipment", "must not be in the past", "is not a loan of this case",
		"is not taken by a case registered before loans: describe the equipment instead"} {
		require.True(t, translated(msg), "%q has no Chinese wording", msg)
	}
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
	}
	for field, msg := range (complaint.MovementBody{Kind: complaint.MovementIssue, Quantity: -1}).Problems() {
		require.True(t, translated(msg), "MovementBody.%s: %q has no Chinese wording", field, msg)
	}
	for field, msg := range (complaint.MovementBody{Kind: complaint.MovementReceive, FromReserved: true}).Problems() {
		require.True(t, translated(msg), "MovementBody.%s: %q has no Chinese wording", field, msg)
	}
	require.Greater(t, seen, 20, "the bodies above break many rules")
}

func TestFormsCarryTheBodysFieldsAndControls(t *testing.T) {
	fields := fieldsOf(Chinese, reflect.TypeFor[complaint.AgreementBody]())
	require.Len(t, fields, 3)
	require.Equal(t, "type", fields[0].Name)
	require.Equal(t, controlSelect, fields[0].Control)
	require.True(t, fields[0].Required)
	require.Equal(t, "更换", fields[0].Options[1].Label)
	require.Equal(t, controlTextarea, fields[1].Control)
	require.Equal(t, controlCheckboxes, fields[2].Control)

	body := jsonBody(fields, formValues{"type": {"replace"}, "description": {"new unit\r\nfree"},
		"approving_departments": {"quality", "production"}})
	require.Equal(t, map[string]any{"type": "replace", "description": "new unit\nfree",
		"approving_departments": []string{"quality", "production"}}, body)

	closeFields := fieldsOf(English, reflect.TypeFor[complaint.CloseBody]())
	require.Equal(t, map[string]any{"customer_confirmed": false, "satisfaction": "five"},
		jsonBody(closeFields, formValues{"satisfaction": {"five"}}), "a number that is not one goes to the API as typed")
}

// TestPaidServiceFormsPostTheAPIsTypes: a quote's amount is a decimal number
// and its currency a choice of the vocabulary; the customer's decision is a
// yes or a no, which a checkbox could not post.
func TestPaidServiceFormsPostTheAPIsTypes(t *testing.T) {
	quote := fieldsOf(Chinese, reflect.TypeFor[complaint.QuoteBody]())
	require.Len(t, quote, 3)
	require.Equal(t, "amount", quote[0].Name)
	require.Equal(t, controlNumber, quote[0].Control)
	require.True(t, quote[0].Decimal)
	require.True(t, quote[0].Required)
	require.Equal(t, "金额", quote[0].Label)
	require.Equal(t, controlSelect, quote[1].Control)
	require.Len(t, quote[1].Options, len(complaint.Currencies()))
	require.Equal(t, "CNY", quote[1].Options[0].Value)
	require.Equal(t, "人民币（CNY）", quote[1].Options[0].Label)
	require.Equal(t, controlTextarea, quote[2].Control)

	require.Equal(t, map[string]any{"amount": 1200.5, "currency": "CNY", "note": "parts and labour"},
		jsonBody(quote, formValues{"amount": {" 1200.50 "}, "currency": {"CNY"}, "note": {"parts and labour"}}))
	for _, typed := range []string{"12,00", "NaN", "Inf", "lots"} {
		require.Equal(t, map[string]any{"amount": typed}, jsonBody(quote, formValues{"amount": {typed}}),
			"%q goes to the API as typed, which words the problem", typed)
	}
	require.Equal(t, map[string]any{"amount": 3.0}, jsonBody(quote, formValues{"amount": {"3"}}),
		"a whole amount is a number all the same")

	decision := fieldsOf(English, reflect.TypeFor[complaint.QuoteDecisionBody]())
	require.Len(t, decision, 2)
	accepted := decision[0]
	require.Equal(t, "accepted", accepted.Name)
	require.Equal(t, controlYesNo, accepted.Control)
	require.True(t, accepted.Required)
	require.Equal(t, []option{{Value: "true", Label: "Yes"}, {Value: "false", Label: "No"}}, accepted.Options)
	require.Equal(t, map[string]any{"accepted": false, "note": "too dear"},
		jsonBody(decision, formValues{"accepted": {"false"}, "note": {"too dear"}}))
	require.Equal(t, map[string]any{"accepted": true}, jsonBody(decision, formValues{"accepted": {"true"}}))
	require.Equal(t, map[string]any{}, jsonBody(decision, formValues{}), "no answer leaves the field to the API's required rule")

	refilled := fill(Chinese, decision, formValues{"accepted": {"false"}}, map[string]string{"accepted": "is required"})
	require.False(t, refilled[0].Options[0].Selected)
	require.True(t, refilled[0].Options[1].Selected)
	require.Equal(t, "必填", refilled[0].Error)

	// needs_onsite stays an optional checkbox.
	for _, f := range fieldsOf(English, registerBody) {
		if f.Name == "needs_onsite" {
			require.Equal(t, controlCheckbox, f.Control)
		}
	}
}

// TestANestedObjectIsNoFormControl: a body's nested object (the register's
// new_customer) is left out of the flat form rather than shown as a text box.
func TestANestedObjectIsNoFormControl(t *testing.T) {
	type inner struct {
		Name string `json:"name" validate:"required"`
	}
	type body struct {
		CustomerID  string `json:"customer_id"`
		NewCustomer *inner `json:"new_customer,omitempty"`
	}
	fields := fieldsOf(English, reflect.TypeFor[body]())
	require.Len(t, fields, 1)
	require.Equal(t, "customer_id", fields[0].Name)
}

func TestAmountsAreGroupedInTheCurrencysUnit(t *testing.T) {
	require.Equal(t, "1,200.50", formatAmount(1200.5, "CNY"))
	require.Equal(t, "1,234,567.00", formatAmount(1234567, "USD"))
	require.Equal(t, "980.00", formatAmount(980, "EUR"))
	require.Equal(t, "150,000", formatAmount(150000, "JPY"))
	require.Equal(t, "0.01", formatAmount(0.01, "HKD"))
}
