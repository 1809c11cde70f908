package server_test

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/sla"
)

// documentedEnums are the enums of openapi.yaml, by where they stand, and
// the values the code knows for each. A schema that refers to a named one
// ($ref) is the named one's.
func documentedEnums() map[string][]string {
	var weekdays []string
	for d := time.Monday; d <= time.Saturday; d++ {
		weekdays = append(weekdays, strings.ToLower(d.String()))
	}
	return map[string][]string{
		"Stage":                  complaint.Stages(),
		"Channel":                complaint.Channels(),
		"Category":               complaint.Categories(),
		"Severity":               complaint.Severities(),
		"Department":             complaint.Departments(),
		"Role":                   complaint.Roles(),
		"Liability":              complaint.Liabilities(),
		"AgreementType":          complaint.AgreementTypes(),
		"Decision":               complaint.Decisions(),
		"AllowedSteps[]":         complaint.Steps(),
		"Termination.status":     complaint.EndStatuses(),
		"ApprovalRound.outcome":  complaint.RoundOutcomes(),
		"Closure.outcome":        complaint.Outcomes(),
		"Event.kind":             complaint.EventKinds(),
		"InterimKind":            complaint.InterimKinds(),
		"CustomerClass":          complaint.CustomerClasses(),
		"EquipmentStatus":        complaint.EquipmentStatuses(),
		"ClockState":             complaint.ClockStates(),
		"ClockName":              complaint.ClockNames(),
		"NotificationKind":       complaint.NotificationKinds(),
		"NotificationClock":      append(complaint.ClockNames(), complaint.ClockServiceRecord),
		"VisitState":             complaint.VisitStates(),
		"Opinion":                complaint.Opinions(),
		"Currency":               complaint.Currencies(),
		"PaidServiceState":       complaint.PaidServiceStates(),
		"WarrantyStatus":         complaint.WarrantyStatuses(),
		"Delivery":               complaint.DeliveryStates(),
		"ItemKind":               complaint.ItemKinds(),
		"MovementKind":           complaint.MovementKinds(),
		"ReferenceKind":          complaint.ReferenceKinds(),
		"RmaKind":                complaint.RMAKinds(),
		"RmaStage":               complaint.RMAStages(),
		"RmaAllowedSteps[]":      complaint.RMASteps(),
		"InspectionResult":       complaint.InspectionResults(),
		"Disposition":            complaint.Dispositions(),
		"UnitState":              complaint.UnitStates(),
		"LoanState":              complaint.LoanStates(),
		"ReturnDestination":      complaint.ReturnDestinations(),
		"Conversion":             complaint.Conversions(),
		"CapaStage":              complaint.CapaStages(),
		"CapaAllowedSteps[]":     complaint.CapaSteps(),
		"CapaEvent.kind":         complaint.CapaEventKinds(),
		"Verdict":                complaint.Verdicts(),
		"AccountabilityDecision": complaint.AccountabilityDecisions(),
		"ReviewState":            complaint.ReviewStates(),
		"FollowupKind":           complaint.FollowupKinds(),
		"FollowupStage":          complaint.FollowupStages(),
		"FollowupDepartment":     complaint.FollowupDepartments(),
		"FollowupAllowedSteps[]": complaint.FollowupSteps(),
		"FollowupEvent.kind":     complaint.FollowupEventKinds(),
		"SurveyState":            complaint.SurveyStates(),
		"FeedbackKind":           complaint.FeedbackKinds(),
		"FeedbackStage":          complaint.FeedbackStages(),
		"FeedbackAllowedSteps[]": {complaint.FeedbackStepAnswer},
		"FeedbackEvent.kind":     complaint.FeedbackEventKinds(),
		"Recipient.department":   sla.RecipientDepartments(),
		"WeekdayHours.weekday":   append(weekdays, strings.ToLower(time.Sunday.String())),

		// Enums of one value or of literals, which no vocabulary holds.
		"GET /healthz 200 application/json.status":            {"ok"},
		"GET /readyz 200 application/json.status":             {"ready"},
		"GET /readyz 200 application/json.checks.store":       {"ok"},
		"GET /readyz 200 application/json.checks.temporal":    {"ok"},
		"GET /readyz 200 application/json.checks.web_ui":      {"ok"},
		"GET /api/v1/complaints parameter breached":           {"true", "false"},
		"GET /api/v1/service-records/{number} parameter lang": {"zh", "en"},
		"parameter SurveyLang":                                {"zh", "en"},
		"header IdempotentReplayed":                           {"true"},
		"CloseBody.customer_confirmed":                        {"true"},
	}
}

