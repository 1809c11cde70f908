package store_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var engineer = complaint.Actor{UserID: "u-eng", Name: "张工", Department: "after_sales", Roles: []string{"engineer"}}

func onHand(t *testing.T, s *store.Store, part, warehouse string) int {
	t.Helper()
	item, err := s.GetStockItem(t.Context(), part, warehouse)
	require.NoError(t, err)
	return item.OnHand
}

func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	require.NoError(t, s.DB().Get(&n, `SELECT COUNT(*) FROM `+table))
	return n
}

func requireRefusal(t *testing.T, err error, want store.StockRefusal) {
	t.Helper()
	var ref *store.StockRefusal
	require.ErrorAs(t, err, &ref)
	require.Equal(t, want, *ref)
}

func TestIssueParts(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)
			for _, it := range []complaint.StockItemBody{stockItem("P-1", "main", 5), stockItem("P-2", "main", 0),
				stockItem("P-3", "east", 0)} {
				_, err := s.CreateStockItem(ctx, it)
				require.NoError(t, err)
			}
			receive := func(part, warehouse string, q int) {
				m := movement(part, complaint.MovementReceive, q)
				m.Body.Warehouse = warehouse
				_, err := s.ApplyMovement(ctx, m)
				require.NoError(t, err)
			}
			receive("P-1", "main", 10)
			receive("P-2", "main", 1)
			receive("P-3", "east", 4)
			at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
			issue := func(parts ...complaint.PartUsed) store.PartsIssue {
				return store.PartsIssue{ComplaintID: "c-1", Visit: "V1", Parts: parts, Actor: engineer, At: at}
			}
			p1 := complaint.PartUsed{PartNumber: "P-1", Quantity: 6}
			movements := countRows(t, s, "stock_movements")

			// The second part is short: the first is not issued either.
			_, err = s.IssueParts(ctx, issue(p1, complaint.PartUsed{PartNumber: "P-2", Warehouse: "main", Quantity: 3}))
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "parts_used[1] (P-2): issue of 3: only 1 available"})
			_, err = s.IssueParts(ctx, issue(p1, complaint.PartUsed{PartNumber: "P-3", Quantity: 1}))
			requireRefusal(t, err, store.StockRefusal{Field: "parts_used[1].part_number", Message: "is not stocked in warehouse main"})
			_, err = s.IssueParts(ctx, issue(complaint.PartUsed{PartNumber: "P-1", Warehouse: "nowhere", Quantity: 1}, p1))
			requireRefusal(t, err, store.StockRefusal{Field: "parts_used[0].warehouse", Message: "is not a warehouse"})
			require.Equal(t, 10, onHand(t, s, "P-1", "main"))
			require.Equal(t, movements, countRows(t, s, "stock_movements"), "a refusal issues nothing")

			// The parts come from their warehouses; P-1 falls below 5.
			parts := issue(p1, complaint.PartUsed{PartNumber: "P-3", Warehouse: "east", Quantity: 1},
				complaint.PartUsed{PartNumber: "P-1", Quantity: 1})
			issued, err := s.IssueParts(ctx, parts)
			require.NoError(t, err)
			require.Len(t, issued.Alerts, 1)
			alert := issued.Alerts[0]
			require.NotZero(t, alert.AlertID)
			require.Equal(t, store.StockAlert{AlertID: alert.AlertID, PartNumber: "P-1", Warehouse: "main",
				Name: "Pump seal P-1", OnHand: 4, ReorderLevel: 5, At: at}, alert)
			require.Equal(t, 3, onHand(t, s, "P-1", "main"))
			require.Equal(t, 3, onHand(t, s, "P-3", "east"))
			require.Equal(t, movements+3, countRows(t, s, "stock_movements"))
			rows, err := s.StockMovements(ctx, "P-1", 2)
			require.NoError(t, err)
			require.Equal(t, []int{1, 6}, []int{rows[0].Quantity, rows[1].Quantity}, "the ledger keeps the visit's order")
			require.Equal(t, &complaint.MovementReference{Kind: complaint.ReferenceVisit, ID: "c-1/V1"}, rows[0].Reference)
			require.Equal(t, complaint.MovementIssue, rows[0].Kind)
			require.Equal(t, engineer, rows[0].Actor)
			require.Contains(t, rows[0].Note, "c-1")
			var keys []string
			require.NoError(t, s.DB().Select(&keys, `SELECT idempotency_key FROM stock_movements
				WHERE reference_id = 'c-1/V1' ORDER BY id`))
			require.Equal(t, []string{"c-1/V1/part/0", "c-1/V1/part/1", "c-1/V1/part/2"}, keys)

			// A retry writes nothing and answers the same.
			again, err := s.IssueParts(ctx, parts)
			require.NoError(t, err)
			require.Equal(t, issued, again)
			require.Equal(t, 3, onHand(t, s, "P-1", "main"))
			require.Equal(t, movements+3, countRows(t, s, "stock_movements"))
			// The visit's parts as another list: the keys are taken.
			_, err = s.IssueParts(ctx, issue(p1))
			require.ErrorIs(t, err, store.ErrKeyReused)

			// No alert: an empty list, not null.
			quiet, err := s.IssueParts(ctx, store.PartsIssue{ComplaintID: "c-1", Visit: "V2", Actor: engineer,
				Parts: []complaint.PartUsed{{PartNumber: "P-3", Warehouse: "east", Quantity: 1}}})
			require.NoError(t, err)
			require.NotNil(t, quiet.Alerts)
			require.Empty(t, quiet.Alerts)

			// Concurrent retries of one visit issue it once.
			receive("P-1", "main", 20)
			var wg sync.WaitGroup
			errs := make([]error, 10)
			for i := range errs {
				wg.Go(func() {
					_, errs[i] = s.IssueParts(ctx, store.PartsIssue{ComplaintID: "c-2", Visit: "V1", Actor: engineer,
						Parts: []complaint.PartUsed{{PartNumber: "P-1", Quantity: 2}, {PartNumber: "P-3", Warehouse: "east", Quantity: 1}}})
				})
			}
			wg.Wait()
			for _, err := range errs {
				require.NoError(t, err)
			}
			require.Equal(t, 21, onHand(t, s, "P-1", "main"))
			require.Equal(t, 1, onHand(t, s, "P-3", "east"))
		})
	}
}

