package console

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
)

// decodeAs decodes a form's JSON body as the API's body type would, with
// no field the type lacks.
func decodeAs[B any](t *testing.T, body map[string]any) B {
	t.Helper()
	raw, err := json.Marshal(body)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var b B
	require.NoError(t, dec.Decode(&b), string(raw))
	return b
}

// TestPartsUsedAreLinesOfPartQuantityAndSerials: the check-out's parts are
// typed one a line, "part_number quantity serial…", and posted as the
// API's list.
func TestPartsUsedAreLinesOfPartQuantityAndSerials(t *testing.T) {
	require.Nil(t, partsOf(""))
	require.Nil(t, partsOf(" \n\r\n  "))
	require.Equal(t, []map[string]any{
		{"part_number": "P-2040", "quantity": 2, "serials": []string{"SN-881", "SN-882"}},
		{"part_number": "P-7", "quantity": 1},
		{"part_number": "P-9", "quantity": 3},
		{"part_number": "P-11", "quantity": 1, "serials": []string{"SN-1"}},
	}, partsOf("P-2040 2 SN-881 SN-882\r\n\n   P-7  \r\nP-9, 3\nP-11，1；SN-1\n"),
		"blank lines are skipped; spaces, commas (also full-width) and semicolons separate; a part alone is one")
	require.Equal(t, []map[string]any{{"part_number": "P-1", "quantity": "two"}}, partsOf("P-1 two"),
		"a quantity that is no whole number goes to the API as typed")

	fields := fieldsOf(English, reflect.TypeFor[complaint.CheckOutBody]())
	var names, controls []string
	for _, f := range fields {
		names, controls = append(names, f.Name), append(controls, f.Control)
	}
	require.Equal(t, []string{"visit", "work_done", "findings", "parts_used", "unit_picked_up"}, names)
	require.Equal(t, []string{controlText, controlTextarea, controlTextarea, controlParts, controlText}, controls)

	body := jsonBody(fields, formValues{"visit": {"V2"}, "work_done": {"replaced the seal\r\nleak test ok"},
		"parts_used": {"P-2040 2 SN-881 SN-882\nP-7"}, "unit_picked_up": {""}})
	require.Equal(t, complaint.CheckOutBody{Visit: "V2", WorkDone: "replaced the seal\nleak test ok",
		PartsUsed: []complaint.PartUsed{
			{PartNumber: "P-2040", Quantity: 2, Serials: []string{"SN-881", "SN-882"}},
			{PartNumber: "P-7", Quantity: 1},
		}}, decodeAs[complaint.CheckOutBody](t, body))
	require.Empty(t, complaint.BodyProblems(new(decodeAs[complaint.CheckOutBody](t, body))))
	_, sent := jsonBody(fields, formValues{"visit": {"V2"}, "work_done": {"x"}})["parts_used"]
	require.False(t, sent, "no parts typed: none sent")

	// The decoder's problem with a part's quantity shows on the parts field.
	refilled := fill(Chinese, fields, formValues{"parts_used": {"P-1 two"}},
		map[string]string{"parts_used.0.quantity": "must be an integer"})
	require.Equal(t, "P-1 two", refilled[3].Value)
	require.Equal(t, "必须是整数", refilled[3].Error)
}

