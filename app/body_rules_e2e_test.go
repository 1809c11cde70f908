package app_test

import (
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/server"
)

// bodyRule is one request that breaks one rule of a body, and the one
// field and message the API must answer.
type bodyRule struct {
	name  string
	body  any // nil: no body
	field string
	want  string
}

// TestEveryBodyRuleEndToEnd drives every rule of every body through the
// HTTP API and asserts the exact field and message: a row per validate tag
// rule of each route's body (server.Bodies), derived from the tags so a new
// rule cannot go untested, and explicit rows for the conditional ones. The
// bodies are refused before any store or Temporal call, so the case ids in
// the paths need not exist.
func TestEveryBodyRuleEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			bodies := server.Bodies()
			for _, route := range server.Routes() {
				key := route.Method + " " + route.Path
				body, ok := bodies[key]
				if !ok {
					continue
				}
				api := allowedTo(t, stack, route.Action)
				path := strings.NewReplacer(":id", "C-404", ":number", "K-404", ":name", "standard",
					":warehouse", "W-404", ":month", "2026-01", ":department", "quality").Replace(route.Path)
				rows := append(derivedRules(t, key, reflect.TypeOf(body), validBodies()[key]), conditionalRules()[key]...)
				for _, row := range rows {
					t.Run(key+" "+row.name, func(t *testing.T) {
						status, out := api.do(route.Method, path, row.body, nil)
						require.Equal(t, http.StatusBadRequest, status, "%v", out)
						require.Equal(t, map[string]any{"error": map[string]any{
							"code":    "invalid_request",
							"message": "the request has invalid fields",
							"fields":  map[string]any{row.field: row.want},
						}}, out)
					})
				}
			}
		})
	}
}