// TestOpenAPIEnumsAreTheVocabulary compares every enum of the document with
// the code's list of the same values, so neither can gain or lose a value
// alone, and fails on an enum the table above does not know.
func TestOpenAPIEnumsAreTheVocabulary(t *testing.T) {
	found := openAPIEnums(t, loadKinOpenAPI(t))
	want := documentedEnums()
	require.ElementsMatch(t, slices.Collect(maps.Keys(want)), slices.Collect(maps.Keys(found)),
		"the document's enums, by where they stand")
	for where, values := range want {
		t.Run(where, func(t *testing.T) {
			require.Equal(t, values, found[where], "documented in this order, as the code lists them")
		})
	}
}

// openAPIEnums collects the enum of every schema, parameter, header and
// body of doc, by where it stands; a $ref is collected at its target.
func openAPIEnums(t *testing.T, doc *openapi3.T) map[string][]string {
	t.Helper()
	found := map[string][]string{}
	var walk func(where string, ref *openapi3.SchemaRef, top bool)
	walk = func(where string, ref *openapi3.SchemaRef, top bool) {
		if ref == nil || ref.Value == nil || (ref.Ref != "" && !top) {
			return
		}
		s := ref.Value
		if len(s.Enum) > 0 {
			values := make([]string, len(s.Enum))
			for i, v := range s.Enum {
				values[i] = fmt.Sprint(v)
			}
			require.NotContains(t, found, where, "two enums at one place")
			found[where] = values
		}
		for _, name := range slices.Sorted(maps.Keys(s.Properties)) {
			walk(where+"."+name, s.Properties[name], false)
		}
		walk(where+"[]", s.Items, false)
		for _, l := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, sub := range l {
				walk(where, sub, false)
			}
		}
		if s.AdditionalProperties.Schema != nil {
			walk(where+"{}", s.AdditionalProperties.Schema, false)
		}
	}
	for name, s := range doc.Components.Schemas {
		walk(name, s, true)
	}
	for name, p := range doc.Components.Parameters {
		if p.Value != nil {
			walk("parameter "+name, p.Value.Schema, false)
		}
	}
	for name, h := range doc.Components.Headers {
		if h.Value != nil {
			walk("header "+name, h.Value.Schema, false)
		}
	}
	for name, r := range doc.Components.Responses {
		if r.Value != nil {
			for mt, c := range r.Value.Content {
				walk("response "+name+" "+mt, c.Schema, false)
			}
		}
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			for _, p := range op.Parameters {
				if p.Ref == "" && p.Value != nil {
					walk(where+" parameter "+p.Value.Name, p.Value.Schema, false)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Ref == "" && op.RequestBody.Value != nil {
				for mt, c := range op.RequestBody.Value.Content {
					walk(where+" request "+mt, c.Schema, false)
				}
			}
			for code, r := range op.Responses.Map() {
				if r.Ref != "" || r.Value == nil {
					continue
				}
				for mt, c := range r.Value.Content {
					walk(where+" "+code+" "+mt, c.Schema, false)
				}
				for name, h := range r.Value.Headers {
					if h.Ref == "" && h.Value != nil {
						walk(where+" "+code+" header "+name, h.Value.Schema, false)
					}
				}
			}
		}
	}
	return found
}
