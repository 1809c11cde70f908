package console_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// countCases is how many cases the store holds, to show a refused form
// changed nothing.
func countCases(t *testing.T, s *site) int {
	page, err := s.store.ListCases(t.Context(), store.CaseFilter{Limit: 200})
	require.NoError(t, err)
	return len(page.Cases)
}

// registerForm is a registration that the API would refuse for its fields
// (no description) before any workflow is asked: a form the CSRF check lets
// through is seen by its 400 and field problem.
func registerForm(csrf string) url.Values {
	return url.Values{"csrf_token": {csrf}, "idempotency_key": {"k-1"}, "customer_id": {"C-1"},
		"customer_name": {"Acme"}, "contact_name": {"Li"}, "severity": {"severe"}}
}

func TestAFormPostWithoutItsSessionsCSRFTokenIsRefused(t *testing.T) {
	for _, backend := range storetest.Backends(t) {
		t.Run(backend.Name, func(t *testing.T) {
			s := newSite(t, backend.URL, true)
			agent := s.users["after_sales/agent"]
			alice, bob := s.browser(t), s.browser(t)
			alice.signIn(agent)
			bob.signIn(s.users["branch_office/agent"])
			aliceToken := alice.csrf()

			for name, post := range map[string]func() (int, string){
				"no token":    func() (int, string) { return alice.post("/console/register", registerForm("")) },
				"wrong token": func() (int, string) { return alice.post("/console/register", registerForm("forged")) },
				// Bob's session with Alice's token: a token is good only
				// for the session it was issued to.
				"another user's token": func() (int, string) {
					return bob.post("/console/register", registerForm(aliceToken))
				},
			} {
				t.Run(name, func(t *testing.T) {
					status, page := post()
					require.Equal(t, http.StatusForbidden, status)
					require.Contains(t, page, "This form has expired")
					require.Zero(t, countCases(t, s))
				})
			}

			// The same form with the session's own token reaches the API,
			// which names the missing field.
			status, page := alice.post("/console/register", registerForm(aliceToken))
			require.Equal(t, http.StatusBadRequest, status)
			require.True(t, contains(page, `data-field="description"`, "is required"))
			require.Zero(t, countCases(t, s))
		})
	}
}

func TestAfterSignOutTheSessionIsGoneServerSide(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	b := s.browser(t)
	b.signIn(s.users["after_sales/agent"])
	token := b.csrf()
	// Keep the cookie as an attacker who copied it would.
	u, _ := url.Parse(b.base)
	stolen := b.client.Jar.Cookies(u)
	require.NotEmpty(t, stolen)

	status, _ := b.post("/console/signout", url.Values{"csrf_token": {token}})
	require.Equal(t, http.StatusSeeOther, status)

	replay := s.browser(t)
	replay.client.Jar.SetCookies(u, stolen)
	status, page := replay.post("/console/register", registerForm(token))
	require.Equal(t, http.StatusUnauthorized, status)
	require.Contains(t, page, "Your session has ended")
	status, _ = replay.get("/console/cases")
	require.Equal(t, http.StatusSeeOther, status, "a page without a session goes to sign-in")
	require.Zero(t, countCases(t, s))
}

func TestTheDevSignInExistsOnlyUnderDev(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, false)
	b := s.browser(t)
	status, page := b.get("/console/signin")
	require.Equal(t, http.StatusOK, status)
	require.NotContains(t, page, "/console/signin/dev")
	require.NotContains(t, page, s.users["after_sales/agent"].ID)

	status, _ = b.post("/console/signin/dev", url.Values{"user_id": {s.users["after_sales/admin"].ID}})
	require.Equal(t, http.StatusNotFound, status)
	u, _ := url.Parse(b.base)
	require.Empty(t, b.client.Jar.Cookies(u), "no session was started")
}

func TestSessionCookieIsHttpOnlyAndLax(t *testing.T) {
	s := newSite(t, storetest.SQLite(t).URL, true)
	resp, err := s.browser(t).client.PostForm(s.srv.URL+"/console/signin/dev", url.Values{"user_id": {s.users["quality/approver"].ID}})
	require.NoError(t, err)
	defer resp.Body.Close()
	var found bool
	for _, c := range resp.Cookies() {
		if c.Name == "caseflow_session" {
			found = true
			require.True(t, c.HttpOnly)
			require.Equal(t, http.SameSiteLaxMode, c.SameSite)
			require.Positive(t, c.MaxAge)
		}
	}
	require.True(t, found)
}
