package accounts_test

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/accounts"
)

func TestNewUserRoles(t *testing.T) {
	cases := []struct {
		name  string
		roles []string
		want  string // "" when valid
	}{
		{"one role", []string{"agent"}, ""},
		{"every role once", []string{"agent", "approver", "engineer", "supervisor", "admin"}, ""},
		{"none", nil, "needs at least one role"},
		{"unknown", []string{"agent", "owner"}, "must be among: agent, approver, engineer, supervisor, admin"},
		{"repeated", []string{"agent", "approver", "agent"}, "must not repeat a role"},
		{"ten thousand", slices.Repeat([]string{"agent"}, 10_000), "must not repeat a role"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := accounts.NewUser{Name: "Li Lei", Department: "after_sales", Roles: c.roles}
			problems := u.Validate()
			if c.want == "" {
				require.Empty(t, problems)
				return
			}
			require.Equal(t, map[string]string{"roles": c.want}, problems)
		})
	}
}
