package app_test

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/require"
)

// identityProvider is a stand-in IdP the test runs itself: it publishes a
// JWKS with one RSA and one EC key and signs tokens with them.
type identityProvider struct {
	t       *testing.T
	rsaKey  *rsa.PrivateKey
	ecKey   *ecdsa.PrivateKey
	jwksURL string
}

const (
	testIssuer   = "https://idp.test"
	testAudience = "caseflow"
)

func newIdentityProvider(t *testing.T) *identityProvider {
	t.Helper()
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	jwks, err := json.Marshal(map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256",
			"n": b64(rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(rsaKey.E)).Bytes())},
		{"kty": "EC", "kid": "ec-1", "use": "sig", "alg": "ES256", "crv": "P-256",
			"x": b64(ecKey.X.FillBytes(make([]byte, 32))), "y": b64(ecKey.Y.FillBytes(make([]byte, 32)))},
	}})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(jwks)
	}))
	t.Cleanup(srv.Close)
	return &identityProvider{t: t, rsaKey: rsaKey, ecKey: ecKey, jwksURL: srv.URL}
}

func (p *identityProvider) env() map[string]string {
	return map[string]string{
		"CASEFLOW_JWT_JWKS_URL": p.jwksURL,
		"CASEFLOW_JWT_ISSUER":   testIssuer,
		"CASEFLOW_JWT_AUDIENCE": testAudience,
	}
}

type tokenOptions struct {
	method  jwt.SigningMethod
	kid     string
	key     crypto.Signer
	expires time.Time
	claims  jwt.MapClaims
}

// token signs claims for sub with the given department and roles; opts
// change the key, algorithm or expiry to make bad tokens.
func (p *identityProvider) token(sub, department string, roles []string, change func(*tokenOptions)) string {
	p.t.Helper()
	o := tokenOptions{method: jwt.SigningMethodRS256, kid: "rsa-1", key: p.rsaKey, expires: time.Now().Add(time.Hour),
		claims: jwt.MapClaims{}}
	if change != nil {
		change(&o)
	}
	claims := jwt.MapClaims{
		"iss": testIssuer, "aud": testAudience, "sub": sub, "name": "JWT " + sub,
		"department": department, "roles": roles, "exp": o.expires.Unix(), "iat": time.Now().Add(-time.Minute).Unix(),
	}
	for k, v := range o.claims {
		claims[k] = v
	}
	tok := jwt.NewWithClaims(o.method, claims)
	tok.Header["kid"] = o.kid
	signed, err := tok.SignedString(o.key)
	require.NoError(p.t, err)
	return signed
}
