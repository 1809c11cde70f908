package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jmoiron/sqlx"
)

// ImportCounts says what an import did: rows new to the store, rows that
// changed it, rows already as they were (which it left alone, so importing
// a file twice changes nothing the second time).
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// importBatch is how many keys one query looks up.
const importBatch = 500

// ImportCustomers writes customers all or nothing, each created or replaced
// unless the store holds it as it is.
func (s *Store) ImportCustomers(ctx context.Context, customers []Customer) (ImportCounts, error) {
	return importAll(ctx, s, customers, func(c Customer) string { return c.ID },
		func(ctx context.Context, tx *sqlx.Tx, ids []string) (map[string]Customer, error) {
			var rows []customerRow
			if err := selectIn(ctx, tx, &rows, `SELECT `+customerColumns+` FROM customers WHERE id IN (?)`, ids); err != nil {
				return nil, err
			}
			out := map[string]Customer{}
			for _, r := range rows {
				c, err := r.customer()
				if err != nil {
					return nil, err
				}
				out[c.ID] = c
			}
			return out, nil
		},
		func(old, c Customer) bool { return old.Same(c.CustomerBody) },
		func(ctx context.Context, tx *sqlx.Tx, c Customer) error {
			_, err := putCustomer(ctx, tx, c, true)
			return err
		})
}

// ImportEquipment writes equipment all or nothing, each created or replaced
// unless the store holds it as it is. The caller has checked its customers
// and sites.
func (s *Store) ImportEquipment(ctx context.Context, equipment []Equipment) (ImportCounts, error) {
	now := utc(time.Now())
	return importAll(ctx, s, equipment, func(e Equipment) string { return e.Serial },
		func(ctx context.Context, tx *sqlx.Tx, serials []string) (map[string]Equipment, error) {
			var rows []equipmentRow
			if err := selectIn(ctx, tx, &rows, `SELECT `+equipmentColumns+` FROM equipment WHERE serial IN (?)`, serials); err != nil {
				return nil, err
			}
			out := map[string]Equipment{}
			for _, r := range rows {
				e, err := r.equipment()
				if err != nil {
					return nil, err
				}
				out[e.Serial] = e
			}
			return out, nil
		},
		func(old, e Equipment) bool { return old.CustomerID == e.CustomerID && old.Same(e.EquipmentBody) },
		func(ctx context.Context, tx *sqlx.Tx, e Equipment) error {
			if e.Consumables == nil {
				e.Consumables = []string{}
			}
			consumables, err := json.Marshal(e.Consumables)
			if err != nil {
				return err
			}
			e.UpdatedAt = now
			return insertEquipment(ctx, tx, e, true, consumables)
		})
}

// importAll writes items in one transaction, in batches: it loads the
// stored ones by key and writes those that are new or differ.
func importAll[T any](ctx context.Context, s *Store, items []T, key func(T) string,
	load func(context.Context, *sqlx.Tx, []string) (map[string]T, error), same func(old, item T) bool,
	write func(context.Context, *sqlx.Tx, T) error,
) (ImportCounts, error) {
	var counts ImportCounts
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		counts = ImportCounts{}
		for start := 0; start < len(items); start += importBatch {
			batch := items[start:min(start+importBatch, len(items))]
			keys := make([]string, len(batch))
			for i, item := range batch {
				keys[i] = key(item)
			}
			existing, err := load(ctx, tx, keys)
			if err != nil {
				return err
			}
			for _, item := range batch {
				old, found := existing[key(item)]
				switch {
				case found && same(old, item):
					counts.Unchanged++
					continue
				case found:
					counts.Updated++
				default:
					counts.Created++
				}
				if err := write(ctx, tx, item); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return counts, err
}

// selectIn runs a query with one IN (?) list.
func selectIn(ctx context.Context, tx *sqlx.Tx, dst any, q string, values []string) error {
	q, args, err := sqlx.In(q, values)
	if err != nil {
		return err
	}
	return tx.SelectContext(ctx, dst, tx.Rebind(q), args...)
}

// CustomersByID returns the customers among ids that exist, by id.
func (s *Store) CustomersByID(ctx context.Context, ids []string) (map[string]Customer, error) {
	out := map[string]Customer{}
	for start := 0; start < len(ids); start += importBatch {
		batch := ids[start:min(start+importBatch, len(ids))]
		q, args, err := sqlx.In(`SELECT `+customerColumns+` FROM customers WHERE id IN (?)`, batch)
		if err != nil {
			return nil, err
		}
		var rows []customerRow
		if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(q), args...); err != nil {
			return nil, err
		}
		for _, r := range rows {
			c, err := r.customer()
			if err != nil {
				return nil, err
			}
			out[c.ID] = c
		}
	}
	return out, nil
}

// ExistingUsers returns which of ids are users, for an import's
// references.
func (s *Store) ExistingUsers(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := sqlx.In(`SELECT id FROM users WHERE id IN (?)`, ids)
	if err != nil {
		return nil, err
	}
	var found []string
	if err := s.db.SelectContext(ctx, &found, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}
