package console

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/caseflow/caseflow/auth"
)

// OIDCConfig names the identity provider the console signs users in at,
// with the authorization-code flow, and the ID token claims that carry a
// user's department, roles and display name (as auth.JWTConfig's do).
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is the console's public base URL + oidcCallbackPath, as
	// registered at the provider.
	RedirectURL string
	// Scopes asked for; empty means openid profile email.
	Scopes []string
	// Claim names; empty means department, roles and name.
	DepartmentClaim, RolesClaim, NameClaim string
}

const (
	oidcCallbackPath = "/console/oidc/callback"
	// oidcCookie carries one sign-in's state, nonce and PKCE verifier from
	// the login to the callback.
	oidcCookie = "caseflow_oidc"
	// oidcFlowTTL bounds a sign-in at the provider: long enough to type a
	// password and a second factor, short enough that a stale cookie dies.
	oidcFlowTTL = 10 * time.Minute
	// oidcTimeout bounds each call to the provider (discovery, token, keys),
	// so a hung provider does not hold a request forever.
	oidcTimeout = 15 * time.Second
)

// OIDC signs console users in at an OpenID Connect provider.
type OIDC struct {
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
	claims   auth.ClaimNames
	client   *http.Client
	// cookiePath is the callback's path as the browser sees it, which a
	// proxy may prefix.
	cookiePath string
}

// NewOIDC discovers the provider at cfg.Issuer (its
// /.well-known/openid-configuration); the keys are fetched when the first
// ID token arrives and again on an unknown key id.
func NewOIDC(ctx context.Context, cfg OIDCConfig) (*OIDC, error) {
	callback, err := cfg.check()
	if err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: oidcTimeout}
	provider, err := oidc.NewProvider(oidc.ClientContext(ctx, client), cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("OIDC: discovery at %s: %w", cfg.Issuer, err)
	}
	scopes := cfg.Scopes
	if len(scopes) == 0 {
		scopes = []string{oidc.ScopeOpenID, "profile", "email"}
	}
	return &OIDC{
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, RedirectURL: cfg.RedirectURL,
			Endpoint: provider.Endpoint(), Scopes: scopes},
		// The client id is the audience: a token the provider issued to
		// another application does not sign anyone in here.
		verifier: provider.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		claims: auth.ClaimNames{Department: oidcDefault(cfg.DepartmentClaim, "department"),
			Roles: oidcDefault(cfg.RolesClaim, "roles"), Name: oidcDefault(cfg.NameClaim, "name")},
		client:     client,
		cookiePath: callback.Path,
	}, nil
}

// check catches a configuration that would only fail at the first sign-in,
// and returns the parsed redirect URL.
func (cfg OIDCConfig) check() (*url.URL, error) {
	switch {
	case cfg.Issuer == "":
		return nil, errors.New("OIDC: no issuer")
	case cfg.ClientID == "":
		return nil, errors.New("OIDC: no client id")
	}
	u, err := url.Parse(cfg.RedirectURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		!strings.HasSuffix(u.Path, oidcCallbackPath) {
		return nil, fmt.Errorf("OIDC: redirect URL %q: want the console's public URL + %s", cfg.RedirectURL, oidcCallbackPath)
	}
	return u, nil
}

func oidcDefault(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

// oidcFlow is what the callback must match: the state it gets back, the
// nonce in the ID token and the PKCE verifier of the code.
type oidcFlow struct {
	state, nonce, verifier string
}

// The cookie holds the three random values themselves, with nothing to
// sign: HttpOnly keeps them from scripts, and a value someone else plants
// matches neither the state the provider returns to this browser nor the
// code's PKCE challenge.
func (f oidcFlow) cookieValue() string { return f.state + "." + f.nonce + "." + f.verifier }

func parseOIDCFlow(v string) (oidcFlow, bool) {
	parts := strings.Split(v, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return oidcFlow{}, false
	}
	return oidcFlow{state: parts[0], nonce: parts[1], verifier: parts[2]}, true
}

func newOIDCFlow() (oidcFlow, error) {
	state, err := randomToken()
	if err != nil {
		return oidcFlow{}, err
	}
	nonce, err := randomToken()
	if err != nil {
		return oidcFlow{}, err
	}
	return oidcFlow{state: state, nonce: nonce, verifier: oauth2.GenerateVerifier()}, nil
}

// setOIDCCookie sets (maxAge > 0) or clears (maxAge < 0) the flow cookie.
// It goes to the callback alone, and SameSite=Lax still sends it on the
// provider's top-level redirect back.
func (c *Console) setOIDCCookie(w http.ResponseWriter, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: value, Path: c.oidc.cookiePath, MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.secure})
}

// oidcLogin sends the browser to the provider's sign-in page.
func (c *Console) oidcLogin(r *request) {
	if c.oidc == nil {
		r.fail(http.StatusNotFound, "error.notfound")
		return
	}
	f, err := newOIDCFlow()
	if err != nil {
		c.logger.Error("console oidc login", "err", err)
		r.fail(http.StatusInternalServerError, "error.internal")
		return
	}
	c.setOIDCCookie(r.Writer, f.cookieValue(), int(oidcFlowTTL/time.Second))
	r.Header("Cache-Control", "no-store")
	r.Redirect(http.StatusFound, c.oidc.oauth.AuthCodeURL(f.state, oidc.Nonce(f.nonce),
		oauth2.S256ChallengeOption(f.verifier)))
}

// oidcError is a refused callback: the status for the user (who reads
// "signin.failed") and the reason for the log, which never holds a token
// or personal data.
type oidcError struct {
	status int
	reason string
	err    error
}

func (e *oidcError) Error() string {
	if e.err == nil {
		return e.reason
	}
	return e.reason + ": " + e.err.Error()
}