// backupModel adds a backup unit item with units registered.
func backupModel(t *testing.T, s *store.Store, model, warehouse string, serials ...string) {
	t.Helper()
	it := stockItem(model, warehouse, 0)
	it.Kind = complaint.ItemBackupUnit
	_, err := s.CreateStockItem(t.Context(), it)
	require.NoError(t, err)
	for _, serial := range serials {
		u, err := s.RegisterUnit(t.Context(), complaint.BackupUnitBody{Serial: serial, Model: model, Warehouse: warehouse},
			stockClerk, "")
		require.NoError(t, err)
		require.Equal(t, complaint.UnitAvailable, u.State)
	}
}

func lending(loan, serial, model string) store.Lending {
	complaintID, _, _ := strings.Cut(loan, "-L")
	return store.Lending{LoanID: loan, ComplaintID: complaintID,
		Request:   complaint.BackupRequest{Serial: serial, Model: model, DueBack: "2026-06-01"},
		OverdueAt: time.Date(2026, 6, 1, 16, 0, 0, 0, time.UTC), Actor: engineer,
		At: time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)}
}

func TestBackupUnits(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateStockItem(ctx, stockItem("P-1", "main", 0))
			require.NoError(t, err)
			backupModel(t, s, "BK-1", "main")
			_, err = s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)
			backupModel(t, s, "BK-1", "east", "E-1")

			body := complaint.BackupUnitBody{Serial: "S-2", Model: "BK-1", Note: "demo unit"}
			u, err := s.RegisterUnit(ctx, body, stockClerk, "")
			require.NoError(t, err)
			require.False(t, u.Replayed)
			require.Equal(t, store.BackupUnit{Serial: "S-2", Model: "BK-1", Warehouse: "main", State: complaint.UnitAvailable,
				Note: "demo unit", UpdatedAt: u.UpdatedAt}, u)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"), "registering receives the unit")
			rows, err := s.StockMovements(ctx, "BK-1", 1)
			require.NoError(t, err)
			require.Equal(t, complaint.MovementReceive, rows[0].Kind)
			require.Equal(t, "main", rows[0].Warehouse)

			again, err := s.RegisterUnit(ctx, body, engineer, "")
			require.NoError(t, err, "the same body answers the unit")
			require.True(t, again.Replayed)
			require.Equal(t, u.Serial, again.Serial)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"))
			other := body
			other.Note = "another"
			_, err = s.RegisterUnit(ctx, other, stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "serial", Conflict: true,
				Message: "is registered already, as a BK-1 in warehouse main"})

			_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "X", Model: "P-1"}, stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "model", Message: "is a spare_part, not a backup unit"})
			_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "X", Model: "BK-9"}, stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "model", Message: "is not a backup unit kept in warehouse main"})
			_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "X", Model: "BK-1", Warehouse: "nowhere"}, stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "warehouse", Message: "is not a warehouse"})
			_, err = s.GetUnit(ctx, "X")
			require.ErrorIs(t, err, store.ErrNotFound)

			// Under an Idempotency-Key: a retry answers, another body is refused.
			keyed := complaint.BackupUnitBody{Serial: "S-1", Model: "BK-1", Warehouse: "main"}
			first, err := s.RegisterUnit(ctx, keyed, stockClerk, "k1")
			require.NoError(t, err)
			require.False(t, first.Replayed)
			retry, err := s.RegisterUnit(ctx, keyed, stockClerk, "k1")
			require.NoError(t, err)
			require.True(t, retry.Replayed)
			_, err = s.RegisterUnit(ctx, complaint.BackupUnitBody{Serial: "S-3", Model: "BK-1"}, stockClerk, "k1")
			require.ErrorIs(t, err, store.ErrKeyReused)
			require.Equal(t, 2, onHand(t, s, "BK-1", "main"))

			list := func(f store.UnitFilter) []string {
				units, err := s.ListUnits(ctx, f)
				require.NoError(t, err)
				out := []string{}
				for _, u := range units {
					out = append(out, u.Serial)
				}
				return out
			}
			require.Equal(t, []string{"E-1", "S-1", "S-2"}, list(store.UnitFilter{}))
			require.Equal(t, []string{"S-1", "S-2"}, list(store.UnitFilter{Warehouse: "main"}))
			require.Equal(t, []string{"E-1", "S-1", "S-2"}, list(store.UnitFilter{Model: "BK-1", State: complaint.UnitAvailable}))
			require.Equal(t, []string{}, list(store.UnitFilter{State: complaint.UnitOnLoan}))

			_, err = s.UnitRepaired(ctx, "S-1", stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "serial", Conflict: true, Message: "unit S-1 is available, not in repair"})
			_, err = s.UnitRepaired(ctx, "nope", stockClerk, "")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

