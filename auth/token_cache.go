package auth

import (
	"context"
	"time"

	"github.com/hashicorp/golang-lru/v2/expirable"
)

// tokenCache remembers, for a few seconds, the principal of each API token
// recently seen, so that a burst of requests with one token costs one store
// read instead of one each. A revocation takes effect at once in the process
// that revoked (Forget) and within the cache's lifetime everywhere else.
// Only found principals are kept: an unknown token is asked every time, so a
// token issued a moment ago works at once.
type tokenCache struct {
	lookup TokenLookup
	seen   *expirable.LRU[string, Principal]
}

// newTokenCache caches lookup's answers for ttl, at most size tokens.
func newTokenCache(lookup TokenLookup, size int, ttl time.Duration) *tokenCache {
	return &tokenCache{lookup: lookup, seen: expirable.NewLRU[string, Principal](size, nil, ttl)}
}

// Lookup answers from the cache, or asks the store and remembers the answer.
func (c *tokenCache) Lookup(ctx context.Context, hash string) (Principal, error) {
	if p, ok := c.seen.Get(hash); ok {
		return p, nil
	}
	p, err := c.lookup(ctx, hash)
	if err != nil {
		return Principal{}, err
	}
	c.seen.Add(hash, p)
	return p, nil
}

// Forget drops every remembered token, after a revocation or a change to a
// user: cheaper to reload the few active tokens than to track which changed.
func (c *tokenCache) Forget() { c.seen.Purge() }
