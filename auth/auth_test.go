package auth_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
)

func TestAuthorize(t *testing.T) {
	tests := []struct {
		name    string
		p       auth.Principal
		action  auth.Action
		allowed bool
		need    string
	}{
		{"after-sales agent registers", auth.Principal{Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}}, auth.RegisterComplaint, true, ""},
		{"branch office agent registers", auth.Principal{Department: auth.BranchOffice, Roles: []auth.Role{auth.Agent}}, auth.RegisterComplaint, true, ""},
		{"sales agent may not register", auth.Principal{Department: auth.Sales, Roles: []auth.Role{auth.Agent}}, auth.RegisterComplaint, false,
			"role agent or supervisor in department after_sales or branch_office"},
		{"approver of any department approves", auth.Principal{Department: auth.Quality, Roles: []auth.Role{auth.Approver}}, auth.StepApproval, true, ""},
		{"an agent does not approve", auth.Principal{Department: auth.Quality, Roles: []auth.Role{auth.Agent}}, auth.StepApproval, false, "role approver"},
		{"an engineer of any department reports progress", auth.Principal{Department: auth.Technical, Roles: []auth.Role{auth.Engineer}}, auth.StepProgress, true, ""},
		{"admin manages users only", auth.Principal{Department: auth.AfterSales, Roles: []auth.Role{auth.Admin}}, auth.ReadComplaints, false,
			"role agent or approver or engineer or supervisor"},
		{"admin manages users", auth.Principal{Department: auth.Sales, Roles: []auth.Role{auth.Admin}}, auth.ManageUsers, true, ""},
		{"no roles, nothing", auth.Principal{Department: auth.AfterSales}, auth.ReadComplaints, false, "role agent"},
		{"an action missing from the table is refused", auth.Principal{Roles: []auth.Role{auth.Admin}}, auth.Action("nope"), false, "a rule in the policy table"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := auth.Authorize(tt.p, tt.action)
			if tt.allowed {
				require.NoError(t, err)
				return
			}
			var forbidden *auth.ForbiddenError
			require.ErrorAs(t, err, &forbidden)
			require.Contains(t, forbidden.Need, tt.need)
		})
	}
}

func TestAuthenticateTokens(t *testing.T) {
	token, hash, hint, err := auth.NewToken()
	require.NoError(t, err)
	require.Equal(t, auth.HashToken(token), hash)
	require.True(t, len(token) > 40 && token[:3] == "cf_" && token[:len(hint)] == hint)

	alice := auth.Principal{UserID: "u1", Name: "Alice", Department: auth.AfterSales, Roles: []auth.Role{auth.Agent}}
	a := &auth.Authenticator{Tokens: func(_ context.Context, h string) (auth.Principal, error) {
		if h == hash {
			return alice, nil
		}
		return auth.Principal{}, auth.ErrUnauthenticated
	}}
	got, err := a.Authenticate(t.Context(), "Bearer "+token)
	require.NoError(t, err)
	require.Equal(t, alice, got)
	got, err = a.Authenticate(t.Context(), "bearer  "+token+" ")
	require.NoError(t, err, "the scheme is case-insensitive and spaces are trimmed")
	require.Equal(t, alice, got)

	for _, header := range []string{"", "Bearer", "Bearer ", "Basic " + token, token, "Bearer cf_unknown", "Bearer a.b.c"} {
		_, err := a.Authenticate(t.Context(), header)
		require.ErrorIs(t, err, auth.ErrUnauthenticated, "header %q", header)
	}
}
