package imports_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/imports"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

func openStore(t testing.TB, b storetest.Backend) *store.Store {
	t.Helper()
	s, err := store.Open(t.Context(), b.URL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(t.Context()))
	require.NoError(t, s.EnsurePolicies(t.Context(), sla.Standard(), sla.Medical()))
	return s
}

const bom = "\xef\xbb\xbf"

const customersCSV = bom + `id,name,sla_policy,region,branch_office,key_customer,class,contacts,sites
C-2002,宁波眼科医院,standard,east,ningbo,是,A,"赵磊|+86 574 8888 0101|zhao@nbeye.example|设备科; 钱芳|||护士长",S-1|门诊楼|宁波市
C-2003,Hangzhou Central Hospital,medical,east,hangzhou,false,B,,
`

const equipmentCSV = `serial,customer_id,site_id,model,delivered_on,warranty_end,consumables
LZ-0815,C-2002,S-1,LZ-300,2024-08-15,2026-08-15,F-1; F-2
LZ-0816,C-2003,,LZ-300,2025-01-10,2027-01-10,
`

func TestImportIsAllOrNothingAndIdempotent(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()

			got, problems, err := imports.Customers(ctx, s, []byte(customersCSV))
			require.NoError(t, err, "%v", problems)
			require.Equal(t, imports.Result{Rows: 2, ImportCounts: store.ImportCounts{Created: 2}}, got)
			c, err := s.GetCustomer(ctx, "C-2002")
			require.NoError(t, err)
			require.Equal(t, "宁波眼科医院", c.Name, "Chinese names survive, the byte-order mark does not")
			require.True(t, c.KeyCustomer)
			require.Len(t, c.Contacts, 2)
			require.Equal(t, "设备科", c.Contacts[0].Title)
			require.Equal(t, "门诊楼", c.Sites[0].Name)

			got, _, err = imports.Customers(ctx, s, []byte(customersCSV))
			require.NoError(t, err)
			require.Equal(t, store.ImportCounts{Unchanged: 2}, got.ImportCounts, "the same file again changes nothing")
			before, err := s.GetCustomer(ctx, "C-2002")
			require.NoError(t, err)
			require.Equal(t, c.UpdatedAt, before.UpdatedAt)

			changed := strings.Replace(customersCSV, "medical,east", "medical,west", 1)
			got, _, err = imports.Customers(ctx, s, []byte(changed))
			require.NoError(t, err)
			require.Equal(t, store.ImportCounts{Updated: 1, Unchanged: 1}, got.ImportCounts)

			got, problems, err = imports.Equipment(ctx, s, []byte(equipmentCSV))
			require.NoError(t, err, "%v", problems)
			require.Equal(t, store.ImportCounts{Created: 2}, got.ImportCounts)
			e, err := s.GetEquipment(ctx, "LZ-0815")
			require.NoError(t, err)
			require.Equal(t, []string{"F-1", "F-2"}, e.Consumables)
			require.Equal(t, "in_service", e.Status)
			got, _, err = imports.Equipment(ctx, s, []byte(equipmentCSV))
			require.NoError(t, err)
			require.Equal(t, store.ImportCounts{Unchanged: 2}, got.ImportCounts)
		})
	}
}

