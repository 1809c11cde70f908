package console

import (
	"reflect"
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
		"delivery":         complaint.DeliveryStates(),
		"equipment_status": complaint.EquipmentStatuses(),
		"clock":            {complaint.ClockResponse, complaint.ClockOnsite, complaint.ClockResolution},
	}
	var missing []string
	for list, values := range want {
		for _, v := range values {
			if _, ok := catalog[list+"."+v]; !ok {
				missing = append(missing, list+"."+v)
			}
		}
	}
	bodies := []reflect.Type{registerBody, newUserBody}
	for _, st := range stepForms {
		bodies = append(bodies, st.body)
	}
	for _, b := range bodies {
		for _, f := range fieldsOf(English, b) {
			if _, ok := catalog["field."+f.Name]; !ok {
				missing = append(missing, "field."+f.Name)
			}
		}
	}
	require.Empty(t, missing)
	for key, e := range catalog {
		require.NotEmpty(t, e[0], key)
		require.NotEmpty(t, e[1], key)
	}
}

// TestEveryStepHasAForm: the case page can offer every step of the
// vocabulary.
func TestEveryStepHasAForm(t *testing.T) {
	var names []string
	for _, st := range stepForms {
		names = append(names, st.name)
	}
	require.ElementsMatch(t, complaint.Steps(), names)
}

// TestEveryWordedProblemTranslates words each step's empty body and a body
// of wrong values by the API's one path and checks each problem has Chinese.
func TestEveryWordedProblemTranslates(t *testing.T) {
	bodies := []any{&complaint.Register{}, &accounts.NewUser{Roles: []string{"x", "x"}, Email: "no", WebhookURL: "no"}}
	for _, st := range stepForms {
		bodies = append(bodies, reflect.New(st.body).Interface())
	}
	bodies = append(bodies,
		&complaint.AnalysisBody{Liability: complaint.LiabilityCustomer, ResponsibleDepartment: "nowhere"},
		&complaint.ApprovalBody{Decision: complaint.DecisionReject},
		&complaint.CloseBody{Satisfaction: new(9)},
		&complaint.CorrectiveActionBody{DueDate: "tomorrow"},
		&complaint.AgreementBody{ApprovingDepartments: []string{"quality", "quality"}},
	)
	seen := 0
	for _, b := range bodies {
		for field, msg := range complaint.BodyProblems(b) {
			seen++
			require.True(t, translated(msg), "%T.%s: %q has no Chinese wording", b, field, msg)
		}
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
