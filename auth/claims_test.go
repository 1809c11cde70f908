package auth_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
)

func TestPrincipalFromClaims(t *testing.T) {
	names := auth.ClaimNames{Department: "department", Roles: "roles", Name: "name"}
	tests := []struct {
		name   string
		claims map[string]any
		want   auth.Principal
	}{
		{"list of roles", map[string]any{"name": "Li Wei", "department": "quality", "roles": []any{"engineer", "approver"}},
			auth.Principal{UserID: "u1", Name: "Li Wei", Department: auth.Quality, Roles: []auth.Role{auth.Engineer, auth.Approver}}},
		{"space-separated roles", map[string]any{"department": "sales", "roles": "agent supervisor"},
			auth.Principal{UserID: "u1", Name: "u1", Department: auth.Sales, Roles: []auth.Role{auth.Agent, auth.Supervisor}}},
		{"unknown values dropped", map[string]any{"department": "marketing", "roles": []any{"agent", "wizard", 7}},
			auth.Principal{UserID: "u1", Name: "u1", Roles: []auth.Role{auth.Agent}}},
		{"no claims", map[string]any{}, auth.Principal{UserID: "u1", Name: "u1"}},
		{"wrong shapes", map[string]any{"name": 1, "department": []any{"sales"}, "roles": map[string]any{"agent": true}},
			auth.Principal{UserID: "u1", Name: "u1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, auth.PrincipalFromClaims(tt.claims, "u1", names))
		})
	}
}