func TestABadFileImportsNothingAndNamesEveryProblem(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, _, err := imports.Customers(ctx, s, []byte(customersCSV))
			require.NoError(t, err)

			for _, tc := range []struct {
				name, file string
				equipment  bool
				want       imports.Problems
			}{
				{"not UTF-8 (a GBK spreadsheet)", "id,name,sla_policy\nC-9,\xc4\xfe\xb2\xa8,standard\n", false,
					imports.Problems{"file": "must be UTF-8 text (save the spreadsheet as CSV UTF-8)"}},
				{"empty", "", false, imports.Problems{"file": "is empty: a header row is required"}},
				{"a header only", "id,name,sla_policy\n", false, imports.Problems{"file": "has no rows under its header"}},
				{"an unknown and a missing column", "id,nom\nC-9,x\n", false, imports.Problems{
					"line 1: column 2": `"nom" is not a column (known: ` + strings.Join(imports.CustomerColumns, ", ") + ")",
					"line 1: name":     "is a required column", "line 1: sla_policy": "is a required column"}},
				{"a row too short", "id,name,sla_policy\nC-9,x\n", false,
					imports.Problems{"file": "line 2 has another number of columns than the header"}},
				{"bad rows, each named by line and field", "id,name,sla_policy,class,key_customer,dispute_coordinator,sites\n" +
					"C-9,,standard,A,true,,\n" +
					"C-10,Ten,nowhere,Z,maybe,,\n" +
					"C-9,Nine again,standard,,,ghost,S-1|A; S-1|B\n", false, imports.Problems{
					"line 2: name":         "is required",
					"line 3: class":        "must be one of: A, B, C",
					"line 3: key_customer": "must be true or false",
					"line 4: id":           "repeats the id of line 2",
					"line 4: sites[1].id":  "repeats another site's id",
				}},
				{"references the store does not hold", "id,name,sla_policy,dispute_coordinator\nC-11,Eleven,nowhere,ghost\n", false,
					imports.Problems{"line 2: sla_policy": "names no SLA policy", "line 2: dispute_coordinator": "names no user"}},
				{"equipment of nobody, on no site, ending before delivery",
					"serial,customer_id,site_id,model,delivered_on,warranty_end\n" +
						"SN-1,C-404,,M,,\n" +
						"SN-2,C-2002,S-9,M,,\n" +
						"SN-3,C-2002,,M,2026-05-01,2026-04-30\n" +
						"SN-3,C-2002,,M,,\n", true, imports.Problems{
						"line 4: warranty_end": "must not be before delivered_on",
						"line 5: serial":       "repeats the serial of line 4",
					}},
				{"equipment references", "serial,customer_id,site_id,model\nSN-1,C-404,,M\nSN-2,C-2002,S-9,M\n", true,
					imports.Problems{"line 2: customer_id": "names no customer",
						"line 3: site_id": "names no site of customer C-2002"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					run := imports.Customers
					if tc.equipment {
						run = imports.Equipment
					}
					_, problems, err := run(ctx, s, []byte(tc.file))
					require.ErrorIs(t, err, imports.ErrProblems)
					require.Equal(t, tc.want, problems)
					page, err := s.ListCustomers(ctx, store.CustomerFilter{Limit: 50})
					require.NoError(t, err)
					require.Len(t, page.Customers, 2, "nothing was written")
					eq, err := s.ListEquipment(ctx, store.EquipmentFilter{Limit: 50})
					require.NoError(t, err)
					require.Empty(t, eq.Equipment)
				})
			}
		})
	}
}

// BenchmarkImport10000 imports 10,000 customers, then their 10,000 pieces
// of equipment (target: each under 10 s, on SQLite and PostgreSQL).
func BenchmarkImport10000(b *testing.B) {
	var customers, equipment strings.Builder
	customers.WriteString("id,name,sla_policy,region,contacts,sites\n")
	equipment.WriteString("serial,customer_id,site_id,model,warranty_end\n")
	for i := range 10_000 {
		fmt.Fprintf(&customers, "C-%05d,客户 %d,standard,east,联系人 %d|+86 %d,S-1|厂区\n", i, i, i, i)
		fmt.Fprintf(&equipment, "SN-%05d,C-%05d,S-1,LZ-300,2027-01-01\n", i, i)
	}
	for _, backend := range storetest.Backends(b) {
		b.Run(backend.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				s := openStore(b, storetest.Backend{Name: backend.Name, URL: freshURL(b, backend)})
				b.StartTimer()
				got, problems, err := imports.Customers(b.Context(), s, []byte(customers.String()))
				require.NoError(b, err, "%v", problems)
				require.Equal(b, 10_000, got.Created)
				got, problems, err = imports.Equipment(b.Context(), s, []byte(equipment.String()))
				require.NoError(b, err, "%v", problems)
				require.Equal(b, 10_000, got.Created)
			}
		})
	}
}

// freshURL is a new empty database of the backend's kind for each round.
func freshURL(b *testing.B, backend storetest.Backend) string {
	if backend.Name == "sqlite" {
		return storetest.SQLite(b).URL
	}
	return storetest.Postgres(b).URL
}
