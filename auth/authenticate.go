package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// ErrUnauthenticated is returned for a missing, unknown, revoked, expired or
// badly signed credential. Callers answer 401 without saying which, so a
// guesser learns nothing.
var ErrUnauthenticated = errors.New("a valid bearer token is required")

// tokenPrefix marks caseflow API tokens, so secret scanners and people can
// recognise them.
const tokenPrefix = "cf_"

// NewToken returns a fresh API token, the hash to store and a short hint
// that tells tokens apart in listings without revealing them.
func NewToken() (token, hash, hint string, err error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", "", "", err
	}
	token = tokenPrefix + base64.RawURLEncoding.EncodeToString(secret)
	return token, HashToken(token), token[:len(tokenPrefix)+6], nil
}

// HashToken is how tokens are stored and looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenLookup finds the principal of an active (not revoked) token by its
// hash, returning ErrUnauthenticated when there is none.
type TokenLookup func(ctx context.Context, hash string) (Principal, error)

// Authenticator checks bearer credentials: caseflow API tokens, and JWTs
// from an identity provider when one is configured.
type Authenticator struct {
	Tokens TokenLookup
	JWT    *JWTVerifier // nil: JWTs are not accepted
	cache  *tokenCache  // nil: every request asks Tokens
}

// CacheTokens makes Authenticate remember the principals of recent tokens
// for ttl (see tokenCache); ttl 0 keeps asking Tokens every time.
func (a *Authenticator) CacheTokens(size int, ttl time.Duration) {
	if ttl > 0 {
		a.cache = newTokenCache(a.Tokens, size, ttl)
	}
}

// ForgetTokens makes the next request of every token read the store again,
// so a revocation or a change to a user takes effect at once.
func (a *Authenticator) ForgetTokens() {
	if a.cache != nil {
		a.cache.Forget()
	}
}

// Authenticate returns the principal behind an Authorization header value.
func (a *Authenticator) Authenticate(ctx context.Context, authorization string) (Principal, error) {
	scheme, credential, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(credential) == "" {
		return Principal{}, ErrUnauthenticated
	}
	credential = strings.TrimSpace(credential)
	if strings.HasPrefix(credential, tokenPrefix) {
		if a.cache != nil {
			return a.cache.Lookup(ctx, HashToken(credential))
		}
		return a.Tokens(ctx, HashToken(credential))
	}
	if a.JWT != nil && strings.Count(credential, ".") == 2 {
		return a.JWT.Verify(credential)
	}
	return Principal{}, ErrUnauthenticated
}