// validBodies are a valid body of each route; each derived row breaks one
// rule of it. Routes without rules (the SLA policy) need none.
func validBodies() map[string]map[string]any {
	step := func(s string) string { return "POST /api/v1/complaints/:id/" + s }
	register := validComplaint()
	note := map[string]any{"note": "told the customer"}
	return map[string]map[string]any{
		"POST /api/v1/complaints": register,
		step("contact"):           note,
		step("confirm"):           {},
		// Evidence and explanation, which the company's fault does not need,
		// keep the body valid whatever liability a row sends.
		step("analysis"): {"root_cause": "seal", "responsible_department": "production", "liability": "company",
			"evidence": []string{"photo"}, "explanation": "a worn seal"},
		step("proposals"): {"measures": "rework"},
		step("agreement"): {"type": "repair", "description": "fix the pump"},
		step("approvals"): {"decision": "approve"},
		step("progress"):  note,
		step("corrective-actions"): {"action": "train the fitters", "owner_department": "quality",
			"due_date": "2026-12-31"},
		step("resolve"):        note,
		step("close"):          {"customer_confirmed": true},
		step("withdraw"):       note,
		step("onsite"):         {},
		step("pause"):          {"reason": "waiting for the customer"},
		step("resume"):         {},
		step("interim"):        {"kind": "workaround", "description": "a spare pump"},
		step("reopen"):         {"reason": "ended by mistake"},
		step("quote"):          {"amount": 1200.5, "currency": "CNY", "note": "two days on site"},
		step("quote-decision"): {"accepted": true},
		step("waiver"):         note,
		step("close-declined"): note,
		// The engineers need not exist: a body that breaks a rule is
		// refused before the store is asked about them.
		step("engineers"): {"engineers": []string{"u-engineer"}},
		step("visits"): {"engineers": []string{"u-engineer"}, "planned_at": "2026-12-31T10:00:00+08:00",
			"note": "bring the seal kit"},
		step("check-in"): {"visit": "V1", "note": "at the ward"},
		step("check-out"): {"visit": "V1", "work_done": "replaced the seal", "findings": "a worn seal",
			"parts_used":     []map[string]any{{"part_number": "P-778", "quantity": 1, "serials": []string{"S-1"}}},
			"unit_picked_up": "SN-1"},
		// A valid signature, so that a row breaking another field names
		// that field alone.
		step("service-record"):          signedRecord("V1"),
		step("record-waiver"):           {"visit": "V1", "reason": "the customer fixed it before the visit"},
		step("loan-return"):             {"loan": "C-1-L1", "to": "stock", "note": "back in its case"},
		step("loan-convert"):            {"loan": "C-1-L1", "conversion": "sale", "note": "the customer buys it"},
		"POST /api/v1/loans/:id/return": {"to": "repair", "note": "the seal leaks"},
		"PUT /api/v1/customers/:id": {"name": "Shanghai General Hospital", "sla_policy": "standard",
			"contacts": []map[string]any{{"name": "Li Na"}}, "sites": []map[string]any{{"id": "S-1", "name": "Plant"}}},
		"POST /api/v1/customers": {"id": "C-2001", "name": "Hangzhou Central Hospital", "sla_policy": "standard",
			"contacts": []map[string]any{{"name": "Li Na"}}, "sites": []map[string]any{{"id": "S-1", "name": "Plant"}}},
		"PATCH /api/v1/customers/:id": {"region": "east", "contacts": []map[string]any{{"name": "Li Na"}},
			"sites": []map[string]any{{"id": "S-1", "name": "Plant"}}},
		"POST /api/v1/customers/:id/erase":        {"reason": "the customer asked to be forgotten"},
		"POST /api/v1/equipment":                  {"serial": "SN-1", "customer_id": "C-1001", "model": "P-100"},
		"PUT /api/v1/equipment/:serial":           {"customer_id": "C-1001", "model": "P-100"},
		"PUT /api/v1/contracts/:number":           {"customer_id": "C-1001", "sla_policy": "standard"},
		"POST /api/v1/admin/users":                {"name": "Li Lei", "department": "sales", "roles": []string{"agent"}},
		"PUT /api/v1/stock/warehouses/:warehouse": {"name": "Main store"},
		"POST /api/v1/stock/items": {"part_number": "P-778", "warehouse": "main", "name": "Seal kit",
			"kind": "spare_part", "reorder_level": 5},
		"POST /api/v1/stock/movements": {"part_number": "P-778", "warehouse": "main", "kind": "issue", "quantity": 1,
			"reference": map[string]any{"kind": "case", "id": "C-1"}, "note": "for the seal"},
		// Returns: what the store holds is checked only once the body
		// passes its rules, so none of it need exist.
		"POST /api/v1/returns": {"kind": "return", "customer_id": "C-1001", "branch_office": "Ningbo",
			"order_number": "SO-1", "part_number": "P-778", "serials": []string{"S-1"}, "quantity": 2,
			"reason": "leaks", "complaint_id": "C-1", "warehouse": "main"},
		"POST /api/v1/returns/:id/approve": note,
		"POST /api/v1/returns/:id/reject":  {"reason": "outside the return period"},
		"POST /api/v1/returns/:id/receive": {"warehouse": "main", "quantity": 2, "serials": []string{"S-1"},
			"note": "in the box"},
		"POST /api/v1/returns/:id/inspect":  {"result": "defect_confirmed", "note": "seal torn"},
		"POST /api/v1/returns/:id/complete": {"disposition": "replace", "warehouse": "main", "note": "sent"},
		// Corrective actions and the review: the complaints, the action and
		// the review's month need not exist either.
		"POST /api/v1/capas": {"complaint_ids": []string{"C-1"}, "part_number": "P-778", "root_cause": "worn seal",
			"action": "change the seal supplier", "owner_department": "production", "owner": "u-1",
			"due_date": "2026-12-31", "effectiveness_days": 30},
		"POST /api/v1/capas/:id/done": {"note": "supplier changed", "evidence": []string{"PO-2026-118"}},
		// Ineffective with its new due date, so that a row breaking the
		// date names it.
		"POST /api/v1/capas/:id/verify": {"result": "ineffective", "note": "the seal leaks again",
			"new_due_date": "2026-12-31"},
		"PUT /api/v1/reviews/:month/departments/:department": {"decision": "warning", "note": "two answers late"},
		// Follow-ups and feedback: what they name is looked up only once
		// the body passes its rules, so none of it need exist.
		"POST /api/v1/followups": {"kind": "delivery_call", "customer_id": "C-1001", "serial": "SN-1",
			"complaint_id": "C-1", "owner": "u-1", "owner_department": "after_sales", "branch_office": "Ningbo",
			"due_at": "2026-12-31T10:00:00+08:00", "note": "ask about the seal"},
		"POST /api/v1/followups/:id/done": {"note": "called", "satisfaction": 4, "issues_found": true,
			"report": "visited the plant", "send_survey": true,
			"raise_complaint": map[string]any{"contact_name": "Li Na", "description": "the seal leaks again"}},
		"POST /api/v1/followups/:id/cancel": {"reason": "the customer sold the pump"},
		"POST /api/v1/feedback": {"kind": "suggestion", "from_customer_id": "C-1001", "text": "a bigger display",
			"routed_to": "technical"},
		"POST /api/v1/feedback/:id/answer":          {"answer": "the next model has one"},
		"POST /api/v1/stock/units":                  {"serial": "SN-B1", "model": "BK-1", "warehouse": "main", "note": "demo unit"},
		"POST /api/v1/stock/units/:serial/repaired": {"note": "fan replaced"},
	}
}

