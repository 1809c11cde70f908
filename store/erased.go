package store

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// Once a customer is erased, caseflow takes no new personal data for it:
// the API and the imports ask these before writing a customer, its
// equipment, or a process of it. Each is one read by customer_erasures'
// key.

// CustomerErased reports whether the customer was erased.
func (s *Store) CustomerErased(ctx context.Context, customerID string) (bool, error) {
	var n int
	err := s.db.GetContext(ctx, &n, s.db.Rebind(`SELECT COUNT(*) FROM customer_erasures WHERE customer_id = ?`),
		customerID)
	return n > 0, err
}

// ErasedCustomers answers those of the customers that were erased.
func (s *Store) ErasedCustomers(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += importBatch {
		q, args, err := sqlx.In(`SELECT customer_id FROM customer_erasures WHERE customer_id IN (?)`,
			ids[start:min(start+importBatch, len(ids))])
		if err != nil {
			return nil, err
		}
		var erased []string
		if err := s.db.SelectContext(ctx, &erased, s.db.Rebind(q), args...); err != nil {
			return nil, err
		}
		for _, id := range erased {
			out[id] = true
		}
	}
	return out, nil
}
