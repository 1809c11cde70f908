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
		want  map[string]string // nil when valid
	}{
		{"one role", []string{"agent"}, nil},
		{"every role once", []string{"agent", "approver", "engineer", "supervisor", "admin"}, nil},
		{"none", nil, map[string]string{"roles": "is required"}},
		{"empty", []string{}, map[string]string{"roles": "must not be empty"}},
		{"unknown", []string{"agent", "owner"},
			map[string]string{"roles[1]": "must be one of: agent, approver, engineer, supervisor, admin"}},
		{"repeated", []string{"agent", "approver", "agent"}, map[string]string{"roles": "must not repeat a value"}},
		{"ten thousand", slices.Repeat([]string{"agent"}, 10_000), map[string]string{"roles": "must not repeat a value"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := accounts.NewUser{Name: "Li Lei", Department: "after_sales", Roles: c.roles}
			problems := u.Validate()
			if c.want == nil {
				require.Empty(t, problems)
				return
			}
			require.Equal(t, c.want, problems)
		})
	}
}
