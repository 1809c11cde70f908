package store_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

var stockClerk = complaint.Actor{UserID: "u-stock", Name: "王仓管", Department: "after_sales", Roles: []string{"agent"}}

func stockItem(part, warehouse string, reorder int) complaint.StockItemBody {
	return complaint.StockItemBody{PartNumber: part, Warehouse: warehouse, Name: "Pump seal " + part,
		Kind: complaint.ItemSparePart, ReorderLevel: reorder}
}

func movement(part, kind string, q int) store.Movement {
	return store.Movement{Body: complaint.MovementBody{PartNumber: part, Warehouse: "main", Kind: kind, Quantity: q},
		Actor: stockClerk}
}

func issueFromReserved(part string, q int) store.Movement {
	m := movement(part, complaint.MovementIssue, q)
	m.Body.FromReserved = true
	return m
}

func TestStockWarehouses(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			main, err := s.GetWarehouse(ctx, "main")
			require.NoError(t, err)
			require.Equal(t, "总仓 Main warehouse", main.Name, "the migration seeds the main warehouse")
			require.Equal(t, time.UTC, main.CreatedAt.Location())

			east, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)
			require.Equal(t, "East depot", east.Name)
			renamed, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "华东 East depot"})
			require.NoError(t, err)
			require.Equal(t, "华东 East depot", renamed.Name)
			require.Equal(t, east.CreatedAt, renamed.CreatedAt, "a rename keeps the creation time")

			ws, err := s.ListWarehouses(ctx)
			require.NoError(t, err)
			require.Len(t, ws, 2)
			require.Equal(t, []string{"east", "main"}, []string{ws[0].ID, ws[1].ID})
			require.Equal(t, "华东 East depot", ws[0].Name)

			_, err = s.GetWarehouse(ctx, "nowhere")
			require.ErrorIs(t, err, store.ErrNotFound)
		})
	}
}

func TestStockItems(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)

			item, err := s.CreateStockItem(ctx, stockItem("P-100", "main", 5))
			require.NoError(t, err)
			require.Equal(t, store.StockItem{PartNumber: "P-100", Warehouse: "main", Name: "Pump seal P-100",
				Kind: complaint.ItemSparePart, ReorderLevel: 5, UpdatedAt: item.UpdatedAt}, item)
			again, err := s.CreateStockItem(ctx, stockItem("P-100", "main", 5))
			require.NoError(t, err, "a retry with the same body answers the item")
			require.Equal(t, item, again)
			_, err = s.CreateStockItem(ctx, stockItem("P-100", "main", 6))
			require.ErrorIs(t, err, store.ErrExists)
			_, err = s.CreateStockItem(ctx, stockItem("P-100", "nowhere", 5))
			require.ErrorIs(t, err, store.ErrUnknownWarehouse)

			_, err = s.CreateStockItem(ctx, stockItem("P-100", "east", 0))
			require.NoError(t, err)
			unit := stockItem("U-7", "main", 1)
			unit.Kind = complaint.ItemBackupUnit
			_, err = s.CreateStockItem(ctx, unit)
			require.NoError(t, err)
			_, err = s.CreateStockItem(ctx, stockItem("P-200", "east", 0))
			require.NoError(t, err)

			of, err := s.StockItemsOf(ctx, "P-100")
			require.NoError(t, err)
			require.Len(t, of, 2)
			require.Equal(t, []string{"east", "main"}, []string{of[0].Warehouse, of[1].Warehouse})
			none, err := s.StockItemsOf(ctx, "P-999")
			require.NoError(t, err)
			require.Empty(t, none)
			require.NotNil(t, none)

			keys := func(f store.StockFilter) []string {
				page, err := s.ListStockItems(ctx, f)
				require.NoError(t, err)
				out := []string{}
				for _, i := range page.Items {
					out = append(out, i.PartNumber+"@"+i.Warehouse)
				}
				return out
			}
			all := []string{"P-100@east", "P-100@main", "P-200@east", "U-7@main"}
			require.Equal(t, all, keys(store.StockFilter{}))
			require.Equal(t, []string{"P-100@east", "P-200@east"}, keys(store.StockFilter{Warehouse: "east"}))
			require.Equal(t, []string{"U-7@main"}, keys(store.StockFilter{Kind: complaint.ItemBackupUnit}))
			require.Equal(t, []string{"P-100@east", "P-100@main"}, keys(store.StockFilter{PartNumber: "P-100"}))
			// Nothing on hand: below the reorder level where there is one.
			require.Equal(t, []string{"P-100@main", "U-7@main"}, keys(store.StockFilter{BelowReorder: true}))

			var got []string
			cur := ""
			for range 10 {
				page, err := s.ListStockItems(ctx, store.StockFilter{Limit: 3, Cursor: cur})
				require.NoError(t, err)
				for _, i := range page.Items {
					got = append(got, i.PartNumber+"@"+i.Warehouse)
				}
				if cur = page.NextCursor; cur == "" {
					break
				}
			}
			require.Equal(t, all, got, "pages cover every item once")
			_, err = s.ListStockItems(ctx, store.StockFilter{Cursor: "not-a-cursor"})
			require.ErrorIs(t, err, store.ErrBadCursor)
		})
	}
}