func TestLoans(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			backupModel(t, s, "BK-1", "main", "S-1", "S-2")
			_, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)
			backupModel(t, s, "P-1", "east")
			require.Equal(t, 2, onHand(t, s, "BK-1", "main"))
			unitState := func(serial string) string {
				t.Helper()
				u, err := s.GetUnit(ctx, serial)
				require.NoError(t, err)
				return u.State
			}

			// By model: the first available by serial.
			lent, err := s.LendUnit(ctx, lending("c-1-L1", "", "BK-1"))
			require.NoError(t, err)
			require.Equal(t, complaint.LentUnit{Serial: "S-1", Model: "BK-1", Warehouse: "main"}, lent)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"))
			u, err := s.GetUnit(ctx, "S-1")
			require.NoError(t, err)
			require.Equal(t, complaint.UnitOnLoan, u.State)
			require.Equal(t, "c-1-L1", u.LoanID)
			loan, err := s.GetLoan(ctx, "c-1-L1")
			require.NoError(t, err)
			in := lending("c-1-L1", "", "BK-1")
			require.Equal(t, store.LoanRow{ID: "c-1-L1", ComplaintID: "c-1", LentUnit: lent, State: complaint.LoanOnLoan,
				DueBack: "2026-06-01", OverdueAt: in.OverdueAt, LentBy: engineer, LentAt: in.At, UpdatedAt: in.At}, loan)
			rows, err := s.StockMovements(ctx, "BK-1", 1)
			require.NoError(t, err)
			require.Equal(t, complaint.MovementIssue, rows[0].Kind)
			require.Equal(t, &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: "c-1"}, rows[0].Reference)

			// A retry of the loan answers its unit and writes nothing.
			retry, err := s.LendUnit(ctx, lending("c-1-L1", "", "BK-1"))
			require.NoError(t, err)
			require.Equal(t, lent, retry)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"))

			// A unit on loan is refused, and nothing changes.
			movements, loans := countRows(t, s, "stock_movements"), countRows(t, s, "loans")
			_, err = s.LendUnit(ctx, lending("c-2-L1", "S-1", ""))
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "unit S-1 is on_loan"})
			require.Equal(t, complaint.UnitOnLoan, unitState("S-1"))
			require.Equal(t, "c-1-L1", func() string { u, _ := s.GetUnit(ctx, "S-1"); return u.LoanID }())
			require.Equal(t, movements, countRows(t, s, "stock_movements"))
			require.Equal(t, loans, countRows(t, s, "loans"))
			_, err = s.GetLoan(ctx, "c-2-L1")
			require.ErrorIs(t, err, store.ErrNotFound)

			_, err = s.LendUnit(ctx, lending("c-2-L1", "S-404", ""))
			requireRefusal(t, err, store.StockRefusal{Field: "backup.serial", Message: "is not a backup unit"})
			_, err = s.LendUnit(ctx, lending("c-2-L1", "", "BK-404"))
			requireRefusal(t, err, store.StockRefusal{Field: "backup.model", Message: "is not a backup unit kept in warehouse main"})
			elsewhere := lending("c-2-L1", "", "BK-1")
			elsewhere.Request.Warehouse = "nowhere"
			_, err = s.LendUnit(ctx, elsewhere)
			requireRefusal(t, err, store.StockRefusal{Field: "backup.warehouse", Message: "is not a warehouse"})
			elsewhere = lending("c-2-L1", "S-2", "")
			elsewhere.Request.Warehouse = "east"
			_, err = s.LendUnit(ctx, elsewhere)
			requireRefusal(t, err, store.StockRefusal{Field: "backup.warehouse",
				Message: "does not hold unit S-2 (it is in warehouse main)"})
			empty := lending("c-2-L1", "", "P-1")
			empty.Request.Warehouse = "east"
			_, err = s.LendUnit(ctx, empty)
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "no backup unit of model P-1 is available in warehouse east"})

			// Back to stock: available, on hand again.
			returnedAt := time.Date(2026, 5, 20, 9, 0, 0, 0, time.UTC)
			back, err := s.ReturnLoan(ctx, "c-1-L1", complaint.UnitBackToStock, "all good", stockClerk, returnedAt)
			require.NoError(t, err)
			require.Equal(t, complaint.LoanReturned, back.State)
			require.Equal(t, complaint.UnitBackToStock, back.ReturnedTo)
			require.Equal(t, &returnedAt, back.ReturnedAt)
			require.Equal(t, &stockClerk, back.ReturnedBy)
			require.Equal(t, "all good", back.Note)
			require.Equal(t, 2, onHand(t, s, "BK-1", "main"))
			u, err = s.GetUnit(ctx, "S-1")
			require.NoError(t, err)
			require.Equal(t, complaint.UnitAvailable, u.State)
			require.Empty(t, u.LoanID)
			movements = countRows(t, s, "stock_movements")
			again, err := s.ReturnLoan(ctx, "c-1-L1", complaint.UnitBackToStock, "all good", stockClerk, returnedAt.Add(time.Hour))
			require.NoError(t, err, "a retry answers the loan")
			require.Equal(t, back, again)
			require.Equal(t, movements, countRows(t, s, "stock_movements"))
			_, err = s.ReturnLoan(ctx, "c-1-L1", complaint.UnitToRepair, "", stockClerk, returnedAt)
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "loan c-1-L1 was returned to stock already"})
			_, err = s.ConvertLoan(ctx, "c-1-L1", complaint.ConversionSale, "sold", stockClerk, returnedAt)
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "loan c-1-L1 is returned"})
			_, err = s.ReturnLoan(ctx, "c-9-L1", complaint.UnitBackToStock, "", stockClerk, returnedAt)
			require.ErrorIs(t, err, store.ErrNotFound)
			_, err = s.ConvertLoan(ctx, "c-9-L1", complaint.ConversionSale, "", stockClerk, returnedAt)
			require.ErrorIs(t, err, store.ErrNotFound)

			// Into repair: out of stock until repaired.
			lent, err = s.LendUnit(ctx, lending("c-1-L2", "S-2", ""))
			require.NoError(t, err)
			require.Equal(t, "S-2", lent.Serial)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"))
			_, err = s.ReturnLoan(ctx, "c-1-L2", complaint.UnitToRepair, "broken fan", engineer, time.Time{})
			require.NoError(t, err)
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"), "a unit in repair is not on hand")
			u, err = s.GetUnit(ctx, "S-2")
			require.NoError(t, err)
			require.Equal(t, complaint.UnitInRepair, u.State)
			require.Equal(t, "c-1-L2", u.LoanID, "the unit remembers the loan that sent it to repair")
			_, err = s.LendUnit(ctx, lending("c-3-L1", "S-2", ""))
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "unit S-2 is in_repair"})

			repaired, err := s.UnitRepaired(ctx, "S-2", stockClerk, "fan replaced")
			require.NoError(t, err)
			require.Equal(t, complaint.UnitAvailable, repaired.State)
			require.Empty(t, repaired.LoanID)
			require.Equal(t, 2, onHand(t, s, "BK-1", "main"))
			rows, err = s.StockMovements(ctx, "BK-1", 1)
			require.NoError(t, err)
			require.Equal(t, complaint.MovementReturn, rows[0].Kind)
			require.Equal(t, "fan replaced", rows[0].Note)
			again2, err := s.UnitRepaired(ctx, "S-2", stockClerk, "fan replaced")
			require.NoError(t, err, "a retry answers the unit")
			require.Equal(t, repaired.State, again2.State)
			require.Equal(t, 2, onHand(t, s, "BK-1", "main"))

			// Converted: the customer keeps it.
			_, err = s.LendUnit(ctx, lending("c-1-L3", "S-2", ""))
			require.NoError(t, err)
			conv, err := s.ConvertLoan(ctx, "c-1-L3", complaint.ConversionSale, "customer buys it", stockClerk, time.Time{})
			require.NoError(t, err)
			require.Equal(t, complaint.LoanConverted, conv.State)
			require.Equal(t, complaint.ConversionSale, conv.ConvertedTo)
			require.NotNil(t, conv.ConvertedAt)
			require.Equal(t, &stockClerk, conv.ConvertedBy)
			require.Nil(t, conv.ReturnedAt)
			require.Equal(t, complaint.UnitSold, unitState("S-2"))
			require.Equal(t, 1, onHand(t, s, "BK-1", "main"))
			convAgain, err := s.ConvertLoan(ctx, "c-1-L3", complaint.ConversionSale, "customer buys it", stockClerk, time.Time{})
			require.NoError(t, err)
			require.Equal(t, conv, convAgain)
			_, err = s.ConvertLoan(ctx, "c-1-L3", complaint.ConversionReplacement, "", stockClerk, time.Time{})
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "loan c-1-L3 was converted into a sale already"})
			_, err = s.ReturnLoan(ctx, "c-1-L3", complaint.UnitBackToStock, "", stockClerk, time.Time{})
			requireRefusal(t, err, store.StockRefusal{Conflict: true, Message: "loan c-1-L3 is converted"})
			_, err = s.UnitRepaired(ctx, "S-2", stockClerk, "")
			requireRefusal(t, err, store.StockRefusal{Field: "serial", Conflict: true, Message: "unit S-2 is sold, not in repair"})
			_, err = s.LendUnit(ctx, lending("c-4-L1", "S-1", ""))
			require.NoError(t, err)
			_, err = s.ConvertLoan(ctx, "c-4-L1", complaint.ConversionReplacement, "keeps it", stockClerk, time.Time{})
			require.NoError(t, err)
			require.Equal(t, complaint.UnitReplaced, unitState("S-1"))

			// Lists: newest lent first, filtered, in pages.
			ids := func(f store.LoanFilter) []string {
				t.Helper()
				var out []string
				for range 10 {
					page, err := s.ListLoans(ctx, f)
					require.NoError(t, err)
					for _, l := range page.Loans {
						out = append(out, l.ID)
					}
					if f.Cursor = page.NextCursor; f.Cursor == "" {
						break
					}
				}
				return out
			}
			// All lent at the same instant: newest first is by id then.
			require.Equal(t, []string{"c-4-L1", "c-1-L3", "c-1-L2", "c-1-L1"}, ids(store.LoanFilter{}))
			require.Equal(t, []string{"c-4-L1", "c-1-L3", "c-1-L2", "c-1-L1"}, ids(store.LoanFilter{Limit: 1}))
			require.Equal(t, []string{"c-1-L3", "c-1-L2", "c-1-L1"}, ids(store.LoanFilter{ComplaintID: "c-1"}))
			require.Equal(t, []string{"c-1-L2", "c-1-L1"}, ids(store.LoanFilter{State: complaint.LoanReturned}))
			require.Equal(t, []string{"c-4-L1", "c-1-L1"}, ids(store.LoanFilter{Serial: "S-1"}))
			_, err = s.ListLoans(ctx, store.LoanFilter{Cursor: "bad"})
			require.ErrorIs(t, err, store.ErrBadCursor)

			// Overdue: on loan and past overdue_at.
			backupModel(t, s, "BK-2", "main", "T-1", "T-2")
			late := lending("c-5-L1", "T-1", "")
			_, err = s.LendUnit(ctx, late)
			require.NoError(t, err)
			notYet := lending("c-6-L1", "T-2", "")
			notYet.OverdueAt = late.OverdueAt.Add(48 * time.Hour)
			_, err = s.LendUnit(ctx, notYet)
			require.NoError(t, err)
			now := late.OverdueAt.Add(time.Hour)
			require.Equal(t, []string{"c-5-L1"}, ids(store.LoanFilter{OverdueAt: &now}))
			exact := late.OverdueAt
			require.Equal(t, []string{"c-5-L1"}, ids(store.LoanFilter{OverdueAt: &exact}))
			later := notYet.OverdueAt
			require.Equal(t, []string{"c-6-L1", "c-5-L1"}, ids(store.LoanFilter{OverdueAt: &later}))
		})
	}
}

