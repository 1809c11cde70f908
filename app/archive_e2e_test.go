package app_test

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
)

// TestCustomerArchiveEndToEnd keeps a customer and its equipment through
// the API on the real stack, on SQLite and PostgreSQL: Chinese names
// survive, a retried create answers its record, a clash and bad references
// are refused naming the field and change nothing.
func TestCustomerArchiveEndToEnd(t *testing.T) {
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			sales := as(t, stack, "sales", "agent")
			customer := map[string]any{"id": "C-2002", "name": "宁波眼科医院", "sla_policy": "standard",
				"region": "east", "branch_office": "ningbo", "key_customer": true, "class": "A",
				"contacts": []map[string]any{{"name": "赵磊", "phone": "+86 574 8888 0101"}},
				"sites":    []map[string]any{{"id": "S-1", "name": "门诊楼"}}}

			status, body := sales.do(http.MethodPost, "/api/v1/customers", customer, nil)
			require.Equal(t, http.StatusCreated, status, "%v", body)
			require.Equal(t, "宁波眼科医院", body["name"])
			status, _ = sales.do(http.MethodPost, "/api/v1/customers", customer, nil)
			require.Equal(t, http.StatusCreated, status, "a retry answers the record")
			clash := map[string]any{"id": "C-2002", "name": "Another", "sla_policy": "standard"}
			status, body = sales.do(http.MethodPost, "/api/v1/customers", clash, nil)
			require.Equal(t, http.StatusConflict, status)
			require.Equal(t, map[string]any{"id": "is taken"}, body["error"].(map[string]any)["fields"])

			status, body = sales.do(http.MethodPatch, "/api/v1/customers/C-2002", map[string]any{"region": "south"}, nil)
			require.Equal(t, http.StatusOK, status, "%v", body)
			require.Equal(t, "south", body["region"])
			require.Equal(t, "宁波眼科医院", body["name"], "a patch keeps what it does not name")
			status, body = sales.do(http.MethodPatch, "/api/v1/customers/C-2002",
				map[string]any{"dispute_coordinator": "nobody"}, nil)
			require.Equal(t, http.StatusBadRequest, status)
			require.Equal(t, map[string]any{"dispute_coordinator": "names no user"}, body["error"].(map[string]any)["fields"])

			reader := as(t, stack, "quality", "engineer")
			status, body = reader.do(http.MethodGet, "/api/v1/customers?q="+url.QueryEscape("赵磊")+"&key_customer=true", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, body["customers"], 1)
			status, body = reader.do(http.MethodGet, "/api/v1/customers?class=Z", nil, nil)
			require.Equal(t, http.StatusBadRequest, status)
			require.Contains(t, body["error"].(map[string]any)["fields"], "class")

			pump := map[string]any{"serial": "LZ-0815", "customer_id": "C-2002", "site_id": "S-1", "model": "LZ-300",
				"delivered_on": "2024-08-15", "warranty_end": "2026-08-15"}
			status, body = sales.do(http.MethodPost, "/api/v1/equipment", pump, nil)
			require.Equal(t, http.StatusCreated, status, "%v", body)
			require.Equal(t, "in_service", body["status"])
			for _, tc := range []struct {
				name  string
				body  map[string]any
				code  int
				field string
			}{
				{"another body on the same serial", map[string]any{"serial": "LZ-0815", "customer_id": "C-2002", "model": "X"},
					http.StatusConflict, "serial"},
				{"a site the customer does not have", map[string]any{"serial": "LZ-1", "customer_id": "C-2002",
					"site_id": "S-9", "model": "X"}, http.StatusBadRequest, "site_id"},
				{"an unknown customer", map[string]any{"serial": "LZ-2", "customer_id": "C-404", "model": "X"},
					http.StatusBadRequest, "customer_id"},
				{"warranty ending before delivery", map[string]any{"serial": "LZ-3", "customer_id": "C-2002", "model": "X",
					"delivered_on": "2024-08-15", "warranty_end": "2024-08-14"}, http.StatusBadRequest, "warranty_end"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					status, body := sales.do(http.MethodPost, "/api/v1/equipment", tc.body, nil)
					require.Equal(t, tc.code, status, "%v", body)
					require.Contains(t, body["error"].(map[string]any)["fields"], tc.field)
				})
			}
			status, body = reader.do(http.MethodGet, "/api/v1/customers/C-2002/equipment", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, body["equipment"], 1, "the refused writes left nothing")
			status, _ = reader.do(http.MethodGet, "/api/v1/customers/C-404/equipment", nil, nil)
			require.Equal(t, http.StatusNotFound, status)

			admin := as(t, stack, "after_sales", "admin")
			status, _ = admin.do(http.MethodPut, "/api/v1/equipment/LZ-9", pump, nil)
			require.Equal(t, http.StatusForbidden, status, "admins manage users only")
		})
	}
}

