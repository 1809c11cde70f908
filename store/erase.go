package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Customer erasure (migration 00018): a customer's personal data is
// overwritten with ErasedMarker wherever the store keeps it, in one
// transaction, and the data keys of the customer's workflows are destroyed,
// so that their Temporal histories can no longer be read. What the monthly
// figures count (ids, numbers, dates, categories, severities, stages,
// departments, parts, root causes, scores) stays. Which JSON fields are
// personal is erase_scrub.go's one list; the processes are
// erase_processes.go's, the tables erase_tables.go's.

// ErasedMarker stands where an erased customer's personal data was (the
// design's payloadcrypt.ErasedMarker is the same text).
const ErasedMarker = "[erased]"

// Erasure is a customer's erasure: when, by whom (a user id), and the
// workflows whose data keys it destroyed. Repeated is set on the answer to
// a second erasure, which changes nothing and answers the first.
type Erasure struct {
	CustomerID  string    `json:"customer_id"`
	ErasedAt    time.Time `json:"erased_at"`
	ErasedBy    string    `json:"erased_by"`
	WorkflowIDs []string  `json:"workflow_ids"`
	Repeated    bool      `json:"repeated"`
}

// OpenProcessesError refuses the erasure of a customer whose processes
// still run: a running workflow would write the data back.
type OpenProcessesError struct {
	// WorkflowIDs are the workflows still running, sorted.
	WorkflowIDs []string
}

func (e *OpenProcessesError) Error() string {
	return fmt.Sprintf("the customer has %d processes still running: %s", len(e.WorkflowIDs),
		strings.Join(e.WorkflowIDs, ", "))
}

// EraseCustomer erases a customer (ErrNotFound when the archive does not
// know it), recording actor, reason and at. A customer with a process
// still open in the store (a complaint neither closed nor terminated, an
// open follow-up or one awaiting its survey, unanswered feedback, an RMA
// not rejected or completed) is refused with *OpenProcessesError and
// nothing changes. A customer erased before answers that erasure, Repeated.
func (s *Store) EraseCustomer(ctx context.Context, customerID, actor, reason string, at time.Time) (Erasure, error) {
	e := Erasure{CustomerID: customerID, ErasedAt: utc(at), ErasedBy: actor}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var cu customerRow
		err := tx.GetContext(ctx, &cu, tx.Rebind(`SELECT `+customerColumns+` FROM customers WHERE id = ?`), customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		// The record first: a concurrent erasure of the same customer waits
		// here for this one and then finds it.
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO customer_erasures (customer_id, erased_at, erased_by, reason) VALUES (?, ?, ?, ?)
			ON CONFLICT (customer_id) DO NOTHING`), customerID, e.ErasedAt, actor, reason)
		if err != nil {
			return err
		}
		p, err := processesOf(ctx, tx, customerID)
		if err != nil {
			return err
		}
		e.WorkflowIDs = p.workflowIDs()
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			first, err := erasureRow(ctx, tx, customerID)
			if err != nil {
				return err
			}
			e = first
			e.WorkflowIDs, e.Repeated = p.workflowIDs(), true
			return nil
		}
		if open := p.open(); len(open) > 0 {
			return &OpenProcessesError{WorkflowIDs: open}
		}
		if err := scrubCustomer(ctx, tx, cu); err != nil {
			return err
		}
		if err := scrubProcesses(ctx, tx, customerID, p); err != nil {
			return err
		}
		if err := destroyDataKeys(ctx, tx, e.WorkflowIDs, e.ErasedAt); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "customer.erased", customerID)
	})
	if err != nil {
		return Erasure{}, err
	}
	return e, nil
}

// CustomerErasure answers a customer's erasure, or ErrNotFound when the
// customer was not erased.
func (s *Store) CustomerErasure(ctx context.Context, customerID string) (Erasure, error) {
	e, err := erasureRow(ctx, s.db, customerID)
	if err != nil {
		return Erasure{}, err
	}
	p, err := processesOf(ctx, s.db, customerID)
	if err != nil {
		return Erasure{}, err
	}
	e.WorkflowIDs = p.workflowIDs()
	return e, nil
}

// CustomerWorkflowIDs lists the workflows of a customer's processes
// (complaints, follow-ups, feedback, RMAs), sorted: those whose data keys
// an erasure destroys.
func (s *Store) CustomerWorkflowIDs(ctx context.Context, customerID string) ([]string, error) {
	p, err := processesOf(ctx, s.db, customerID)
	if err != nil {
		return nil, err
	}
	return p.workflowIDs(), nil
}

// queryer reads, in a transaction or not.
type queryer interface {
	sqlx.QueryerContext
	Rebind(string) string
}

func erasureRow(ctx context.Context, q queryer, customerID string) (Erasure, error) {
	var row struct {
		ErasedAt time.Time `db:"erased_at"`
		ErasedBy string    `db:"erased_by"`
	}
	err := sqlx.GetContext(ctx, q, &row, q.Rebind(`
		SELECT erased_at, erased_by FROM customer_erasures WHERE customer_id = ?`), customerID)
	if errors.Is(err, sql.ErrNoRows) {
		return Erasure{}, ErrNotFound
	}
	if err != nil {
		return Erasure{}, err
	}
	return Erasure{CustomerID: customerID, ErasedAt: row.ErasedAt.UTC(), ErasedBy: row.ErasedBy}, nil
}

// destroyDataKeys destroys the data keys of the workflows; a workflow
// without one gets a destroyed row, so that none is ever made for it.
func destroyDataKeys(ctx context.Context, tx *sqlx.Tx, workflowIDs []string, at time.Time) error {
	for _, id := range workflowIDs {
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO data_keys (workflow_id, wrap_key_id, wrapped, created_at, destroyed_at) VALUES (?, '', '', ?, ?)
			ON CONFLICT (workflow_id) DO UPDATE SET wrapped = '',
				destroyed_at = COALESCE(data_keys.destroyed_at, excluded.destroyed_at)`), id, at, at); err != nil {
			return fmt.Errorf("destroy the data key of %s: %w", id, err)
		}
	}
	return nil
}
