package console

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/store"
)

const testClientID, testClientSecret = "caseflow-console", "s3cret"

// fakeIdP is an OpenID Connect provider in the test process: discovery,
// keys, an authorization endpoint that signs in at once and a token
// endpoint that checks the code, the client and the PKCE verifier.
type fakeIdP struct {
	srv *httptest.Server
	key *rsa.PrivateKey
	// claims edits each ID token before it is signed.
	claims func(jwt.MapClaims)

	mu    sync.Mutex
	codes map[string]grant
}

// grant is what the authorization endpoint remembers of a code.
type grant struct{ nonce, challenge, redirect string }

func newFakeIdP(t *testing.T) *fakeIdP {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	p := &fakeIdP{key: key, codes: map[string]grant{}, claims: func(jwt.MapClaims) {}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("GET /jwks", p.jwks)
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (p *fakeIdP) discovery(w http.ResponseWriter, _ *http.Request) {
	u := p.srv.URL
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": u, "authorization_endpoint": u + "/authorize", "token_endpoint": u + "/token",
		"jwks_uri": u + "/jwks", "response_types_supported": []string{"code"},
		"subject_types_supported": []string{"public"}, "id_token_signing_alg_values_supported": []string{"RS256"},
		"code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *fakeIdP) jwks(w http.ResponseWriter, _ *http.Request) {
	b64 := base64.RawURLEncoding.EncodeToString
	writeJSON(w, http.StatusOK, map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
		"n": b64(p.key.N.Bytes()), "e": b64(big.NewInt(int64(p.key.E)).Bytes()),
	}}})
}

func (p *fakeIdP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != testClientID ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	p.mu.Lock()
	p.codes[code] = grant{nonce: q.Get("nonce"), challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	back.RawQuery = url.Values{"code": {code}, "state": {q.Get("state")}}.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

func (p *fakeIdP) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != testClientID || secret != testClientSecret {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "invalid_client"})
		return
	}
	p.mu.Lock()
	g, ok := p.codes[r.PostFormValue("code")]
	delete(p.codes, r.PostFormValue("code")) // single use
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if !ok || r.PostFormValue("grant_type") != "authorization_code" || r.PostFormValue("redirect_uri") != g.redirect ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "invalid_grant"})
		return
	}
	now := time.Now()
	claims := jwt.MapClaims{
		"iss": p.srv.URL, "sub": "user-42", "aud": testClientID, "exp": now.Add(5 * time.Minute).Unix(),
		"iat": now.Unix(), "nonce": g.nonce, "name": "Wang Fang", "department": "quality",
		"roles": []string{"engineer", "approver", "not-a-role"},
	}
	p.claims(claims)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "k1"
	signed, err := tok.SignedString(p.key)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": "at-" + rand.Text(), "token_type": "Bearer",
		"expires_in": 300, "id_token": signed})
}

// oidcConsole is a console with only what signing in needs: a migrated
// SQLite store, the OIDC routes and a bare error page, served on its own
// test server (the redirect URL needs its address).
type oidcConsole struct {
	c   *Console
	st  *store.Store
	srv *httptest.Server
	log *syncBuffer
}

// syncBuffer collects the console's log, written on the server's
// goroutines and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newOIDCConsole(t *testing.T, idp *fakeIdP) *oidcConsole {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, "sqlite:"+t.TempDir()+"/c.db")
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	require.NoError(t, st.Migrate(ctx))

	errorPage := template.Must(template.New("error").Parse(`{{define "layout"}}{{.Error}}{{end}}`))
	log := &syncBuffer{}
	c := &Console{store: st, logger: slog.New(slog.NewTextHandler(log, nil)), sessionTTL: time.Hour,
		now: time.Now, pages: map[string]*template.Template{"error": errorPage}}
	gin.SetMode(gin.TestMode)
	e := gin.New()
	for _, rt := range c.Routes() {
		if strings.HasPrefix(rt.Path, "/console/oidc/") {
			e.Handle(rt.Method, rt.Path, c.Handler(rt))
		}
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	if idp != nil {
		c.oidc, err = NewOIDC(ctx, OIDCConfig{Issuer: idp.srv.URL, ClientID: testClientID, ClientSecret: testClientSecret,
			RedirectURL: srv.URL + oidcCallbackPath})
		require.NoError(t, err)
	}
	return &oidcConsole{c: c, st: st, srv: srv, log: log}
}

// sessions counts the store's sessions, so a refused sign-in is seen to
// leave none behind.
func (oc *oidcConsole) sessions(t *testing.T) int {
	var n int
	require.NoError(t, oc.st.DB().GetContext(t.Context(), &n, `SELECT COUNT(*) FROM console_sessions`))
	return n
}

// browser follows no redirect by itself, so a test can see (and tamper
// with) each hop.
func newBrowser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, b *http.Client, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	require.NoError(t, err)
	resp, err := b.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	require.NoError(t, resp.Body.Close())
	return resp
}

