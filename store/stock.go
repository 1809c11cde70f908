package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/stock"
)

// The stock [4.(6)]: warehouses, items and the ledger of movements
// (migration 00012). Package stock has the rules; here each movement is one
// guarded UPDATE of the item's row, so no movement breaks the invariants
// whatever runs beside it: on PostgreSQL the UPDATE takes the row's lock and
// re-checks its guard on the row a concurrent movement left, on SQLite the
// one connection runs one transaction at a time.

// ErrUnknownWarehouse: an item or a movement names a warehouse that does not
// exist.
var ErrUnknownWarehouse = errors.New("no such warehouse")

// Warehouse is a warehouse the stock is kept in.
type Warehouse struct {
	ID        string    `json:"id" db:"id"`
	Name      string    `json:"name" db:"name"`
	CreatedAt time.Time `json:"created_at" db:"created_at"`
}

// PutWarehouse creates a warehouse, or renames it, and returns it as stored.
func (s *Store) PutWarehouse(ctx context.Context, b complaint.WarehouseBody) (Warehouse, error) {
	var w Warehouse
	err := s.db.GetContext(ctx, &w, s.db.Rebind(`
		INSERT INTO warehouses (id, name, created_at) VALUES (?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name
		RETURNING id, name, created_at`), b.ID, b.Name, utc(time.Now()))
	if err != nil {
		return Warehouse{}, fmt.Errorf("put warehouse: %w", err)
	}
	w.CreatedAt = w.CreatedAt.UTC()
	return w, nil
}

// ListWarehouses lists the warehouses by id.
func (s *Store) ListWarehouses(ctx context.Context) ([]Warehouse, error) {
	ws := []Warehouse{}
	if err := s.db.SelectContext(ctx, &ws, `SELECT id, name, created_at FROM warehouses ORDER BY id`); err != nil {
		return nil, err
	}
	for i := range ws {
		ws[i].CreatedAt = ws[i].CreatedAt.UTC()
	}
	return ws, nil
}

// GetWarehouse returns a warehouse, or ErrNotFound.
func (s *Store) GetWarehouse(ctx context.Context, id string) (Warehouse, error) {
	var w Warehouse
	err := s.db.GetContext(ctx, &w, s.db.Rebind(`SELECT id, name, created_at FROM warehouses WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Warehouse{}, ErrNotFound
	}
	if err != nil {
		return Warehouse{}, err
	}
	w.CreatedAt = w.CreatedAt.UTC()
	return w, nil
}

// StockItem is a part or backup unit in one warehouse, with its quantities.
type StockItem struct {
	PartNumber   string    `json:"part_number" db:"part_number"`
	Warehouse    string    `json:"warehouse" db:"warehouse"`
	Name         string    `json:"name" db:"name"`
	Kind         string    `json:"kind" db:"kind"`
	OnHand       int       `json:"on_hand" db:"on_hand"`
	Reserved     int       `json:"reserved" db:"reserved"`
	Available    int       `json:"available" db:"-"`
	ReorderLevel int       `json:"reorder_level" db:"reorder_level"`
	UpdatedAt    time.Time `json:"updated_at" db:"updated_at"`
}

// Level is the item's quantities.
func (i StockItem) Level() stock.Level { return stock.Level{OnHand: i.OnHand, Reserved: i.Reserved} }

// fill sets what the columns do not hold.
func (i StockItem) fill() StockItem {
	i.Available = i.Level().Available()
	i.UpdatedAt = i.UpdatedAt.UTC()
	return i
}

const stockItemColumns = `part_number, warehouse, name, kind, on_hand, reserved, reorder_level, updated_at`

// CreateStockItem adds an item to a warehouse with nothing on hand. A
// retry with the same body answers the item as it stands; ErrExists when
// the part is in the warehouse with another name, kind or reorder level;
// ErrUnknownWarehouse when the warehouse does not exist.
func (s *Store) CreateStockItem(ctx context.Context, b complaint.StockItemBody) (StockItem, error) {
	var item StockItem
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.warehouseExists(ctx, tx, b.Warehouse); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO stock_items (part_number, warehouse, name, kind, reorder_level, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (part_number, warehouse) DO NOTHING`),
			b.PartNumber, b.Warehouse, b.Name, b.Kind, b.ReorderLevel, utc(time.Now())); err != nil {
			return fmt.Errorf("create stock item: %w", err)
		}
		var err error
		item, err = s.getStockItem(ctx, tx, b.PartNumber, b.Warehouse)
		if err != nil {
			return err
		}
		if item.Name != b.Name || item.Kind != b.Kind || item.ReorderLevel != b.ReorderLevel {
			return ErrExists
		}
		return nil
	})
	if err != nil {
		return StockItem{}, err
	}
	return item, nil
}

