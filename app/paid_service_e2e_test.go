package app_test

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPaidServiceEndToEnd registers complaints against an archive imported
// from CSV, on the real stack on SQLite and PostgreSQL: a complaint on an
// out-of-warranty serial tells sales, waits for the quote and the
// customer's acceptance, then remediates and closes; one on an in-warranty
// serial asks no quote; an unknown customer is refused unless the request
// adds it; a serial of another customer is refused.
func TestPaidServiceEndToEnd(t *testing.T) {
	csv := map[string]string{"Content-Type": "text/csv"}
	customers := "id,name,sla_policy,region,branch_office,key_customer,sites\n" +
		"C-7001,苏州人民医院,standard,华东,苏州,是,S-1|住院部\n" +
		"C-7002,无锡第二医院,standard,华东,无锡,否,\n"
	lastYear := time.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
	nextYear := time.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	equipment := "serial,customer_id,site_id,model,part_number,order_number,delivered_on,warranty_end\n" +
		"SZ-OLD,C-7001,S-1,输液泵 IP-200,P-512,SO-2022-0117,2022-03-01," + lastYear + "\n" +
		"SZ-NEW,C-7001,S-1,输液泵 IP-300,P-778,SO-2026-0042,2026-01-10," + nextYear + "\n"
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			desk, sales := agent(t, stack), as(t, stack, "sales", "agent")
			salesSupervisor := as(t, stack, "sales", "supervisor")
			status, body := sales.do(http.MethodPost, "/api/v1/imports/customers", customers, csv)
			require.Equal(t, http.StatusOK, status, "%v", body)
			status, body = sales.do(http.MethodPost, "/api/v1/imports/equipment", equipment, csv)
			require.Equal(t, http.StatusOK, status, "%v", body)

			on := func(serial string) map[string]any {
				c := validComplaint()
				delete(c, "new_customer")
				c["customer_id"], c["equipment_serial"], c["severity"] = "C-7001", serial, "minor"
				delete(c, "order_number")
				delete(c, "part_number")
				return c
			}
			// Out of warranty: the case copies the archive and tells sales.
			status, old := desk.do(http.MethodPost, "/api/v1/complaints", on("SZ-OLD"), nil)
			require.Equal(t, http.StatusCreated, status, "%v", old)
			require.Equal(t, map[string]any{"name": "苏州人民医院", "region": "华东", "branch_office": "苏州",
				"key_customer": true}, old["customer"])
			require.Equal(t, map[string]any{"status": "out_of_warranty", "ends_on": lastYear}, old["warranty"])
			require.Equal(t, "required", old["paid_service"])
			require.Equal(t, "P-512", old["part_number"], "the serial's part fills the register")
			require.Contains(t, old["allowed_steps"], "quote")
			id := old["id"].(string)
			eventually(t, func() bool {
				status, page := salesSupervisor.do(http.MethodGet, "/api/v1/notifications?kind=paid_service&complaint_id="+id, nil, nil)
				return status == http.StatusOK && len(page["notifications"].([]any)) > 0
			}, "sales is told of the paid service")

			step := func(c apiClient, name string, b any) (int, map[string]any) {
				return c.do(http.MethodPost, "/api/v1/complaints/"+id+"/"+name, b, nil)
			}
			mustStep := func(c apiClient, name string, b any) map[string]any {
				t.Helper()
				status, out := step(c, name, b)
				require.Equal(t, http.StatusOK, status, "%s: %v", name, out)
				return out
			}
			mustStep(desk, "contact", map[string]any{"note": "called back"})
			mustStep(sales, "confirm", map[string]any{"note": "order checked", "part_number": "P-512"})
			mustStep(as(t, stack, "technical", "agent"), "analysis", map[string]any{"root_cause": "worn seal",
				"responsible_department": "production", "liability": "company"})
			repair := map[string]any{"type": "repair", "description": "replace the seal"}
			status, out := step(desk, "agreement", repair)
			require.Equal(t, http.StatusConflict, status, "no remediation before the quote: %v", out)
			status, out = step(desk, "quote", map[string]any{"amount": 1200, "currency": "CNY"})
			require.Equal(t, http.StatusForbidden, status, "after-sales does not quote: %v", out)
			status, out = step(sales, "quote", map[string]any{"amount": -5, "currency": "CNY"})
			require.Equal(t, http.StatusBadRequest, status, "%v", out)
			require.Equal(t, "quoted", mustStep(sales, "quote", map[string]any{"amount": 1200.5, "currency": "CNY",
				"note": "seal kit and half a day on site"})["paid_service"])
			require.Equal(t, "accepted", mustStep(desk, "quote-decision", map[string]any{"accepted": true})["paid_service"])
			require.Equal(t, "remediate", mustStep(desk, "agreement", repair)["stage"])
			mustStep(desk, "resolve", map[string]any{"note": "seal replaced"})
			require.Equal(t, "closed", mustStep(desk, "close", map[string]any{"customer_confirmed": true})["stage"])

			// In warranty: no quote is asked.
			status, fresh := desk.do(http.MethodPost, "/api/v1/complaints", on("SZ-NEW"), nil)
			require.Equal(t, http.StatusCreated, status, "%v", fresh)
			require.Equal(t, "in_warranty", fresh["warranty"].(map[string]any)["status"])
			require.NotContains(t, fresh, "paid_service")
			require.NotContains(t, fresh["allowed_steps"], "quote")

			// A quality complaint is confirmed with its order and part.
			quality := validComplaint()
			delete(quality, "new_customer")
			delete(quality, "part_number")
			quality["customer_id"] = "C-7002"
			status, q := desk.do(http.MethodPost, "/api/v1/complaints", quality, nil)
			require.Equal(t, http.StatusCreated, status, "%v", q)
			status, out = desk.do(http.MethodPost, "/api/v1/complaints/"+q["id"].(string)+"/confirm", map[string]any{}, nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Equal(t, map[string]any{"part_number": "is required to confirm a quality complaint"},
				out["error"].(map[string]any)["fields"])

			// The list filters by the archive's facts.
			status, page := desk.do(http.MethodGet, "/api/v1/complaints?"+url.Values{"region": {"华东"},
				"key_customer": {"true"}, "warranty": {"out_of_warranty"}}.Encode(), nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, []string{id}, caseIDs(page))
			status, page = desk.do(http.MethodGet, "/api/v1/complaints?serial=SZ-NEW", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, []string{fresh["id"].(string)}, caseIDs(page))

			// Refusals name the field and change nothing.
			unknown := on("")
			unknown["customer_id"] = "C-7999"
			status, out = desk.do(http.MethodPost, "/api/v1/complaints", unknown, nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Contains(t, out["error"].(map[string]any)["fields"], "customer_id")
			status, _ = desk.do(http.MethodGet, "/api/v1/customers/C-7999", nil, nil)
			require.Equal(t, http.StatusNotFound, status)
			foreign := on("SZ-OLD")
			foreign["customer_id"] = "C-7002"
			status, out = desk.do(http.MethodPost, "/api/v1/complaints", foreign, nil)
			require.Equal(t, http.StatusUnprocessableEntity, status, "%v", out)
			require.Equal(t, map[string]any{"equipment_serial": "belongs to another customer's equipment"},
				out["error"].(map[string]any)["fields"])

			// A customer added on the fly, once, whatever the retries.
			unknown["new_customer"] = map[string]any{"name": "常州新客户", "sla_policy": "standard", "region": "华东"}
			key := map[string]string{"Idempotency-Key": "new-customer-" + b.name}
			status, first := desk.do(http.MethodPost, "/api/v1/complaints", unknown, key)
			require.Equal(t, http.StatusCreated, status, "%v", first)
			require.Equal(t, "常州新客户", first["customer"].(map[string]any)["name"])
			status, again := desk.do(http.MethodPost, "/api/v1/complaints", unknown, key)
			require.Equal(t, http.StatusCreated, status, "%v", again)
			require.Equal(t, first["id"], again["id"])
			status, cu := desk.do(http.MethodGet, "/api/v1/customers/C-7999", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "华东", cu["region"])
		})
	}
}

func caseIDs(page map[string]any) []string {
	var ids []string
	for _, c := range page["complaints"].([]any) {
		ids = append(ids, c.(map[string]any)["id"].(string))
	}
	slices.Sort(ids)
	return ids
}
