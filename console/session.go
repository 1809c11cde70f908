package console

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/store"
)

// sessionCookie holds a session's random id; the store keeps only its hash.
const sessionCookie = "caseflow_session"

// session is a signed-in user of the console.
type session struct {
	idHash    string
	principal auth.Principal
	csrf      string
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashID(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// signIn starts a session for p and sets its cookie: HttpOnly, SameSite=Lax,
// Secure when the console is served over TLS.
func (c *Console) signIn(ctx context.Context, w http.ResponseWriter, p auth.Principal) error {
	id, err := randomToken()
	if err != nil {
		return err
	}
	csrf, err := randomToken()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	now := c.now()
	if err := c.store.CreateSession(ctx, store.Session{IDHash: hashID(id), Principal: string(raw), CSRFToken: csrf,
		CreatedAt: now, ExpiresAt: now.Add(c.sessionTTL)}); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.secure, MaxAge: int(c.sessionTTL / time.Second)})
	return nil
}

// errNoSession: the request has no live session (none, unknown, expired or
// signed out).
var errNoSession = errors.New("no session")

// sessionOf reads the request's session from the store.
func (c *Console) sessionOf(r *http.Request) (session, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return session{}, errNoSession
	}
	s, err := c.store.SessionByHash(r.Context(), hashID(ck.Value), c.now())
	if errors.Is(err, store.ErrNotFound) {
		return session{}, errNoSession
	}
	if err != nil {
		return session{}, err
	}
	var p auth.Principal
	if err := json.Unmarshal([]byte(s.Principal), &p); err != nil {
		return session{}, err
	}
	return session{idHash: s.IDHash, principal: p, csrf: s.CSRFToken}, nil
}

// signOut ends the session in the store and clears the cookie.
func (c *Console) signOut(w http.ResponseWriter, r *http.Request, s session) error {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.secure, MaxAge: -1})
	return c.store.DeleteSession(r.Context(), s.idHash)
}

// csrfField names the form field (and csrfHeader the header, for scripts)
// that carries the session's CSRF token.
const (
	csrfField  = "csrf_token"
	csrfHeader = "X-CSRF-Token"
)

// validCSRF reports whether the request carries the session's CSRF token.
func validCSRF(r *http.Request, s session) bool {
	got := r.Header.Get(csrfHeader)
	if got == "" {
		got = r.PostFormValue(csrfField)
	}
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) == 1
}