func TestStockMovementInvariants(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateStockItem(ctx, stockItem("P-1", "main", 0))
			require.NoError(t, err)
			level := func(onHand, reserved int) {
				t.Helper()
				item, err := s.GetStockItem(ctx, "P-1", "main")
				require.NoError(t, err)
				require.Equal(t, stock.Level{OnHand: onHand, Reserved: reserved}, item.Level())
				require.Equal(t, onHand-reserved, item.Available)
			}
			apply := func(m store.Movement, onHand, reserved int) store.MovementResult {
				t.Helper()
				r, err := s.ApplyMovement(ctx, m)
				require.NoError(t, err)
				require.Equal(t, onHand, r.Movement.OnHandAfter)
				require.Equal(t, reserved, r.Movement.ReservedAfter)
				require.Equal(t, stock.Level{OnHand: onHand, Reserved: reserved}, r.Item.Level())
				require.Equal(t, onHand-reserved, r.Item.Available)
				require.False(t, r.Replayed)
				require.Zero(t, r.AlertID)
				level(onHand, reserved)
				return r
			}
			shortage := func(m store.Movement, want stock.ShortageError) {
				t.Helper()
				_, err := s.ApplyMovement(ctx, m)
				var short *stock.ShortageError
				require.ErrorAs(t, err, &short)
				require.Equal(t, want, *short)
			}

			recv := movement("P-1", complaint.MovementReceive, 10)
			recv.Body.Reference = &complaint.MovementReference{Kind: complaint.ReferenceOrder, ID: "PO-1"}
			recv.Body.Note = "到货 delivery"
			at := time.Date(2026, 5, 6, 7, 8, 9, 123456789, time.FixedZone("CST", 8*3600))
			recv.At = at
			r := apply(recv, 10, 0)
			require.Equal(t, store.MovementRow{ID: r.Movement.ID, PartNumber: "P-1", Warehouse: "main",
				Kind: complaint.MovementReceive, Quantity: 10, Reference: recv.Body.Reference, Note: "到货 delivery",
				Actor: stockClerk, At: at.UTC().Truncate(time.Microsecond), OnHandAfter: 10}, r.Movement)

			apply(movement("P-1", complaint.MovementReserve, 4), 10, 4)
			shortage(movement("P-1", complaint.MovementReserve, 7),
				stock.ShortageError{Kind: complaint.MovementReserve, Wanted: 7, Available: 6})
			shortage(movement("P-1", complaint.MovementIssue, 7),
				stock.ShortageError{Kind: complaint.MovementIssue, Wanted: 7, Available: 6})
			apply(issueFromReserved("P-1", 3), 7, 1)
			shortage(issueFromReserved("P-1", 2),
				stock.ShortageError{Kind: complaint.MovementIssue, Wanted: 2, Available: 1})
			apply(movement("P-1", complaint.MovementRelease, 1), 7, 0)
			shortage(movement("P-1", complaint.MovementRelease, 1),
				stock.ShortageError{Kind: complaint.MovementRelease, Wanted: 1, Available: 0})
			apply(movement("P-1", complaint.MovementReserve, 5), 7, 5)
			// An adjustment down may not take what is reserved.
			shortage(movement("P-1", complaint.MovementAdjust, -3),
				stock.ShortageError{Kind: complaint.MovementAdjust, Wanted: 3, Available: 2})
			apply(movement("P-1", complaint.MovementAdjust, -2), 5, 5)
			apply(movement("P-1", complaint.MovementRelease, 5), 5, 0)
			shortage(movement("P-1", complaint.MovementIssue, 6),
				stock.ShortageError{Kind: complaint.MovementIssue, Wanted: 6, Available: 5})
			shortage(movement("P-1", complaint.MovementAdjust, -6),
				stock.ShortageError{Kind: complaint.MovementAdjust, Wanted: 6, Available: 5})
			apply(movement("P-1", complaint.MovementIssue, 5), 0, 0)
			apply(movement("P-1", complaint.MovementReturn, 2), 2, 0)
			apply(movement("P-1", complaint.MovementAdjust, 3), 5, 0)

			// The refusals wrote nothing: ten movements, newest first.
			rows, err := s.StockMovements(ctx, "P-1", 50)
			require.NoError(t, err)
			require.Len(t, rows, 10)
			require.Equal(t, complaint.MovementAdjust, rows[0].Kind)
			require.Equal(t, 5, rows[0].OnHandAfter)
			require.Equal(t, r.Movement, rows[9], "the ledger reads back the first movement as applied")
			for i := 1; i < len(rows); i++ {
				require.Greater(t, rows[i-1].ID, rows[i].ID)
			}
			limited, err := s.StockMovements(ctx, "P-1", 3)
			require.NoError(t, err)
			require.Equal(t, rows[:3], limited)
			none, err := s.StockMovements(ctx, "P-2", 10)
			require.NoError(t, err)
			require.Empty(t, none)

			// The database keeps the invariants against any other write too.
			_, err = s.DB().Exec(s.DB().Rebind(`UPDATE stock_items SET reserved = on_hand + 1 WHERE part_number = ?`), "P-1")
			require.Error(t, err)
			level(5, 0)
		})
	}
}