// TestAPlannedTimeIsTypedInTheUsersZone: the visit's planned_at is a
// datetime-local input, posted as RFC 3339 in the zone the browser's script
// put beside it, else the console's.
func TestAPlannedTimeIsTypedInTheUsersZone(t *testing.T) {
	fields := fieldsOf(Chinese, reflect.TypeFor[complaint.VisitPlanBody]())
	require.Len(t, fields, 3)
	require.Equal(t, controlLines, fields[0].Control)
	require.Equal(t, "工程师（用户编号，每行一个）", fields[0].Label)
	require.Equal(t, "planned_at", fields[1].Name)
	require.Equal(t, controlDatetime, fields[1].Control)
	require.True(t, fields[1].Required)
	require.Equal(t, controlTextarea, fields[2].Control)

	shanghai := time.FixedZone("CST", 8*3600)
	require.Equal(t, "2026-03-05T14:30:00+08:00", rfc3339Of("2026-03-05T14:30", []string{"480"}, time.UTC))
	require.Equal(t, "2026-03-05T14:30:00-05:00", rfc3339Of("2026-03-05T14:30", []string{"-300"}, time.UTC))
	require.Equal(t, "2026-03-05T14:30:00+08:00", rfc3339Of("2026-03-05T14:30", nil, shanghai), "no script: the console's zone")
	require.Equal(t, "2026-03-05T14:30:00+08:00", rfc3339Of("2026-03-05T14:30", []string{"east"}, shanghai))
	require.Equal(t, "2026-03-05T14:30:00+08:00", rfc3339Of("2026-03-05T14:30", []string{"99999"}, shanghai))
	require.Equal(t, "2026-03-05T14:30:05+08:00", rfc3339Of("2026-03-05T14:30:05", nil, shanghai))
	require.Equal(t, "2026-03-05T06:30:00Z", rfc3339Of("2026-03-05T06:30:00Z", []string{"480"}, shanghai), "RFC 3339 stays")
	require.Equal(t, "tomorrow", rfc3339Of("tomorrow", nil, shanghai), "the API words what is no time")

	body := jsonBody(fields, formValues{"engineers": {"eng-1\r\n\r\n eng-2 "}, "planned_at": {"2026-03-05T14:30"},
		"planned_at_offset": {"480"}})
	require.Equal(t, map[string]any{"engineers": []string{"eng-1", "eng-2"}, "planned_at": "2026-03-05T14:30:00+08:00"}, body)
	require.Empty(t, complaint.BodyProblems(new(decodeAs[complaint.VisitPlanBody](t, body))))
}

// TestAVisitFieldChoosesAmongTheCasesVisits: a step that names a visit
// offers the case's visits in the state the step takes; a fresh form
// chooses the only one, a form shown again what was chosen; an engineers
// list starts from the case's.
func TestAVisitFieldChoosesAmongTheCasesVisits(t *testing.T) {
	at := time.Date(2026, 3, 5, 6, 30, 0, 0, time.UTC)
	cs := complaint.Case{AssignedEngineers: []string{"eng-1", "eng-2"}, Visits: []complaint.Visit{
		{ID: "V1", State: complaint.VisitPlanned, Engineers: []string{"eng-1"}, PlannedAt: at},
		{ID: "V2", State: complaint.VisitOnSite, Engineers: []string{"eng-2"}, PlannedAt: at},
		{ID: "V3", State: complaint.VisitCheckedOut, Engineers: []string{"eng-1", "eng-2"}, PlannedAt: at},
		{ID: "V4", State: complaint.VisitRecorded, PlannedAt: at},
	}}
	formFor := func(step string, body reflect.Type, fresh bool, values formValues) form {
		f := form{Step: step, Fields: fill(English, fieldsOf(English, body), values, nil)}
		fitToCase(English, &f, cs, fresh)
		return f
	}
	choices := func(f field) (values, selected []string) {
		require.Equal(t, controlSelect, f.Control)
		for _, o := range f.Options {
			values = append(values, o.Value)
			if o.Selected {
				selected = append(selected, o.Value)
			}
		}
		return values, selected
	}

	in := formFor(complaint.StepCheckIn, reflect.TypeFor[complaint.CheckInBody](), true, nil)
	values, selected := choices(in.Fields[0])
	require.Equal(t, []string{"V1"}, values)
	require.Equal(t, []string{"V1"}, selected, "the only visit that takes the step is chosen")
	require.Contains(t, in.Fields[0].Options[0].Label, "V1 · Planned · ")
	require.Contains(t, in.Fields[0].Options[0].Label, "eng-1")

	values, _ = choices(formFor(complaint.StepCheckOut, reflect.TypeFor[complaint.CheckOutBody](), true, nil).Fields[0])
	require.Equal(t, []string{"V2"}, values)

	waiver := formFor(complaint.StepRecordWaiver, reflect.TypeFor[complaint.RecordWaiverBody](), true, nil)
	values, selected = choices(waiver.Fields[0])
	require.Equal(t, []string{"V1", "V2", "V3"}, values)
	require.Empty(t, selected, "of several, none is chosen for the user")
	waiver = formFor(complaint.StepRecordWaiver, reflect.TypeFor[complaint.RecordWaiverBody](), false,
		formValues{"visit": {"V3"}})
	_, selected = choices(waiver.Fields[0])
	require.Equal(t, []string{"V3"}, selected, "a form shown again keeps the choice")

	engineers := formFor(complaint.StepEngineers, reflect.TypeFor[complaint.EngineersBody](), true, nil)
	require.Equal(t, "eng-1\neng-2", engineers.Fields[0].Value)
	engineers = formFor(complaint.StepEngineers, reflect.TypeFor[complaint.EngineersBody](), false,
		formValues{"engineers": {"eng-9"}})
	require.Equal(t, "eng-9", engineers.Fields[0].Value, "what was typed stays")
	plan := formFor(complaint.StepVisits, reflect.TypeFor[complaint.VisitPlanBody](), true, nil)
	require.Equal(t, "eng-1\neng-2", plan.Fields[0].Value)
	require.Empty(t, plan.Fields[1].Value)
}