// conditionalRules are the rows of the rules that depend on another field
// (required_if, required_unless), and of steps posted without a body.
func conditionalRules() map[string][]bodyRule {
	step := func(s string) string { return "POST /api/v1/complaints/:id/" + s }
	return map[string][]bodyRule{
		step("analysis"): {
			{"evidence required unless the company is at fault", map[string]any{"root_cause": "misuse",
				"responsible_department": "after_sales", "liability": "customer", "explanation": "overpressure"},
				"evidence", "is required unless liability is company"},
			{"explanation required unless the company is at fault", map[string]any{"root_cause": "misuse",
				"responsible_department": "after_sales", "liability": "third_party", "evidence": []string{"photo"}},
				"explanation", "is required unless liability is company"},
		},
		step("approvals"): {
			{"comment required for a rejection", map[string]any{"decision": "reject"},
				"comment", "is required when decision is reject"},
			{"a blank comment is a missing one", map[string]any{"decision": "reject", "comment": " \n"},
				"comment", "is required when decision is reject"},
		},
		step("contact"): {{"no body", nil, "note", "is required"}},
		// The backup unit of backup equipment, and only of it.
		step("interim"): {
			{"a unit only for backup equipment", interimWith("workaround", map[string]any{"model": "BK-1",
				"due_back": "2026-12-31"}), "backup", "must be left out unless kind is backup_equipment"},
			{"a unit by serial or by model", interimWith("backup_equipment", map[string]any{"due_back": "2026-12-31"}),
				"backup.serial", "is required when model is left out"},
			{"not by both", interimWith("backup_equipment", map[string]any{"serial": "SN-1", "model": "BK-1",
				"due_back": "2026-12-31"}), "backup.serial", "must be left out when model is given"},
			{"a due-back date", interimWith("backup_equipment", map[string]any{"serial": "SN-1"}),
				"backup.due_back", "is required"},
			{"a due-back date, as a date", interimWith("backup_equipment", map[string]any{"serial": "SN-1",
				"due_back": "31/12/2026"}), "backup.due_back", "must be a date YYYY-MM-DD"},
			{"a serial of 64 at most", interimWith("backup_equipment", map[string]any{"serial": strings.Repeat("x", 65),
				"due_back": "2026-12-31"}), "backup.serial", "must be at most 64 characters"},
		},
		// The rules of the objects in a customer's lists.
		"POST /api/v1/customers": {
			{"a contact needs a name", map[string]any{"id": "C-1", "name": "N", "sla_policy": "standard",
				"contacts": []map[string]any{{"phone": "1"}}}, "contacts[0].name", "is required"},
			{"a contact's e-mail", map[string]any{"id": "C-1", "name": "N", "sla_policy": "standard",
				"contacts": []map[string]any{{"name": "Li", "email": "li at example.com"}}}, "contacts[0].email",
				"must be an email address"},
			{"a site needs an id", map[string]any{"id": "C-1", "name": "N", "sla_policy": "standard",
				"sites": []map[string]any{{"name": "Plant"}}}, "sites[0].id", "is required"},
			{"site ids are unique", map[string]any{"id": "C-1", "name": "N", "sla_policy": "standard",
				"sites": []map[string]any{{"id": "S", "name": "A"}, {"id": "S", "name": "B"}}}, "sites[1].id",
				"repeats another site's id"},
		},
		"POST /api/v1/equipment": {
			{"warranty ends before delivery", map[string]any{"serial": "SN-1", "customer_id": "C-1", "model": "M",
				"delivered_on": "2026-05-01", "warranty_end": "2026-04-30"}, "warranty_end", "must not be before delivered_on"},
			{"installed before delivery", map[string]any{"serial": "SN-1", "customer_id": "C-1", "model": "M",
				"delivered_on": "2026-05-01", "installed_on": "2026-04-30"}, "installed_on", "must not be before delivered_on"},
		},
		step("close"): {{"no body", nil, "customer_confirmed", "must be true"}},
		// The rules of a movement's reference, and the checks between its
		// fields, which run once every field passes its own rules.
		"POST /api/v1/stock/movements": {
			{"a reference needs a kind", movementWith(map[string]any{"id": "C-1"}), "reference.kind", "is required"},
			{"a reference's kind", movementWith(map[string]any{"kind": "nope", "id": "C-1"}), "reference.kind",
				"must be one of: " + strings.Join(complaint.ReferenceKinds(), ", ")},
			{"a reference needs an id", movementWith(map[string]any{"kind": "case"}), "reference.id", "is required"},
			{"a reference id's length", movementWith(map[string]any{"kind": "case", "id": strings.Repeat("x", 65)}),
				"reference.id", "must be at most 64 characters"},
			{"a negative quantity on an issue", map[string]any{"part_number": "P-778", "warehouse": "main",
				"kind": "issue", "quantity": -1}, "quantity", "must be positive unless kind is adjust"},
			{"from_reserved on a receipt", map[string]any{"part_number": "P-778", "warehouse": "main",
				"kind": "receive", "quantity": 1, "from_reserved": true}, "from_reserved", "applies to an issue only"},
		},
		// A replacement needs its warehouse; a request or a receipt no more
		// serials than units (checked once every field passes its rules).
		"POST /api/v1/returns/:id/complete": {
			{"a replacement's warehouse", map[string]any{"disposition": "replace"}, "warehouse",
				"is required when disposition is replace"},
		},
		"POST /api/v1/returns": {
			{"more serials than units", map[string]any{"kind": "return", "customer_id": "C-1", "part_number": "P-1",
				"quantity": 1, "serials": []string{"S-1", "S-2"}, "reason": "leaks"}, "serials",
				"must not have more items than quantity"},
		},
		// An ineffective verdict reopens the action, so it needs its new
		// due date; a warning or a penalty needs its reason.
		"POST /api/v1/capas/:id/verify": {
			{"a new due date when ineffective", map[string]any{"result": "ineffective", "note": "leaks again"},
				"new_due_date", "is required when result is ineffective"},
			{"a verdict the vocabulary knows", map[string]any{"result": "maybe", "note": "holds"}, "result",
				"must be one of: " + strings.Join(complaint.Verdicts(), ", ")},
			{"a new due date, as a date", map[string]any{"result": "effective", "note": "holds",
				"new_due_date": "soon"}, "new_due_date", "must be a date YYYY-MM-DD"},
		},
		"PUT /api/v1/reviews/:month/departments/:department": {
			{"a note for a warning", map[string]any{"decision": "warning"}, "note", "is required unless decision is no_action"},
			{"a note for a penalty", map[string]any{"decision": "penalty", "note": " \n"}, "note",
				"is required unless decision is no_action"},
			{"a decision the vocabulary knows", map[string]any{"decision": "fire", "note": "late"}, "decision",
				"must be one of: " + strings.Join(complaint.AccountabilityDecisions(), ", ")},
		},
		"POST /api/v1/capas": {
			{"an owner department", map[string]any{"complaint_ids": []string{"C-1"}, "action": "retrain",
				"owner_department": "hr", "due_date": "2026-12-31"}, "owner_department",
				"must be one of: " + strings.Join(complaint.Departments(), ", ")},
			{"a due date, as a date", map[string]any{"complaint_ids": []string{"C-1"}, "action": "retrain",
				"owner_department": "quality", "due_date": "soon"}, "due_date", "must be a date YYYY-MM-DD"},
			{"a complaint id", map[string]any{"complaint_ids": []string{"C-1", ""}, "action": "retrain",
				"owner_department": "quality", "due_date": "2026-12-31"}, "complaint_ids[1]", "is required"},
		},
		"POST /api/v1/capas/:id/done": {{"no body", nil, "note", "is required"}},
		// The complaint a follow-up raises: its own fields' rules, under
		// raise_complaint; raised_complaint_id is the server's to set.
		"POST /api/v1/followups/:id/done": {
			{"no body", nil, "note", "is required"},
			{"a raised complaint's contact", raiseWith(map[string]any{"description": "leaks"}),
				"raise_complaint.contact_name", "is required"},
			{"a raised complaint's description", raiseWith(map[string]any{"contact_name": "Li"}),
				"raise_complaint.description", "is required"},
			{"a raised complaint's contact name's length", raiseWith(map[string]any{"contact_name": strings.Repeat("x", 201),
				"description": "leaks"}), "raise_complaint.contact_name", "must be at most 200 characters"},
			{"a raised complaint's phone's length", raiseWith(map[string]any{"contact_name": "Li", "description": "leaks",
				"contact_phone": strings.Repeat("1", 65)}), "raise_complaint.contact_phone", "must be at most 64 characters"},
			{"a raised complaint's description's length", raiseWith(map[string]any{"contact_name": "Li",
				"description": strings.Repeat("x", 10001)}), "raise_complaint.description", "must be at most 10000 characters"},
			{"a raised complaint's demand's length", raiseWith(map[string]any{"contact_name": "Li", "description": "leaks",
				"customer_demand": strings.Repeat("x", 10001)}), "raise_complaint.customer_demand",
				"must be at most 10000 characters"},
			{"a raised complaint's category", raiseWith(map[string]any{"contact_name": "Li", "description": "leaks",
				"category": "nope"}), "raise_complaint.category", "must be one of: " + strings.Join(complaint.Categories(), ", ")},
			{"a raised complaint's severity", raiseWith(map[string]any{"contact_name": "Li", "description": "leaks",
				"severity": "nope"}), "raise_complaint.severity", "must be one of: " + strings.Join(complaint.Severities(), ", ")},
			{"no raised complaint id from the client", map[string]any{"note": "called", "raised_complaint_id": "C-1"},
				"raised_complaint_id", "is set by the server from raise_complaint, never by the client"},
		},
		"POST /api/v1/followups/:id/cancel": {{"no body", nil, "reason", "is required"}},
		"POST /api/v1/feedback/:id/answer":  {{"no body", nil, "answer", "is required"}},
		"POST /api/v1/returns/:id/receive": {
			{"more serials than units", map[string]any{"quantity": 1, "serials": []string{"S-1", "S-2"}}, "serials",
				"must not have more items than quantity"},
			{"no body", nil, "quantity", "must be at least 1"},
		},
		// The rules of the parts in a check-out's list.
		step("check-out"): {
			{"a part needs its number", checkOutWith(map[string]any{"quantity": 1}),
				"parts_used[0].part_number", "is required"},
			{"a part number's length", checkOutWith(map[string]any{"part_number": strings.Repeat("x", 65), "quantity": 1}),
				"parts_used[0].part_number", "must be at most 64 characters"},
			{"a part's quantity", checkOutWith(map[string]any{"part_number": "P-1"}),
				"parts_used[0].quantity", "must be at least 1"},
			{"a part's quantity at most", checkOutWith(map[string]any{"part_number": "P-1", "quantity": 100001}),
				"parts_used[0].quantity", "must be at most 100000"},
			{"a part's serials", checkOutWith(map[string]any{"part_number": "P-1", "quantity": 1,
				"serials": make([]string, 101)}), "parts_used[0].serials", "must have at most 100 items"},
			{"a part's serial is required", checkOutWith(map[string]any{"part_number": "P-1", "quantity": 1,
				"serials": []string{""}}), "parts_used[0].serials[0]", "is required"},
			{"a part's serial's length", checkOutWith(map[string]any{"part_number": "P-1", "quantity": 1,
				"serials": []string{strings.Repeat("x", 65)}}), "parts_used[0].serials[0]", "must be at most 64 characters"},
		},
		// The signature must be a whole PNG image of at most 256 KB.
		step("service-record"): {
			{"a signature that is not base64", recordWith("%%% not base64"), "signature", "must be a PNG image in base64"},
			{"a signature that is not a PNG", recordWith(base64.StdEncoding.EncodeToString([]byte("GIF89a not a png"))),
				"signature", "must be a PNG image"},
			{"a data URL that is not a PNG", recordWith("data:image/png;base64," +
				base64.StdEncoding.EncodeToString([]byte("GIF89a"))), "signature", "must be a PNG image"},
			{"a signature over 256 KB", recordWith(strings.Repeat("A", 400<<10)), "signature",
				"must be a PNG image of at most 256 KB"},
		},
	}
}

