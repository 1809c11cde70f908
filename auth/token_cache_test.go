package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
)

func TestTokenCache(t *testing.T) {
	reads := 0
	known := map[string]auth.Principal{}
	a := &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
		reads++
		p, ok := known[hash]
		if !ok {
			return auth.Principal{}, auth.ErrUnauthenticated
		}
		return p, nil
	}}
	token := "cf_secret"
	known[auth.HashToken(token)] = auth.Principal{UserID: "u2"}
	a.CacheTokens(10, time.Hour)

	for range 3 {
		p, err := a.Authenticate(t.Context(), "Bearer "+token)
		require.NoError(t, err)
		require.Equal(t, "u2", p.UserID)
	}
	require.Equal(t, 1, reads, "repeated requests of one token read the store once")

	// An unknown token is asked every time: one issued a moment later works at once.
	for range 2 {
		_, err := a.Authenticate(t.Context(), "Bearer cf_unknown")
		require.ErrorIs(t, err, auth.ErrUnauthenticated)
	}
	require.Equal(t, 3, reads)

	// After a revocation the store is asked again, and its answer holds.
	delete(known, auth.HashToken(token))
	a.ForgetTokens()
	_, err := a.Authenticate(t.Context(), "Bearer "+token)
	require.ErrorIs(t, err, auth.ErrUnauthenticated)
	require.Equal(t, 4, reads)
}

func TestNoTokenCacheAsksEveryTime(t *testing.T) {
	reads := 0
	a := &auth.Authenticator{Tokens: func(context.Context, string) (auth.Principal, error) {
		reads++
		return auth.Principal{UserID: "u"}, nil
	}}
	a.CacheTokens(10, 0)
	for range 2 {
		_, err := a.Authenticate(t.Context(), "Bearer cf_x")
		require.NoError(t, err)
	}
	require.Equal(t, 2, reads)
	a.ForgetTokens() // harmless without a cache
}