// TestTheSigningFormPostsTheServiceRecordBody: the page's controls are the
// record's body less the visit and the signing time, which the post adds;
// the opinion is a choice of radio buttons, the signature a pad.
func TestTheSigningFormPostsTheServiceRecordBody(t *testing.T) {
	fields := signFields(Chinese)
	var names, controls []string
	for _, f := range fields {
		names, controls = append(names, f.Name), append(controls, f.Control)
	}
	require.Equal(t, []string{"signer_name", "signer_title", "opinion", "comment", "signature"}, names)
	require.Equal(t, []string{controlText, controlText, controlRadios, controlTextarea, controlSignature}, controls)
	require.Equal(t, []option{{Value: "satisfied", Label: "满意"}, {Value: "partly_satisfied", Label: "基本满意"},
		{Value: "dissatisfied", Label: "不满意"}}, fields[2].Options)
	require.True(t, fields[4].Required)

	const png = "data:image/png;base64,iVBORw0KGgo="
	signed := time.Date(2026, 3, 6, 10, 15, 0, 0, time.FixedZone("CST", 8*3600))
	body := signBody(fields, formValues{"signer_name": {" 赵磊 "}, "signer_title": {"设备科科长"},
		"opinion": {"satisfied"}, "comment": {"很好\r\n谢谢"}, "signature": {png},
		"visit": {"V9"}, "signed_at": {"2020-01-01T00:00:00Z"}, "csrf_token": {"x"}}, "V3", signed)
	require.Equal(t, map[string]any{"visit": "V3", "signer_name": " 赵磊 ", "signer_title": "设备科科长",
		"opinion": "satisfied", "comment": "很好\n谢谢", "signed_at": "2026-03-06T10:15:00+08:00", "signature": png}, body,
		"the visit is the page's and the time the post's, whatever the form holds")
	decoded := decodeAs[complaint.ServiceRecordBody](t, body)
	require.Empty(t, complaint.BodyProblems(&decoded))

	body = signBody(fields, formValues{}, "V3", signed)
	require.Equal(t, map[string]any{"visit": "V3", "signed_at": "2026-03-06T10:15:00+08:00"}, body,
		"what is missing is left to the API's rules")

	refilled := fill(Chinese, signFields(Chinese), formValues{"opinion": {"dissatisfied"}, "signature": {png}},
		map[string]string{"signer_name": "is required", "visit": "names no visit of this case"})
	require.Equal(t, "必填", refilled[0].Error)
	require.True(t, refilled[2].Options[2].Selected)
	require.Equal(t, png, refilled[4].Value, "the signature stays for the pad to draw again")
	require.Equal(t, []string{"上门服务: 不是本案的上门服务"}, unplaced(Chinese, refilled,
		map[string]string{"signer_name": "is required", "visit": "names no visit of this case"}))
}
