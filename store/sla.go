package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/caseflow/caseflow/sla"
)

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
