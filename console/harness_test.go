package console_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
)

// site is the API and the console on one router over a real store, without
// Temporal: enough for what the console answers before a workflow is asked
// (sessions, CSRF, authorization, validation, reads).
type site struct {
	srv   *httptest.Server
	store *store.Store
	// tap stands between the console and the API it calls in-process, so
	// that a test can see (and answer) what a page sends.
	tap   *apiTap
	users map[string]store.User // by "department/role"
}

func newSite(t testing.TB, dbURL string, dev bool) *site {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, dbURL)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	con, err := console.New(console.Deps{Store: st, Logger: logger, DevSignIn: dev})
	require.NoError(t, err)
	router := server.NewRouter(server.Deps{Store: st, Logger: logger, Metrics: prometheus.NewRegistry(),
		Auth: &auth.Authenticator{Tokens: func(ctx context.Context, hash string) (auth.Principal, error) {
			return auth.Principal{}, auth.ErrUnauthenticated
		}}, Console: con})
	s := &site{tap: &apiTap{next: router}, store: st, users: map[string]store.User{}}
	con.UseAPI(s.tap) // before the server starts: no request runs yet
	s.srv = httptest.NewServer(router)
	t.Cleanup(s.srv.Close)
	for _, d := range auth.Departments {
		for _, r := range auth.Roles {
			u := store.User{ID: string(d) + "-" + string(r), Name: "Test " + string(d) + " " + string(r),
				Department: string(d), Roles: []string{string(r)}}
			require.NoError(t, st.CreateUser(ctx, u, store.TokenSecret{ID: u.ID, Hash: u.ID, Hint: "t"}, "test"))
			s.users[string(d)+"/"+string(r)] = u
		}
	}
	return s
}

// browser is one user agent with its own cookies; redirects are not followed,
// so a test sees each answer.
type browser struct {
	t      testing.TB
	client *http.Client
	base   string
}

func (s *site) browser(t testing.TB) *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &browser{t: t, base: s.srv.URL, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// signIn signs in through the dev sign-in page.
func (b *browser) signIn(u store.User) {
	b.t.Helper()
	status, _ := b.post("/console/signin/dev", url.Values{"user_id": {u.ID}})
	require.Equal(b.t, http.StatusSeeOther, status)
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.client.Get(b.base + path)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp.StatusCode, string(raw)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	b.t.Helper()
	resp, err := b.client.PostForm(b.base+path, form)
	require.NoError(b.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(b.t, err)
	return resp.StatusCode, string(raw)
}

var csrfPattern = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf reads the CSRF token from a page of the session.
func (b *browser) csrf() string {
	b.t.Helper()
	_, page := b.get("/console/cases")
	m := csrfPattern.FindStringSubmatch(page)
	require.NotNil(b.t, m, "no CSRF token on the page")
	return m[1]
}

func contains(page string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(page, p) {
			return false
		}
	}
	return true
}

func newBenchSite(b *testing.B, dbURL string) *site { return newSite(b, dbURL, true) }

// benchBrowser is a browser signed in as the user with that key.
func (s *site) benchBrowser(b *testing.B, user string) *browser {
	br := s.browser(b)
	br.signIn(s.users[user])
	return br
}

// status gets a page and answers its status, reading the whole body.
func (b *browser) status(path string) int {
	status, _ := b.get(path)
	return status
}

// apiTap passes the console's in-process API calls on, save those its
// intercept answers (returning true).
type apiTap struct {
	next      http.Handler
	mu        sync.Mutex
	intercept func(w http.ResponseWriter, r *http.Request) bool
}

func (a *apiTap) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	intercept := a.intercept
	a.mu.Unlock()
	if intercept != nil && intercept(w, r) {
		return
	}
	a.next.ServeHTTP(w, r)
}

// answer has the API's answers to requests that match come from f, until
// the test ends.
func (a *apiTap) answer(t testing.TB, f func(w http.ResponseWriter, r *http.Request) bool) {
	a.mu.Lock()
	a.intercept = f
	a.mu.Unlock()
	t.Cleanup(func() {
		a.mu.Lock()
		a.intercept = nil
		a.mu.Unlock()
	})
}