// TestLendingTheLastUnit: twenty lendings race for the last unit of a
// model; exactly one gets it, the others are refused, and the stock agrees.
func TestLendingTheLastUnit(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			backupModel(t, s, "BK-1", "main", "S-1", "S-2")
			_, err := s.LendUnit(ctx, lending("c-0-L1", "S-1", ""))
			require.NoError(t, err)

			const callers = 20
			var wg sync.WaitGroup
			units := make([]complaint.LentUnit, callers)
			errs := make([]error, callers)
			for i := range callers {
				wg.Go(func() {
					in := lending(fmt.Sprintf("c-%d-L1", i+1), "", "BK-1")
					if i%2 == 1 {
						in.Request = complaint.BackupRequest{Serial: "S-2", DueBack: "2026-06-01"}
					}
					units[i], errs[i] = s.LendUnit(ctx, in)
				})
			}
			wg.Wait()
			won := 0
			for i, err := range errs {
				if err == nil {
					won++
					require.Equal(t, "S-2", units[i].Serial)
					continue
				}
				var ref *store.StockRefusal
				require.ErrorAs(t, err, &ref, "caller %d", i)
				require.True(t, ref.Conflict)
				require.Contains(t, []string{"unit S-2 is on_loan",
					"no backup unit of model BK-1 is available in warehouse main"}, ref.Message)
			}
			require.Equal(t, 1, won)
			require.Equal(t, 0, onHand(t, s, "BK-1", "main"))
			require.Equal(t, 2, countRows(t, s, "loans"))
			var issues int
			require.NoError(t, s.DB().Get(&issues, `SELECT COUNT(*) FROM stock_movements WHERE kind = 'issue'`))
			require.Equal(t, 2, issues)

			// Concurrent retries of one loan make it once.
			backupModel(t, s, "BK-2", "main", "T-1", "T-2")
			for i := range errs {
				wg.Go(func() { units[i], errs[i] = s.LendUnit(ctx, lending("c-99-L1", "", "BK-2")) })
			}
			wg.Wait()
			for i := range errs {
				require.NoError(t, errs[i])
				require.Equal(t, units[0], units[i])
			}
			require.Equal(t, 1, onHand(t, s, "BK-2", "main"))
			require.Equal(t, 3, countRows(t, s, "loans"))
		})
	}
}