// raiseWith is a done body that found issues and raises complaint.
func raiseWith(complaint map[string]any) map[string]any {
	return map[string]any{"note": "called", "issues_found": true, "raise_complaint": complaint}
}

// checkOutWith is a valid check-out whose one part is part.
func checkOutWith(part map[string]any) map[string]any {
	return map[string]any{"visit": "V1", "work_done": "replaced the seal", "parts_used": []map[string]any{part}}
}

// movementWith is a valid movement whose reference is reference.
func movementWith(reference map[string]any) map[string]any {
	return map[string]any{"part_number": "P-778", "warehouse": "main", "kind": "issue", "quantity": 1,
		"reference": reference}
}

// recordWith is a valid service record with another signature.
func recordWith(signature string) map[string]any {
	b := signedRecord("V1")
	b["signature"] = signature
	return b
}

// enumLists are the vocabulary's lists the enum tags name.
var enumLists = map[string][]string{
	"agreement_type":          complaint.AgreementTypes(),
	"category":                complaint.Categories(),
	"channel":                 complaint.Channels(),
	"currency":                complaint.Currencies(),
	"customer_class":          complaint.CustomerClasses(),
	"verdict":                 complaint.Verdicts(),
	"accountability_decision": complaint.AccountabilityDecisions(),
	"equipment_status":        complaint.EquipmentStatuses(),
	"feedback_kind":           complaint.FeedbackKinds(),
	"followup_kind":           complaint.FollowupKinds(),
	"followup_department":     complaint.FollowupDepartments(),
	"decision":                complaint.Decisions(),
	"department":              complaint.Departments(),
	"disposition":             complaint.Dispositions(),
	"inspection_result":       complaint.InspectionResults(),
	"rma_kind":                complaint.RMAKinds(),
	"return_destination":      complaint.ReturnDestinations(),
	"conversion":              complaint.Conversions(),
	"interim_kind":            complaint.InterimKinds(),
	"item_kind":               complaint.ItemKinds(),
	"movement_kind":           complaint.MovementKinds(),
	"reference_kind":          complaint.ReferenceKinds(),
	"liability":               complaint.Liabilities(),
	"opinion":                 complaint.Opinions(),
	"role":                    complaint.Roles(),
	"severity":                complaint.Severities(),
}

