package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/caseflow/caseflow/sla"
)

// Contract overrides its customer's SLA policy for complaints under it.
type Contract struct {
	Number     string    `json:"number" db:"number"`
	CustomerID string    `json:"customer_id" db:"customer_id"`
	SLAPolicy  string    `json:"sla_policy" db:"sla_policy"`
	UpdatedAt  time.Time `json:"updated_at" db:"updated_at"`
}

// PutContract creates or replaces a contract and returns it as stored.
func (s *Store) PutContract(ctx context.Context, c Contract) (Contract, error) {
	c.UpdatedAt = utc(time.Now())
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO contracts (number, customer_id, sla_policy, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (number) DO UPDATE SET customer_id = excluded.customer_id, sla_policy = excluded.sla_policy,
			updated_at = excluded.updated_at`),
		c.Number, c.CustomerID, c.SLAPolicy, c.UpdatedAt)
	return c, err
}

// ErrUnknownContract: a complaint names a contract number that is not one
// of its customer's contracts.
var ErrUnknownContract = errors.New("no such contract of this customer")

// PolicyFor returns the policy in force for a new complaint: the contract's,
// else the customer's, else "standard". A contract number that is not the
// customer's is ErrUnknownContract.
func (s *Store) PolicyFor(ctx context.Context, customerID, contractNumber string) (sla.Policy, error) {
	name := sla.Standard().Name
	var named string
	if contractNumber != "" {
		err := s.db.GetContext(ctx, &named, s.db.Rebind(`SELECT sla_policy FROM contracts WHERE number = ? AND customer_id = ?`),
			contractNumber, customerID)
		if errors.Is(err, sql.ErrNoRows) {
			return sla.Policy{}, ErrUnknownContract
		}
		if err != nil {
			return sla.Policy{}, err
		}
	}
	if named == "" {
		err := s.db.GetContext(ctx, &named, s.db.Rebind(`SELECT sla_policy FROM customers WHERE id = ?`), customerID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return sla.Policy{}, err
		}
	}
	if named != "" {
		name = named
	}
	return s.GetPolicy(ctx, name)
}