func oidcRefused(status int, reason string, err error) *oidcError {
	return &oidcError{status: status, reason: reason, err: err}
}

// oidcCallback is where the provider sends the browser back: it checks the
// flow, exchanges the code, verifies the ID token and starts a session.
func (c *Console) oidcCallback(r *request) {
	if c.oidc == nil {
		r.fail(http.StatusNotFound, "error.notfound")
		return
	}
	// The flow is single-use whatever happens next.
	c.setOIDCCookie(r.Writer, "", -1)
	r.Header("Cache-Control", "no-store")
	p, err := c.oidc.principal(r.Request)
	if err != nil {
		c.logOIDCRefusal(err)
		r.fail(err.status, "signin.failed")
		return
	}
	if err := c.signIn(r.Request.Context(), r.Writer, p); err != nil {
		// The provider vouched for the user; the store failed us.
		c.logger.Error("console oidc sign-in: session", "err", err)
		r.fail(http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	r.seeOther("/console/")
}

func (c *Console) logOIDCRefusal(e *oidcError) {
	attrs := []any{"reason", e.reason, "status", e.status}
	if e.err != nil {
		attrs = append(attrs, "err", e.err)
	}
	c.logger.Warn("console oidc sign-in refused", attrs...)
}

// principal completes the flow of the callback request hr and returns whom
// the ID token vouches for.
func (o *OIDC) principal(hr *http.Request) (auth.Principal, *oidcError) {
	q := hr.URL.Query()
	if code := q.Get("error"); code != "" {
		// The provider refused (the user cancelled, or may not use this
		// client); its error code is a fixed word, safe to log.
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "provider error "+oidcWord(code), nil)
	}
	f, refusal := o.checkState(hr)
	if refusal != nil {
		return auth.Principal{}, refusal
	}
	ctx, cancel := context.WithTimeout(oidc.ClientContext(hr.Context(), o.client), oidcTimeout)
	defer cancel()
	tok, err := o.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.verifier))
	if err != nil {
		return auth.Principal{}, oidcExchangeError(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return auth.Principal{}, oidcRefused(http.StatusBadGateway, "token response has no id_token", nil)
	}
	id, err := o.verifier.Verify(ctx, raw)
	if err != nil {
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "id token", err)
	}
	return o.principalOf(id, f.nonce)
}

// checkState returns the flow of the request's cookie when the state the
// provider sent back is that cookie's: a callback this browser did not
// start (login CSRF) or a replayed one has none or another.
func (o *OIDC) checkState(hr *http.Request) (oidcFlow, *oidcError) {
	ck, err := hr.Cookie(oidcCookie)
	if err != nil {
		return oidcFlow{}, oidcRefused(http.StatusUnauthorized, "no sign-in in progress (cookie absent or expired)", nil)
	}
	f, ok := parseOIDCFlow(ck.Value)
	if !ok {
		return oidcFlow{}, oidcRefused(http.StatusUnauthorized, "malformed sign-in cookie", nil)
	}
	if !oidcSame(hr.URL.Query().Get("state"), f.state) {
		return oidcFlow{}, oidcRefused(http.StatusUnauthorized, "state mismatch", nil)
	}
	return f, nil
}

// principalOf checks the parts of a verified ID token go-oidc leaves to the
// client and maps its claims.
func (o *OIDC) principalOf(id *oidc.IDToken, nonce string) (auth.Principal, *oidcError) {
	if !oidcSame(id.Nonce, nonce) {
		// A token minted for another sign-in, replayed into this one.
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "nonce mismatch", nil)
	}
	if id.Subject == "" {
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "id token has no sub", nil)
	}
	var claims map[string]any
	if err := id.Claims(&claims); err != nil {
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "id token claims", err)
	}
	// An ID token for several audiences must name this client as the
	// party it was issued to (OIDC Core 3.1.3.7).
	if azp, _ := claims["azp"].(string); (azp != "" || len(id.Audience) > 1) && azp != o.oauth.ClientID {
		return auth.Principal{}, oidcRefused(http.StatusUnauthorized, "id token azp is not this client", nil)
	}
	p := auth.PrincipalFromClaims(claims, id.Subject, o.claims)
	if len(p.Roles) == 0 {
		// The user is known to the provider but not given a role here: no
		// retry helps, so 403. The count tells an operator whether the
		// claim is missing or holds names caseflow does not know.
		return auth.Principal{}, &oidcError{status: http.StatusForbidden,
			reason: fmt.Sprintf("no valid role in claim %q (%d values)", o.claims.Roles,
				len(auth.ListClaim(claims, o.claims.Roles)))}
	}
	return p, nil
}

// oidcExchangeError sorts a failed code exchange: the provider refusing the
// code (used, expired, wrong verifier) is the user's to retry; anything
// else is the provider failing. Only the OAuth error code is kept: the
// response body may echo what was sent.
func oidcExchangeError(err error) *oidcError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := http.StatusBadGateway
		if re.Response != nil && re.Response.StatusCode >= 400 && re.Response.StatusCode < 500 {
			status = http.StatusUnauthorized
		}
		return oidcRefused(status, "token endpoint error "+oidcWord(re.ErrorCode), nil)
	}
	return oidcRefused(http.StatusBadGateway, "token endpoint", err)
}

// oidcWord keeps an OAuth error code loggable: those are short fixed
// words, and anything else is cut.
func oidcWord(s string) string {
	if len(s) > 40 || strings.ContainsFunc(s, func(r rune) bool {
		return !(r == '_' || r == '-' || r == '.' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9'))
	}) {
		return "(unrecognised)"
	}
	return s
}

func oidcSame(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
