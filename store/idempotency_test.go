package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestKeyedAdminWrites: a retried key creates nothing and answers the first
// user or token; a key with another fingerprint is refused and stores
// nothing; the same key in another scope is another write.
func TestKeyedAdminWrites(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			s := openStore(t, b)
			ctx := t.Context()
			at := time.Date(2026, 3, 4, 5, 6, 7, 123456789, time.UTC)
			user := func(id string) store.User {
				return store.User{ID: id, Name: "Li", Department: "sales", Roles: []string{"agent", "admin"}, CreatedAt: at}
			}
			secret := func(id string) store.TokenSecret { return store.TokenSecret{ID: id, Hash: "h-" + id, Hint: "cf_" + id} }
			k := store.Idempotency{Scope: "POST /users admin", Key: "k1", Fingerprint: "f1"}

			first, replay, err := s.CreateUserOnce(ctx, user("u1"), secret("t1"), "admin", k)
			require.NoError(t, err)
			require.False(t, replay)
			again, replay, err := s.CreateUserOnce(ctx, user("u2"), secret("t2"), "admin", k)
			require.NoError(t, err)
			require.True(t, replay)
			require.Equal(t, first, again)
			require.Equal(t, "u1", again.ID)

			_, _, err = s.CreateUserOnce(ctx, user("u3"), secret("t3"), "admin",
				store.Idempotency{Scope: k.Scope, Key: k.Key, Fingerprint: "other"})
			require.ErrorIs(t, err, store.ErrKeyReused)
			users, err := s.ListUsers(ctx)
			require.NoError(t, err)
			require.Len(t, users, 1)
			tokens, err := s.ListTokens(ctx, "")
			require.NoError(t, err)
			require.Len(t, tokens, 1)

			// Another caller's key of the same name is its own.
			other, replay, err := s.CreateUserOnce(ctx, user("u4"), secret("t4"), "admin2",
				store.Idempotency{Scope: "POST /users admin2", Key: k.Key, Fingerprint: k.Fingerprint})
			require.NoError(t, err)
			require.False(t, replay)
			require.Equal(t, "u4", other.ID)

			// Tokens: the retry answers the first record, which a revocation since shows.
			tk := store.Idempotency{Scope: "POST /users/:id/tokens admin", Key: "k1", Fingerprint: "id=u1"}
			tok, replay, err := s.IssueTokenOnce(ctx, "u1", secret("t5"), "admin", tk)
			require.NoError(t, err)
			require.False(t, replay)
			require.Equal(t, "t5", tok.ID)
			require.Equal(t, "cf_t5", tok.Hint)
			againTok, replay, err := s.IssueTokenOnce(ctx, "u1", secret("t6"), "admin", tk)
			require.NoError(t, err)
			require.True(t, replay)
			require.Equal(t, tok, againTok)
			_, _, err = s.IssueTokenOnce(ctx, "u4", secret("t7"), "admin",
				store.Idempotency{Scope: tk.Scope, Key: tk.Key, Fingerprint: "id=u4"})
			require.ErrorIs(t, err, store.ErrKeyReused)
			_, _, err = s.IssueTokenOnce(ctx, "nobody", secret("t8"), "admin",
				store.Idempotency{Scope: tk.Scope, Key: "k2", Fingerprint: "id=nobody"})
			require.ErrorIs(t, err, store.ErrNotFound)
			tokens, err = s.ListTokens(ctx, "")
			require.NoError(t, err)
			require.Len(t, tokens, 3, "t1, t4 and t5")

			// Unkeyed writes stay unkeyed.
			require.NoError(t, s.IssueToken(ctx, "u1", secret("t9"), "admin"))
			require.NoError(t, s.IssueToken(ctx, "u1", secret("t10"), "admin"))
			tokens, err = s.ListTokens(ctx, "u1")
			require.NoError(t, err)
			require.Len(t, tokens, 4)
		})
	}
}