// toProvider starts a sign-in and returns the provider's redirect back
// to the callback.
func toProvider(t *testing.T, b *http.Client, oc *oidcConsole) *url.URL {
	t.Helper()
	resp := get(t, b, oc.srv.URL+"/console/oidc/login")
	require.Equal(t, http.StatusFound, resp.StatusCode)
	authURL, err := resp.Location()
	require.NoError(t, err)
	q := authURL.Query()
	require.NotEmpty(t, q.Get("state"))
	require.NotEmpty(t, q.Get("nonce"))
	require.Equal(t, "S256", q.Get("code_challenge_method"))
	require.Equal(t, "openid profile email", q.Get("scope"))

	resp = get(t, b, authURL.String())
	require.Equal(t, http.StatusFound, resp.StatusCode)
	back, err := resp.Location()
	require.NoError(t, err)
	return back
}

func TestOIDCSignIn(t *testing.T) {
	idp := newFakeIdP(t)
	oc := newOIDCConsole(t, idp)
	b := newBrowser(t)

	resp := get(t, b, toProvider(t, b, oc).String())
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/console/", resp.Header.Get("Location"))

	var flowCleared bool
	for _, ck := range resp.Cookies() {
		if ck.Name == oidcCookie {
			flowCleared = ck.MaxAge < 0
		}
	}
	require.True(t, flowCleared, "the callback ends the flow cookie")

	consoleURL, _ := url.Parse(oc.srv.URL + "/console/")
	var id string
	for _, ck := range b.Jar.Cookies(consoleURL) {
		if ck.Name == sessionCookie {
			id = ck.Value
		}
	}
	require.NotEmpty(t, id, "signed in: the session cookie is set")
	s, err := oc.st.SessionByHash(t.Context(), hashID(id), time.Now())
	require.NoError(t, err)
	var p auth.Principal
	require.NoError(t, json.Unmarshal([]byte(s.Principal), &p))
	require.Equal(t, auth.Principal{UserID: "user-42", Name: "Wang Fang", Department: auth.Quality,
		Roles: []auth.Role{auth.Engineer, auth.Approver}}, p)
}

// TestOIDCRefused: every way a callback can fail refuses it and starts no
// session.
func TestOIDCRefused(t *testing.T) {
	tests := []struct {
		name   string
		claims func(jwt.MapClaims)
		// tamper edits the provider's redirect back to the callback.
		tamper func(*url.URL)
		status int
		// reason is what the log must say, so each case is refused for
		// its own fault and not another's.
		reason string
	}{
		{name: "wrong state", status: http.StatusUnauthorized, reason: "state mismatch", tamper: func(u *url.URL) {
			q := u.Query()
			q.Set("state", rand.Text())
			u.RawQuery = q.Encode()
		}},
		{name: "no state", status: http.StatusUnauthorized, reason: "state mismatch", tamper: func(u *url.URL) {
			q := u.Query()
			q.Del("state")
			u.RawQuery = q.Encode()
		}},
		{name: "unknown code", status: http.StatusUnauthorized, reason: "invalid_grant", tamper: func(u *url.URL) {
			q := u.Query()
			q.Set("code", rand.Text())
			u.RawQuery = q.Encode()
		}},
		{name: "provider error", status: http.StatusUnauthorized, reason: "provider error access_denied", tamper: func(u *url.URL) {
			u.RawQuery = url.Values{"error": {"access_denied"}, "state": {u.Query().Get("state")}}.Encode()
		}},
		{name: "wrong nonce", status: http.StatusUnauthorized, reason: "nonce mismatch", claims: func(c jwt.MapClaims) { c["nonce"] = rand.Text() }},
		{name: "no nonce", status: http.StatusUnauthorized, reason: "nonce mismatch", claims: func(c jwt.MapClaims) { delete(c, "nonce") }},
		{name: "wrong audience", status: http.StatusUnauthorized, reason: "expected audience", claims: func(c jwt.MapClaims) { c["aud"] = "another-app" }},
		{name: "issued to another party", status: http.StatusUnauthorized, reason: "azp", claims: func(c jwt.MapClaims) {
			c["aud"], c["azp"] = []string{testClientID, "another-app"}, "another-app"
		}},
		{name: "wrong issuer", status: http.StatusUnauthorized, reason: "issued by a different provider", claims: func(c jwt.MapClaims) { c["iss"] = "https://idp.example" }},
		{name: "expired", status: http.StatusUnauthorized, reason: "expired", claims: func(c jwt.MapClaims) { c["exp"] = time.Now().Add(-time.Minute).Unix() }},
		{name: "no valid role", status: http.StatusForbidden, reason: `no valid role in claim \"roles\" (2 values)`, claims: func(c jwt.MapClaims) { c["roles"] = []string{"wizard", "Agent"} }},
		{name: "no roles claim", status: http.StatusForbidden, reason: "(0 values)", claims: func(c jwt.MapClaims) { delete(c, "roles") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			idp := newFakeIdP(t)
			if tt.claims != nil {
				idp.claims = tt.claims
			}
			oc := newOIDCConsole(t, idp)
			b := newBrowser(t)
			back := toProvider(t, b, oc)
			if tt.tamper != nil {
				tt.tamper(back)
			}
			resp := get(t, b, back.String())
			require.Equal(t, tt.status, resp.StatusCode)
			for _, ck := range resp.Cookies() {
				require.NotEqual(t, sessionCookie, ck.Name)
			}
			require.Zero(t, oc.sessions(t))
			log := oc.log.String()
			require.Contains(t, log, tt.reason)
			// The log names no person and holds no token.
			require.NotContains(t, log, "Wang Fang")
			require.NotContains(t, log, "user-42")
			require.NotContains(t, log, "eyJ")
		})
	}
}