func TestStockMovementRefusals(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.PutWarehouse(ctx, complaint.WarehouseBody{ID: "east", Name: "East depot"})
			require.NoError(t, err)
			_, err = s.CreateStockItem(ctx, stockItem("P-1", "main", 0))
			require.NoError(t, err)

			_, err = s.ApplyMovement(ctx, movement("P-404", complaint.MovementReceive, 1))
			require.ErrorIs(t, err, store.ErrNotFound)
			m := movement("P-1", complaint.MovementReceive, 1)
			m.Body.Warehouse = "east"
			_, err = s.ApplyMovement(ctx, m)
			require.ErrorIs(t, err, store.ErrNotFound, "the part is not kept in that warehouse")
			m.Body.Warehouse = "nowhere"
			_, err = s.ApplyMovement(ctx, m)
			require.ErrorIs(t, err, store.ErrUnknownWarehouse)

			_, err = s.ApplyMovement(ctx, movement("P-1", complaint.MovementReceive, -1))
			require.Error(t, err, "only an adjustment takes a negative quantity")
			_, err = s.ApplyMovement(ctx, movement("P-1", "borrow", 1))
			require.Error(t, err)

			rows, err := s.StockMovements(ctx, "P-1", 10)
			require.NoError(t, err)
			require.Empty(t, rows)
		})
	}
}

