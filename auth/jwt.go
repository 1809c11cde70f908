package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// JWTConfig describes the identity provider whose tokens are accepted.
type JWTConfig struct {
	JWKSURL  string
	Issuer   string
	Audience string
	// Claims naming the caller's department, roles and display name.
	DepartmentClaim string
	RolesClaim      string
	NameClaim       string
}

// JWTVerifier checks RS256/ES256 tokens against the provider's JWKS, which
// it refreshes in the background (and on an unknown key id).
type JWTVerifier struct {
	cfg  JWTConfig
	keys keyfunc.Keyfunc
}

// NewJWTVerifier fetches the JWKS; the background refresh ends with ctx.
func NewJWTVerifier(ctx context.Context, cfg JWTConfig) (*JWTVerifier, error) {
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("JWT: the issuer and the audience must be configured with the JWKS URL")
	}
	keys, err := keyfunc.NewDefaultCtx(ctx, []string{cfg.JWKSURL})
	if err != nil {
		return nil, fmt.Errorf("JWT: JWKS at %s: %w", cfg.JWKSURL, err)
	}
	return &JWTVerifier{cfg: cfg, keys: keys}, nil
}

// Verify checks a token's signature, issuer, audience and expiry, and maps
// its claims to a principal.
func (v *JWTVerifier) Verify(raw string) (Principal, error) {
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(raw, claims, v.keys.Keyfunc,
		jwt.WithValidMethods([]string{"RS256", "ES256"}),
		jwt.WithIssuer(v.cfg.Issuer),
		jwt.WithAudience(v.cfg.Audience),
		jwt.WithExpirationRequired(),
	)
	if err != nil {
		return Principal{}, ErrUnauthenticated
	}
	sub, _ := claims.GetSubject()
	if sub == "" {
		return Principal{}, ErrUnauthenticated
	}
	return PrincipalFromClaims(claims, sub, ClaimNames{Department: v.cfg.DepartmentClaim,
		Roles: v.cfg.RolesClaim, Name: v.cfg.NameClaim}), nil
}