// TestOIDCCallbackOnce: the flow cookie is spent by its callback, so the
// same callback again (a reload, or someone replaying the URL) is refused.
func TestOIDCCallbackOnce(t *testing.T) {
	oc := newOIDCConsole(t, newFakeIdP(t))
	b := newBrowser(t)
	back := toProvider(t, b, oc)
	require.Equal(t, http.StatusSeeOther, get(t, b, back.String()).StatusCode)
	require.Equal(t, http.StatusUnauthorized, get(t, b, back.String()).StatusCode)
	require.Equal(t, 1, oc.sessions(t))

	// Another browser, without the flow cookie, gets nowhere with the URL.
	require.Equal(t, http.StatusUnauthorized, get(t, newBrowser(t), back.String()).StatusCode)
	require.Equal(t, 1, oc.sessions(t))
}

func TestOIDCNotConfigured(t *testing.T) {
	oc := newOIDCConsole(t, nil)
	for _, path := range []string{"/console/oidc/login", oidcCallbackPath + "?code=x&state=y"} {
		require.Equal(t, http.StatusNotFound, get(t, newBrowser(t), oc.srv.URL+path).StatusCode, path)
	}
}

func TestNewOIDCChecksConfig(t *testing.T) {
	idp := newFakeIdP(t)
	good := OIDCConfig{Issuer: idp.srv.URL, ClientID: testClientID, ClientSecret: testClientSecret,
		RedirectURL: "https://caseflow.example/console/oidc/callback"}
	tests := []struct {
		name string
		edit func(*OIDCConfig)
		ok   bool
	}{
		{"good", func(*OIDCConfig) {}, true},
		{"behind a path prefix", func(c *OIDCConfig) { c.RedirectURL = "https://example.com/caseflow/console/oidc/callback" }, true},
		{"no issuer", func(c *OIDCConfig) { c.Issuer = "" }, false},
		{"no client id", func(c *OIDCConfig) { c.ClientID = "" }, false},
		{"base URL only", func(c *OIDCConfig) { c.RedirectURL = "https://caseflow.example" }, false},
		{"relative", func(c *OIDCConfig) { c.RedirectURL = "/console/oidc/callback" }, false},
		{"issuer mismatch", func(c *OIDCConfig) { c.Issuer = idp.srv.URL + "/" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			_, err := NewOIDC(t.Context(), cfg)
			if tt.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}

// TestOIDCFlowCookie: the flow cookie lives ten minutes, only for the
// callback, out of scripts' reach, and Secure when the console is on TLS.
func TestOIDCFlowCookie(t *testing.T) {
	oc := newOIDCConsole(t, newFakeIdP(t))
	oc.c.secure = true
	resp := get(t, newBrowser(t), oc.srv.URL+"/console/oidc/login")
	require.Equal(t, http.StatusFound, resp.StatusCode)
	require.Len(t, resp.Cookies(), 1)
	ck := resp.Cookies()[0]
	require.Equal(t, oidcCookie, ck.Name)
	require.Equal(t, oidcCallbackPath, ck.Path)
	require.Equal(t, 600, ck.MaxAge)
	require.True(t, ck.HttpOnly)
	require.True(t, ck.Secure)
	require.Equal(t, http.SameSiteLaxMode, ck.SameSite)
}

// TestOIDCStoreDown: the provider vouched for the user but the session
// cannot be kept: the console says it is busy, not that signing in failed.
func TestOIDCStoreDown(t *testing.T) {
	oc := newOIDCConsole(t, newFakeIdP(t))
	b := newBrowser(t)
	back := toProvider(t, b, oc)
	require.NoError(t, oc.st.Close())
	require.Equal(t, http.StatusServiceUnavailable, get(t, b, back.String()).StatusCode)
	require.Contains(t, oc.log.String(), "console oidc sign-in: session")
}