// warehouseExists is nil when the warehouse exists, else ErrUnknownWarehouse.
func (s *Store) warehouseExists(ctx context.Context, q sqlx.QueryerContext, id string) error {
	var n int
	if err := sqlx.GetContext(ctx, q, &n, s.db.Rebind(`
		SELECT COUNT(*) FROM warehouses WHERE id = ?`), id); err != nil {
		return err
	}
	if n == 0 {
		return ErrUnknownWarehouse
	}
	return nil
}

// getStockItem reads an item, or ErrNotFound.
func (s *Store) getStockItem(ctx context.Context, q sqlx.QueryerContext, partNumber, warehouse string) (StockItem, error) {
	var item StockItem
	err := sqlx.GetContext(ctx, q, &item, s.db.Rebind(`
		SELECT `+stockItemColumns+` FROM stock_items WHERE part_number = ? AND warehouse = ?`), partNumber, warehouse)
	if errors.Is(err, sql.ErrNoRows) {
		return StockItem{}, ErrNotFound
	}
	if err != nil {
		return StockItem{}, err
	}
	return item.fill(), nil
}

// GetStockItem returns an item of a warehouse, or ErrNotFound.
func (s *Store) GetStockItem(ctx context.Context, partNumber, warehouse string) (StockItem, error) {
	return s.getStockItem(ctx, s.db, partNumber, warehouse)
}

// StockItemsOf lists a part's items in every warehouse, by warehouse; none
// is an empty list.
func (s *Store) StockItemsOf(ctx context.Context, partNumber string) ([]StockItem, error) {
	items := []StockItem{}
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(`
		SELECT `+stockItemColumns+` FROM stock_items WHERE part_number = ? ORDER BY warehouse`), partNumber); err != nil {
		return nil, err
	}
	for i := range items {
		items[i] = items[i].fill()
	}
	return items, nil
}

// StockFilter selects items; empty fields do not filter. BelowReorder keeps
// the items with less on hand than their reorder level.
type StockFilter struct {
	PartNumber, Warehouse, Kind string
	BelowReorder                bool
	// Limit is the page size (100 when not positive); Cursor continues
	// after a previous page.
	Limit  int
	Cursor string
}

// StockItemPage is one page of items, by part number and warehouse.
type StockItemPage struct {
	Items      []StockItem `json:"items"`
	NextCursor string      `json:"next_cursor,omitempty"`
}

// stockCursorSep joins an item's key in a cursor; PostgreSQL's TEXT cannot
// hold it, so no key contains it.
const stockCursorSep = "\x00"

// ListStockItems answers a page of items matching f, ordered by part number
// and warehouse.
func (s *Store) ListStockItems(ctx context.Context, f StockFilter) (StockItemPage, error) {
	if f.Limit <= 0 {
		f.Limit = 100
	}
	var w filters
	w.eq("part_number", f.PartNumber)
	w.eq("warehouse", f.Warehouse)
	w.eq("kind", f.Kind)
	if f.BelowReorder {
		w.add("on_hand < reorder_level")
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return StockItemPage{}, err
		}
		part, warehouse, ok := strings.Cut(c.ID, stockCursorSep)
		if !ok {
			return StockItemPage{}, ErrBadCursor
		}
		w.add("(part_number, warehouse) > (?, ?)", part, warehouse)
	}
	q := `SELECT ` + stockItemColumns + ` FROM stock_items`
	if len(w.conds) > 0 {
		q += " WHERE " + strings.Join(w.conds, " AND ")
	}
	q += " ORDER BY part_number, warehouse LIMIT ?"
	var items []StockItem
	if err := s.db.SelectContext(ctx, &items, s.db.Rebind(q), append(w.args, f.Limit+1)...); err != nil {
		return StockItemPage{}, err
	}
	page := StockItemPage{Items: []StockItem{}}
	for i, item := range items {
		if i == f.Limit {
			last := items[i-1]
			page.NextCursor = encodeCursor(cursor{ID: last.PartNumber + stockCursorSep + last.Warehouse})
			break
		}
		page.Items = append(page.Items, item.fill())
	}
	return page, nil
}