// TestImportEndToEnd imports a spreadsheet of customers (UTF-8 with a
// byte-order mark, Chinese names) and of equipment over HTTP and from the
// command line, on SQLite and PostgreSQL: a second import changes nothing,
// a file in another encoding or over the size limit is refused.
func TestImportEndToEnd(t *testing.T) {
	csv := map[string]string{"Content-Type": "text/csv"}
	customers := "\xef\xbb\xbfid,name,sla_policy,region,key_customer,contacts,sites\n" +
		"C-3001,宁波眼科医院,standard,east,是,赵磊|+86 574 8888 0101,S-1|门诊楼\n" +
		"C-3002,杭州中心医院,medical,east,否,,\n"
	for _, b := range stackBackends() {
		t.Run(b.name, func(t *testing.T) {
			stack := startStack(t, devConfig(t.TempDir(), b.env(t)))
			sales := as(t, stack, "sales", "agent")

			status, body := sales.do(http.MethodPost, "/api/v1/imports/customers", customers, csv)
			require.Equal(t, http.StatusOK, status, "%v", body)
			require.Equal(t, map[string]any{"rows": 2.0, "created": 2.0, "updated": 0.0, "unchanged": 0.0}, body)
			status, body = sales.do(http.MethodPost, "/api/v1/imports/customers", customers, csv)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, 2.0, body["unchanged"], "the same file again changes nothing")
			status, body = sales.do(http.MethodGet, "/api/v1/customers/C-3001", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Equal(t, "宁波眼科医院", body["name"])

			gbk := "id,name,sla_policy\nC-3003,\xc4\xfe\xb2\xa8,standard\n"
			status, body = sales.do(http.MethodPost, "/api/v1/imports/customers", gbk, csv)
			require.Equal(t, http.StatusBadRequest, status)
			require.Equal(t, map[string]any{"file": "must be UTF-8 text (save the spreadsheet as CSV UTF-8)"},
				body["error"].(map[string]any)["fields"])
			huge := "id,name,sla_policy\n" + strings.Repeat("C-9,x,standard\n", 50<<20/15)
			status, body = sales.do(http.MethodPost, "/api/v1/imports/customers", huge, csv)
			require.Equal(t, http.StatusRequestEntityTooLarge, status, "%v", body)
			status, body = sales.do(http.MethodGet, "/api/v1/customers?limit=10", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, body["customers"], 2, "the refused files left nothing")

			// The command line takes the same file format into the same store.
			file := filepath.Join(t.TempDir(), "equipment.csv")
			require.NoError(t, os.WriteFile(file, []byte("serial,customer_id,site_id,model,warranty_end\n"+
				"LZ-1,C-3001,S-1,LZ-300,2027-01-01\nLZ-2,C-3002,,LZ-300,\n"), 0o600))
			env := map[string]string{"DATABASE_URL": stack.Config.DatabaseURL, "CASEFLOW_DATA_DIR": stack.Config.DataDir}
			var out bytes.Buffer
			require.NoError(t, app.Run(t.Context(), []string{"import", "equipment", file}, envOf(env), &out, io.Discard))
			require.Contains(t, out.String(), `"created":2`)
			status, body = sales.do(http.MethodGet, "/api/v1/customers/C-3001/equipment", nil, nil)
			require.Equal(t, http.StatusOK, status)
			require.Len(t, body["equipment"], 1)

			bad := filepath.Join(t.TempDir(), "bad.csv")
			require.NoError(t, os.WriteFile(bad, []byte("serial,customer_id,model\nLZ-3,C-404,M\n"), 0o600))
			out.Reset()
			err := app.Run(t.Context(), []string{"import", "equipment", bad}, envOf(env), &out, io.Discard)
			require.ErrorContains(t, err, "nothing was imported")
			require.Contains(t, out.String(), "line 2: customer_id: names no customer")
		})
	}
}
