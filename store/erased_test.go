package store_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/archive"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestCustomerErased: a customer counts as erased from its erasure on; one
// that is not, or that the archive does not know, does not; the follow-up
// planner no longer finds an erased customer (no delivery call, no yearly
// survey or visit).
func TestCustomerErased(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			seedCustomer(t, s, "C-ERASE", "Xiaoli")
			seedCustomer(t, s, "C-KEEP", "Keeper")
			isErased := func() map[string]bool {
				out := map[string]bool{}
				for _, id := range []string{"C-ERASE", "C-KEEP", "C-NONE"} {
					erased, err := s.CustomerErased(ctx, id)
					require.NoError(t, err)
					out[id] = erased
				}
				return out
			}
			for _, id := range []string{"C-ERASE", "C-KEEP"} {
				_, err := s.PutEquipment(ctx, store.Equipment{Serial: "SN-NEW-" + id, EquipmentBody: archive.EquipmentBody{
					CustomerID: id, Model: "P-100", DeliveredOn: "2026-03-02", Status: complaint.EquipmentInService}}, false)
				require.NoError(t, err)
			}
			// The follow-up planner's customers: it owes an erased one nothing.
			planned := func() []string {
				var ids []string
				deliveries, err := s.DeliveredBetween(ctx, "2026-03-01", "2026-03-03")
				require.NoError(t, err)
				for _, d := range deliveries {
					ids = append(ids, "delivery "+d.CustomerID)
				}
				active, err := s.ActiveCustomers(ctx, eraseNow.AddDate(-1, 0, 0))
				require.NoError(t, err)
				for _, c := range active {
					ids = append(ids, "active "+c.ID)
				}
				return ids
			}
			require.Equal(t, map[string]bool{"C-ERASE": false, "C-KEEP": false, "C-NONE": false}, isErased())
			require.Equal(t, []string{"delivery C-ERASE", "delivery C-KEEP", "active C-ERASE", "active C-KEEP"}, planned())
			_, err := s.EraseCustomer(ctx, "C-ERASE", "u-admin", eraseReason, erasedAt)
			require.NoError(t, err)
			require.Equal(t, map[string]bool{"C-ERASE": true, "C-KEEP": false, "C-NONE": false}, isErased())
			require.Equal(t, []string{"delivery C-KEEP", "active C-KEEP"}, planned())

			erased, err := s.ErasedCustomers(ctx, []string{"C-KEEP", "C-ERASE", "C-NONE"})
			require.NoError(t, err)
			require.Equal(t, map[string]bool{"C-ERASE": true}, erased)
			erased, err = s.ErasedCustomers(ctx, nil)
			require.NoError(t, err)
			require.Empty(t, erased)
		})
	}
}