func TestStockMovementIdempotency(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateStockItem(ctx, stockItem("P-1", "main", 5))
			require.NoError(t, err)
			_, err = s.ApplyMovement(ctx, movement("P-1", complaint.MovementReceive, 10))
			require.NoError(t, err)

			issue := movement("P-1", complaint.MovementIssue, 6)
			issue.Body.Reference = &complaint.MovementReference{Kind: complaint.ReferenceCase, ID: "c-1"}
			issue.IdempotencyKey = "k1"
			first, err := s.ApplyMovement(ctx, issue)
			require.NoError(t, err)
			require.False(t, first.Replayed)
			require.NotZero(t, first.AlertID, "10 to 4 crosses the level 5")

			again, err := s.ApplyMovement(ctx, issue)
			require.NoError(t, err)
			require.True(t, again.Replayed)
			require.Equal(t, first.Movement, again.Movement)
			require.Equal(t, first.AlertID, again.AlertID)
			require.Equal(t, 4, again.Item.OnHand, "the retry took nothing")

			reused := issue
			reused.Body.Quantity = 1
			_, err = s.ApplyMovement(ctx, reused)
			require.ErrorIs(t, err, store.ErrKeyReused)
			reused = issue
			reused.Body.Reference = nil
			_, err = s.ApplyMovement(ctx, reused)
			require.ErrorIs(t, err, store.ErrKeyReused)

			// The key is the user's: another user's k1 is another movement.
			other := issue
			other.Actor = complaint.Actor{UserID: "u-other", Name: "Li"}
			other.Body.Quantity = 1
			r, err := s.ApplyMovement(ctx, other)
			require.NoError(t, err)
			require.False(t, r.Replayed)
			require.Equal(t, 3, r.Item.OnHand)

			// A refused movement keeps nothing, so its key may come again.
			big := movement("P-1", complaint.MovementIssue, 4)
			big.IdempotencyKey = "k2"
			_, err = s.ApplyMovement(ctx, big)
			var short *stock.ShortageError
			require.ErrorAs(t, err, &short)
			big.Body.Quantity = 3
			r, err = s.ApplyMovement(ctx, big)
			require.NoError(t, err)
			require.False(t, r.Replayed)
			require.Equal(t, 0, r.Item.OnHand)

			rows, err := s.StockMovements(ctx, "P-1", 10)
			require.NoError(t, err)
			require.Len(t, rows, 4)

			// Concurrent calls with one key apply it once.
			_, err = s.ApplyMovement(ctx, movement("P-1", complaint.MovementReceive, 10))
			require.NoError(t, err)
			same := movement("P-1", complaint.MovementIssue, 1)
			same.IdempotencyKey = "k3"
			var wg sync.WaitGroup
			results := make([]store.MovementResult, 10)
			errs := make([]error, 10)
			for i := range results {
				wg.Go(func() { results[i], errs[i] = s.ApplyMovement(ctx, same) })
			}
			wg.Wait()
			replayed := 0
			for i := range results {
				require.NoError(t, errs[i])
				require.Equal(t, results[0].Movement, results[i].Movement)
				if results[i].Replayed {
					replayed++
				}
			}
			require.Equal(t, 9, replayed)
			item, err := s.GetStockItem(ctx, "P-1", "main")
			require.NoError(t, err)
			require.Equal(t, 9, item.OnHand)
		})
	}
}

