package loadgen

import (
	"fmt"
	"slices"
	"time"
)

// call is one request of a lifecycle: a step (or the registration) taken by
// a department's role with a body.
type call struct {
	step             string
	department, role string
	body             map[string]any
}

// Register is the name the report gives POST /api/v1/complaints.
const Register = "register"

// lifecycle is a severe quality case from registration to closure, the
// longest common path: two proposals and two approvals. The first call
// registers; the others are steps of the case it registered.
func lifecycle(n int, now time.Time) []call {
	note := func(s string) map[string]any { return map[string]any{"note": s} }
	agent := func(step string, body map[string]any) call { return call{step, "after_sales", "agent", body} }
	departments := []string{"quality", "production"}
	return []call{
		agent(Register, map[string]any{
			"customer_id": "C-LOADGEN", "customer_name": "Load Generator Ltd", "contact_name": "Load Tester",
			"contact_phone": "+86 21 5555 0199", "channel": "phone",
			"description":     fmt.Sprintf("loadgen case %d: pump alarms during operation", n),
			"customer_demand": "replace the pump", "category": "quality", "severity": "severe",
			"order_number": "SO-2026-0042", "part_number": "P-778", "ship_date": "2026-01-15",
			"quantity": 10, "defective_quantity": 2,
			"received_at":  now.Add(-time.Minute).UTC().Format(time.RFC3339),
			"new_customer": map[string]any{"name": "Load Generator Ltd", "sla_policy": "standard"},
		}),
		agent("contact", note("called the customer back")),
		agent("confirm", map[string]any{"note": "sales confirmed the order", "order_number": "SO-2026-0042"}),
		{"analysis", "technical", "agent", map[string]any{"root_cause": "seal worn", "responsible_department": "production", "liability": "company"}},
		{"proposals", "production", "agent", map[string]any{"measures": "replace the seal batch"}},
		{"proposals", "technical", "agent", map[string]any{"measures": "redesign the seal seat"}},
		agent("agreement", map[string]any{"type": "replace", "description": "new pump", "approving_departments": departments}),
		{"approvals", "quality", "approver", map[string]any{"decision": "approve"}},
		{"approvals", "production", "approver", map[string]any{"decision": "approve"}},
		{"progress", "technical", "engineer", note("replacement shipped")},
		agent("resolve", note("customer runs the new pump")),
		agent("close", map[string]any{"customer_confirmed": true, "satisfaction": 4, "note": "thanks"}),
	}
}

// Steps names the lifecycle's calls in their order, each once.
func Steps() []string {
	var names []string
	for _, c := range lifecycle(0, time.Time{}) {
		if !slices.Contains(names, c.step) {
			names = append(names, c.step)
		}
	}
	return names
}

// lifecycleUsers is every department/role the lifecycle calls as.
func lifecycleUsers() []string {
	var keys []string
	for _, c := range lifecycle(0, time.Time{}) {
		if k := Key(c.department, c.role); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}
