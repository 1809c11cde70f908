package app

import (
	"context"
	"errors"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// demoKeeper is who the demo stock's receipts name.
var demoKeeper = complaint.Actor{UserID: "caseflow-dev", Name: "caseflow dev"}

// seedDemoStock stocks the main warehouse on the first start only: the
// seal the demo pumps are fitted with, and two backup pumps to lend. Every
// write is keyed, so a start that stopped half way seeds the rest.
func seedDemoStock(ctx context.Context, s *store.Store) error {
	if _, err := s.GetUnit(ctx, "SN-BK-DEMO-2"); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	for _, it := range []complaint.StockItemBody{
		{PartNumber: "P-778", Warehouse: complaint.DefaultWarehouse, Name: "密封圈 seal kit", Kind: complaint.ItemSparePart, ReorderLevel: 5},
		{PartNumber: "BK-PUMP", Warehouse: complaint.DefaultWarehouse, Name: "备用输液泵 backup infusion pump", Kind: complaint.ItemBackupUnit},
	} {
		if _, err := s.CreateStockItem(ctx, it); err != nil && !errors.Is(err, store.ErrExists) {
			return err
		}
	}
	if _, err := s.ApplyMovement(ctx, store.Movement{Actor: demoKeeper, IdempotencyKey: "demo-seal-receipt",
		Body: complaint.MovementBody{PartNumber: "P-778", Warehouse: complaint.DefaultWarehouse,
			Kind: complaint.MovementReceive, Quantity: 20, Note: "demo stock"}}); err != nil {
		return err
	}
	for _, sn := range []string{"SN-BK-DEMO-1", "SN-BK-DEMO-2"} {
		if _, err := s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: sn, Model: "BK-PUMP"}, demoKeeper, ""); err != nil {
			return err
		}
	}
	return nil
}