// derivedRules breaks, one at a time, every rule of every field of body
// type t in the valid body; a conditional rule must have an explicit row.
func derivedRules(t *testing.T, key string, bodyType reflect.Type, valid map[string]any) []bodyRule {
	var rows []bodyRule
	with := func(field string, v any) map[string]any {
		b := maps.Clone(valid)
		if v == nil {
			delete(b, field)
		} else {
			b[field] = v
		}
		return b
	}
	for _, f := range jsonFields(bodyType) {
		rules, elemRules, _ := strings.Cut(f.Tag.Get("validate"), ",dive")
		kind := f.Type.Kind()
		if kind == reflect.Pointer {
			kind = f.Type.Elem().Kind()
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		for rule := range strings.SplitSeq(rules, ",") {
			tag, param, _ := strings.Cut(rule, "=")
			n, _ := strconv.Atoi(param)
			row := bodyRule{name: name + " " + rule, field: name}
			switch {
			case tag == "" || tag == "omitempty" || tag == "omitnil" || tag == "omitzero":
				continue
			case tag == "required" && kind == reflect.Bool && f.Type.Kind() == reflect.Pointer:
				row.body, row.want = with(name, nil), "is required" // false is an answer
			case tag == "required" && kind == reflect.Bool:
				row.body, row.want = with(name, false), "must be true"
			case tag == "required":
				row.body, row.want = with(name, nil), "is required"
			case tag == "required_if" || tag == "required_unless" || tag == "excluded_unless":
				require.True(t, hasRow(conditionalRules()[key], name), "%s: no row for %s %s", key, name, rule)
				continue
			case tag == "min" && n == 1 && kind == reflect.String:
				row.body, row.want = with(name, ""), "must not be empty"
			case tag == "min" && n == 1 && kind == reflect.Slice:
				row.body, row.want = with(name, []string{}), "must not be empty"
			case tag == "min" && kind == reflect.Int:
				row.body, row.want = with(name, n-1), "must be at least "+param
			case tag == "min" && kind == reflect.Float64:
				x, _ := strconv.ParseFloat(param, 64)
				row.body, row.want = with(name, x/10), "must be at least "+param
			case tag == "max" && kind == reflect.Float64:
				x, _ := strconv.ParseFloat(param, 64)
				row.body, row.want = with(name, x+1), "must be at most "+param
			case tag == "max" && kind == reflect.Int:
				row.body, row.want = with(name, n+1), "must be at most "+param
			case tag == "max" && kind == reflect.String:
				row.body, row.want = with(name, strings.Repeat("x", n+1)), "must be at most "+param+" characters"
			case tag == "max" && kind == reflect.Slice:
				items := make([]any, n+1)
				for i := range items {
					items[i] = fmt.Sprint("item ", i)
					if f.Type.Elem().Kind() == reflect.Struct {
						// A list of objects: copies of the valid body's first.
						items[i] = validItem(t, key, valid, name)
					}
				}
				row.body, row.want = with(name, items), "must have at most "+param+" items"
			case tag == "enum":
				require.Contains(t, enumLists, param)
				row.body, row.want = with(name, "nope"), "must be one of: "+strings.Join(enumLists[param], ", ")
			case tag == "datetime" && param == "2006-01-02":
				row.body, row.want = with(name, "31/12/2026"), "must be a date YYYY-MM-DD"
			case tag == "datetime":
				row.body, row.want = with(name, "31/12/2026 10:00"), "must be a time like "+param
			case tag == "unique":
				item := "same"
				if _, list, ok := strings.Cut(elemRules, "enum="); ok {
					item = enumLists[list][0]
				}
				row.body, row.want = with(name, []string{item, item}), "must not repeat a value"
			case tag == "email":
				row.body, row.want = with(name, "li at example.com"), "must be an email address"
			case tag == "url":
				row.body, row.want = with(name, "not a url"), "must be a URL"
			default:
				t.Fatalf("%s: no row drives rule %s of %s", key, rule, name)
			}
			rows = append(rows, row)
		}
		for rule := range strings.SplitSeq(elemRules, ",") {
			tag, param, _ := strings.Cut(rule, "=")
			n, _ := strconv.Atoi(param)
			row := bodyRule{name: name + "[0] " + rule, field: name + "[0]"}
			switch {
			case tag == "":
				continue
			case tag == "required":
				row.body, row.want = with(name, []string{""}), "is required"
			case tag == "max":
				row.body, row.want = with(name, []string{strings.Repeat("x", n+1)}), "must be at most "+param+" characters"
			case tag == "enum":
				require.Contains(t, enumLists, param)
				row.body, row.want = with(name, []string{"nope"}), "must be one of: "+strings.Join(enumLists[param], ", ")
			default:
				t.Fatalf("%s: no row drives rule %s of the items of %s", key, rule, name)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// validItem is the first item of a list of objects in a valid body.
func validItem(t *testing.T, key string, valid map[string]any, name string) map[string]any {
	items, ok := valid[name].([]map[string]any)
	require.True(t, ok && len(items) > 0, "%s: the valid body needs an item of %s", key, name)
	return items[0]
}

func hasRow(rows []bodyRule, field string) bool {
	for _, r := range rows {
		if r.field == field && r.body != nil {
			return true
		}
	}
	return false
}

// jsonFields are the fields of a body as JSON has them: embedded structs'
// fields at the top level.
func jsonFields(t reflect.Type) []reflect.StructField {
	var fields []reflect.StructField
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Tag.Get("json") == "" {
			fields = append(fields, jsonFields(f.Type)...)
			continue
		}
		fields = append(fields, f)
	}
	return fields
}

// allowedTo is a demo user that may call a route's action.
func allowedTo(t *testing.T, stack *app.Stack, action auth.Action) apiClient {
	t.Helper()
	for _, u := range stack.DemoUsers {
		p := auth.Principal{Department: auth.Department(u.Department)}
		for _, r := range u.Roles {
			p.Roles = append(p.Roles, auth.Role(r))
		}
		if auth.Authorize(p, action) == nil {
			return apiClient{t: t, base: stack.APIURL(), token: u.Token}
		}
	}
	t.Fatalf("no demo user may %s", action)
	return apiClient{}
}

// interimWith is an interim body of the kind with its backup unit.
func interimWith(kind string, backup map[string]any) map[string]any {
	return map[string]any{"kind": kind, "description": "a backup pump", "backup": backup}
}
