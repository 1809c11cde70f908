package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/sla"
)

// Customer is an entry of the customer archive, naming its SLA policy.
type Customer struct {
	ID        string    `json:"id" db:"id"`
	Name      string    `json:"name" db:"name"`
	SLAPolicy string    `json:"sla_policy" db:"sla_policy"`
	UpdatedAt time.Time `json:"updated_at" db:"updated_at"`
}

// Contract overrides its customer's SLA policy for complaints under it.
type Contract struct {
	Number     string    `json:"number" db:"number"`
	CustomerID string    `json:"customer_id" db:"customer_id"`
	SLAPolicy  string    `json:"sla_policy" db:"sla_policy"`
	UpdatedAt  time.Time `json:"updated_at" db:"updated_at"`
}

// EnsurePolicies adds the policies that do not exist yet and leaves edited
// ones alone, so built-in defaults can be seeded at every start.
func (s *Store) EnsurePolicies(ctx context.Context, policies ...sla.Policy) error {
	for _, p := range policies {
		raw, err := json.Marshal(p)
		if err != nil {
			return err
		}
		if _, err := s.db.ExecContext(ctx, s.db.Rebind(`
			INSERT INTO sla_policies (name, policy, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (name) DO NOTHING`), p.Name, string(raw), utc(time.Now())); err != nil {
			return fmt.Errorf("seed policy %s: %w", p.Name, err)
		}
	}
	return nil
}

// PutPolicy creates or replaces a policy. Running cases keep the copy they
// took at registration.
func (s *Store) PutPolicy(ctx context.Context, p sla.Policy) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO sla_policies (name, policy, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET policy = excluded.policy, updated_at = excluded.updated_at`),
		p.Name, string(raw), utc(time.Now()))
	return err
}

// GetPolicy returns a policy by name, or ErrNotFound.
func (s *Store) GetPolicy(ctx context.Context, name string) (sla.Policy, error) {
	var p sla.Policy
	err := s.getJSON(ctx, &p, `SELECT policy FROM sla_policies WHERE name = ?`, name)
	return p, err
}

// ListPolicies returns every policy by name.
func (s *Store) ListPolicies(ctx context.Context) ([]sla.Policy, error) {
	var names []string
	if err := s.db.SelectContext(ctx, &names, `SELECT name FROM sla_policies ORDER BY name`); err != nil {
		return nil, err
	}
	policies := make([]sla.Policy, 0, len(names))
	for _, n := range names {
		p, err := s.GetPolicy(ctx, n)
		if err != nil {
			return nil, err
		}
		policies = append(policies, p)
	}
	return policies, nil
}

// PutCustomer creates or replaces a customer.
func (s *Store) PutCustomer(ctx context.Context, c Customer) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO customers (id, name, sla_policy, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET name = excluded.name, sla_policy = excluded.sla_policy, updated_at = excluded.updated_at`),
		c.ID, c.Name, c.SLAPolicy, utc(time.Now()))
	return err
}

// GetCustomer returns a customer, or ErrNotFound.
func (s *Store) GetCustomer(ctx context.Context, id string) (Customer, error) {
	var c Customer
	err := s.db.GetContext(ctx, &c, s.db.Rebind(`SELECT id, name, sla_policy, updated_at FROM customers WHERE id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	c.UpdatedAt = c.UpdatedAt.UTC()
	return c, err
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

// UsersWithRole returns the users of a department holding role.
func (s *Store) UsersWithRole(ctx context.Context, role, department string) ([]User, error) {
	var rows []userRow
	// Roles are few and comma-separated; matching in Go keeps the query portable.
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT `+userColumns+` FROM users u WHERE u.department = ? ORDER BY u.id`),
		department); err != nil {
		return nil, err
	}
	var users []User
	for _, r := range rows {
		u := r.user()
		for _, have := range u.Roles {
			if have == role {
				users = append(users, u)
				break
			}
		}
	}
	return users, nil
}
