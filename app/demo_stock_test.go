package app

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// The dev command's demo stock is seeded once: a second start changes
// nothing, and what a user moved since stays.
func TestDemoStockIsSeededOnce(t *testing.T) {
	s, err := store.Open(t.Context(), "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	require.NoError(t, s.Migrate(t.Context()))

	require.NoError(t, seedDemoStock(t.Context(), s))
	seal, err := s.GetStockItem(t.Context(), "P-778", complaint.DefaultWarehouse)
	require.NoError(t, err)
	require.Equal(t, 20, seal.OnHand)
	pumps, err := s.GetStockItem(t.Context(), "BK-PUMP", complaint.DefaultWarehouse)
	require.NoError(t, err)
	require.Equal(t, 2, pumps.OnHand, "two backup pumps to lend")
	units, err := s.ListUnits(t.Context(), store.UnitFilter{Model: "BK-PUMP", State: complaint.UnitAvailable})
	require.NoError(t, err)
	require.Len(t, units, 2)

	_, err = s.ApplyMovement(t.Context(), store.Movement{Actor: demoKeeper, Body: complaint.MovementBody{
		PartNumber: "P-778", Warehouse: complaint.DefaultWarehouse, Kind: complaint.MovementIssue, Quantity: 3}})
	require.NoError(t, err)
	require.NoError(t, seedDemoStock(t.Context(), s))
	seal, err = s.GetStockItem(t.Context(), "P-778", complaint.DefaultWarehouse)
	require.NoError(t, err)
	require.Equal(t, 17, seal.OnHand, "a second start receives nothing")
}
