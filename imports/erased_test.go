package imports_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/imports"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestImportRefusesErasedCustomers: a file that would give an erased
// customer new data (its row again, or equipment of it) is refused, line
// by line, and writes nothing; the archive keeps the erased customer as the
// erasure left it.
func TestImportRefusesErasedCustomers(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, _, err := imports.Customers(ctx, s, []byte(customersCSV))
			require.NoError(t, err)
			_, err = s.EraseCustomer(ctx, "C-2003", "u-admin", "the customer asked to be forgotten", time.Now())
			require.NoError(t, err)
			erased, err := s.GetCustomer(ctx, "C-2003")
			require.NoError(t, err)
			const refused = "names an erased customer; caseflow takes no new data for it"
			for _, tc := range []struct {
				name, file string
				equipment  bool
				want       imports.Problems
			}{
				{"the erased customer's row again", customersCSV, false, imports.Problems{"line 3: id": refused}},
				{"equipment of the erased customer", equipmentCSV, true, imports.Problems{"line 3: customer_id": refused}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					run := imports.Customers
					if tc.equipment {
						run = imports.Equipment
					}
					_, problems, err := run(ctx, s, []byte(tc.file))
					require.ErrorIs(t, err, imports.ErrProblems)
					require.Equal(t, tc.want, problems)
					cu, err := s.GetCustomer(ctx, "C-2003")
					require.NoError(t, err)
					require.Equal(t, erased, cu)
					eq, err := s.ListEquipment(ctx, store.EquipmentFilter{Limit: 50})
					require.NoError(t, err)
					require.Empty(t, eq.Equipment, "nothing was written")
				})
			}
		})
	}
}
