package accounts

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/store"
)

// DemoUser is one entry of dev-users.json.
type DemoUser struct {
	Name       string   `json:"name"`
	Department string   `json:"department"`
	Roles      []string `json:"roles"`
	Token      string   `json:"token"`
}

// SeedDemoUsers creates, on a store without users, one user per department
// and case role plus one admin, and writes them with their tokens to path so
// a newcomer can try every step at once. With users present it does nothing
// and returns nil.
func SeedDemoUsers(ctx context.Context, st *store.Store, path string) ([]DemoUser, error) {
	existing, err := st.ListUsers(ctx)
	if err != nil || len(existing) > 0 {
		return nil, err
	}
	var demo []DemoUser
	add := func(department auth.Department, role auth.Role) error {
		in := NewUser{Name: fmt.Sprintf("Demo %s %s", department, role), Department: string(department), Roles: []string{string(role)}}
		u, token, err := Create(ctx, st, in, "caseflow dev")
		if err != nil {
			return err
		}
		demo = append(demo, DemoUser{Name: u.Name, Department: u.Department, Roles: u.Roles, Token: token})
		return nil
	}
	for _, d := range auth.Departments {
		for _, r := range []auth.Role{auth.Agent, auth.Approver, auth.Engineer, auth.Supervisor} {
			if err := add(d, r); err != nil {
				return nil, err
			}
		}
	}
	if err := add(auth.AfterSales, auth.Admin); err != nil {
		return nil, err
	}
	raw, err := json.MarshalIndent(demo, "", "  ")
	if err != nil {
		return nil, err
	}
	// The file holds secrets: readable by its owner only.
	if err := os.WriteFile(path, append(raw, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("write %s: %w", path, err)
	}
	return demo, nil
}