func TestStockReorderAlerts(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateStockItem(ctx, stockItem("P-1", "main", 5))
			require.NoError(t, err)
			apply := func(m store.Movement) store.MovementResult {
				t.Helper()
				r, err := s.ApplyMovement(ctx, m)
				require.NoError(t, err)
				return r
			}
			alerts := func() int {
				var n int
				require.NoError(t, s.DB().Get(&n, `SELECT COUNT(*) FROM stock_alerts`))
				return n
			}

			require.Zero(t, apply(movement("P-1", complaint.MovementReceive, 10)).AlertID)
			first := apply(movement("P-1", complaint.MovementIssue, 6))
			require.NotZero(t, first.AlertID, "10 to 4 falls below 5")
			require.Equal(t, 1, alerts())
			var alert struct {
				OnHand       int `db:"on_hand"`
				ReorderLevel int `db:"reorder_level"`
			}
			require.NoError(t, s.DB().Get(&alert, s.DB().Rebind(`SELECT on_hand, reorder_level FROM stock_alerts WHERE id = ?`),
				first.AlertID))
			require.Equal(t, 4, alert.OnHand)
			require.Equal(t, 5, alert.ReorderLevel)
			var onMovement int64
			require.NoError(t, s.DB().Get(&onMovement, s.DB().Rebind(`SELECT alert_id FROM stock_movements WHERE id = ?`),
				first.Movement.ID))
			require.Equal(t, first.AlertID, onMovement)

			require.Zero(t, apply(movement("P-1", complaint.MovementIssue, 1)).AlertID, "still below: no second alert")
			require.Zero(t, apply(movement("P-1", complaint.MovementReserve, 3)).AlertID, "a reservation moves nothing on hand")
			require.Equal(t, 1, alerts())
			require.Zero(t, apply(movement("P-1", complaint.MovementReceive, 4)).AlertID, "back to 7, above")
			second := apply(issueFromReserved("P-1", 3))
			require.NotZero(t, second.AlertID, "7 to 4 falls below again")
			require.Greater(t, second.AlertID, first.AlertID)
			require.Equal(t, 2, alerts())

			page, err := s.ListStockItems(ctx, store.StockFilter{BelowReorder: true})
			require.NoError(t, err)
			require.Len(t, page.Items, 1)

			// Landing exactly on the level is not below it.
			_, err = s.CreateStockItem(ctx, stockItem("P-2", "main", 5))
			require.NoError(t, err)
			apply(movement("P-2", complaint.MovementReceive, 6))
			require.Zero(t, apply(movement("P-2", complaint.MovementIssue, 1)).AlertID)
			require.NotZero(t, apply(movement("P-2", complaint.MovementAdjust, -1)).AlertID)
			require.Equal(t, 3, alerts())
		})
	}
}

// TestStockConcurrentIssues: fifty issues of one unit race for ten units;
// exactly ten take one, the others are refused, nothing goes negative.
func TestStockConcurrentIssues(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			_, err := s.CreateStockItem(ctx, stockItem("P-1", "main", 5))
			require.NoError(t, err)
			_, err = s.ApplyMovement(ctx, movement("P-1", complaint.MovementReceive, 10))
			require.NoError(t, err)

			const callers = 50
			var wg sync.WaitGroup
			results := make([]store.MovementResult, callers)
			errs := make([]error, callers)
			for i := range callers {
				wg.Go(func() {
					m := movement("P-1", complaint.MovementIssue, 1)
					m.Body.Note = fmt.Sprintf("caller %d", i)
					results[i], errs[i] = s.ApplyMovement(ctx, m)
				})
			}
			wg.Wait()

			ok, short, alerted := 0, 0, 0
			seen := map[int]bool{}
			for i, err := range errs {
				var se *stock.ShortageError
				switch {
				case err == nil:
					ok++
					seen[results[i].Movement.OnHandAfter] = true
					if results[i].AlertID != 0 {
						alerted++
					}
				case errors.As(err, &se):
					short++
					require.Equal(t, stock.ShortageError{Kind: complaint.MovementIssue, Wanted: 1, Available: 0}, *se)
				default:
					t.Fatalf("caller %d: %v", i, err)
				}
			}
			require.Equal(t, 10, ok)
			require.Equal(t, 40, short)
			require.Len(t, seen, 10, "each success left a different level, 9 down to 0")
			require.Equal(t, 1, alerted, "one crossing of the level 5, one alert")

			item, err := s.GetStockItem(ctx, "P-1", "main")
			require.NoError(t, err)
			require.Equal(t, 0, item.OnHand)
			require.Equal(t, 0, item.Reserved)
			var issues int
			require.NoError(t, s.DB().Get(&issues, s.DB().Rebind(
				`SELECT COUNT(*) FROM stock_movements WHERE part_number = ? AND kind = ?`), "P-1", complaint.MovementIssue))
			require.Equal(t, 10, issues)
			rows, err := s.StockMovements(ctx, "P-1", 100)
			require.NoError(t, err)
			require.Len(t, rows, 11, "the receipt and ten issues")
			for i, r := range rows[:10] {
				require.Equal(t, i, r.OnHandAfter, "ids run in commit order")
			}
		})
	}
}
