package console_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestEveryConsoleRouteIsAuthorizedByTheTable signs in as every department
// and role and asks every signed route: it is refused as forbidden exactly
// when auth.Policy refuses the route's action.
func TestEveryConsoleRouteIsAuthorizedByTheTable(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	var con console.Console
	routes := con.Routes()
	for key, u := range s.users {
		b := s.browser(t)
		b.signIn(u)
		p := auth.Principal{UserID: u.ID, Department: auth.Department(u.Department), Roles: []auth.Role{auth.Role(u.Roles[0])}}
		for _, rt := range routes {
			if rt.Access != console.Signed {
				continue
			}
			path := strings.NewReplacer(":id", "unknown-id").Replace(rt.Path)
			var status int
			var page string
			if rt.Method == http.MethodGet {
				status, page = b.get(path)
			} else {
				// Without the CSRF token: a route the table allows then
				// answers the CSRF refusal, one it forbids the forbidden one.
				status, page = b.post(path, url.Values{})
			}
			forbidden := status == http.StatusForbidden && strings.Contains(page, "You may not do this")
			want := auth.Authorize(p, rt.Action) != nil
			require.Equal(t, want, forbidden, "%s %s as %s: %d", rt.Method, rt.Path, key, status)
		}
	}
}