// TestIssuePartsConcurrently: visits issuing the same parts in opposite
// orders, beside single movements and alerts, neither wait for each other
// for ever nor lose a unit (on PostgreSQL a deadlock would fail one).
func TestIssuePartsConcurrently(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			parts := []string{"P-A", "P-B", "P-C"}
			for _, p := range parts {
				_, err := s.CreateStockItem(ctx, stockItem(p, "main", 150))
				require.NoError(t, err)
				_, err = s.ApplyMovement(ctx, movement(p, complaint.MovementReceive, 200))
				require.NoError(t, err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 40)
			alerts := make([]int, 40)
			for i := range errs {
				wg.Go(func() {
					if i%4 == 3 {
						_, errs[i] = s.ApplyMovement(ctx, movement("P-B", complaint.MovementIssue, 1))
						return
					}
					used := []complaint.PartUsed{{PartNumber: "P-A", Quantity: 1}, {PartNumber: "P-B", Quantity: 2},
						{PartNumber: "P-C", Quantity: 1}}
					if i%2 == 1 {
						slices.Reverse(used)
					}
					var issued store.PartsIssued
					issued, errs[i] = s.IssueParts(ctx, store.PartsIssue{ComplaintID: "c-1", Visit: fmt.Sprintf("V%d", i),
						Parts: used, Actor: engineer})
					alerts[i] = len(issued.Alerts)
				})
			}
			wg.Wait()
			for i, err := range errs {
				require.NoError(t, err, "caller %d", i)
			}
			// 30 visits took 1 A, 2 B, 1 C each; 10 movements 1 B.
			require.Equal(t, 170, onHand(t, s, "P-A", "main"))
			require.Equal(t, 130, onHand(t, s, "P-B", "main"))
			require.Equal(t, 170, onHand(t, s, "P-C", "main"))
			raised := 0
			for _, n := range alerts {
				raised += n
			}
			require.Equal(t, 1, countRows(t, s, "stock_alerts"), "P-B fell below 150 once")
			require.LessOrEqual(t, raised, 1, "a visit answers the alerts it raised, if it raised that one")
		})
	}
}
