package server_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// TestAdminPostsHonourIdempotencyKey: through the router on a real store, a
// retried key answers the first user or token (without the secret), a key
// with another body answers 422 and stores nothing, no key creates anew.
func TestAdminPostsHonourIdempotencyKey(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			st, err := store.Open(t.Context(), b.URL)
			require.NoError(t, err)
			t.Cleanup(func() { st.Close() })
			require.NoError(t, st.Migrate(t.Context()))
			h := server.NewRouter(server.Deps{
				Store: st, Logger: slog.New(slog.DiscardHandler), Metrics: prometheus.NewRegistry(),
				Auth: &auth.Authenticator{Tokens: func(_ context.Context, hash string) (auth.Principal, error) {
					id := "admin-a"
					if hash == auth.HashToken("cf_b") {
						id = "admin-b"
					}
					return auth.Principal{UserID: id, Name: "Admin", Department: auth.AfterSales,
						Roles: []auth.Role{auth.Admin}}, nil
				}},
			})
			call := func(caller, target, key, body string) (int, map[string]json.RawMessage, http.Header) {
				req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer cf_"+caller)
				req.Header.Set("Content-Type", "application/json")
				if key != "" {
					req.Header.Set("Idempotency-Key", key)
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				var out map[string]json.RawMessage
				require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out), rec.Body.String())
				return rec.Code, out, rec.Header()
			}
			count := func() (users, tokens int) {
				u, err := st.ListUsers(t.Context())
				require.NoError(t, err)
				tk, err := st.ListTokens(t.Context(), "")
				require.NoError(t, err)
				return len(u), len(tk)
			}
			const li = `{"name":"Li","department":"sales","roles":["agent"]}`

			// Same key twice, also at once: one user, the same user answered.
			status, first, hdr := call("a", "/api/v1/admin/users", "k-1", li)
			require.Equal(t, http.StatusCreated, status)
			require.NotEmpty(t, first["token"])
			require.Empty(t, hdr.Get("Idempotent-Replayed"))
			var wg sync.WaitGroup
			for range 4 {
				wg.Go(func() {
					status, again, hdr := call("a", "/api/v1/admin/users", "k-1", li)
					require.Equal(t, http.StatusCreated, status)
					require.JSONEq(t, string(first["user"]), string(again["user"]))
					require.NotContains(t, again, "token", "the secret is shown once")
					require.Equal(t, "true", hdr.Get("Idempotent-Replayed"))
				})
			}
			wg.Wait()
			users, tokens := count()
			require.Equal(t, 1, users)
			require.Equal(t, 1, tokens)

			// Same key, other body: 422, nothing stored.
			status, out, _ := call("a", "/api/v1/admin/users", "k-1", `{"name":"Wu","department":"sales","roles":["agent"]}`)
			require.Equal(t, http.StatusUnprocessableEntity, status)
			require.Contains(t, string(out["error"]), `"idempotency_key_reused"`)
			users, _ = count()
			require.Equal(t, 1, users)

			// Another caller's key of the same name, and no key: new users.
			status, _, _ = call("b", "/api/v1/admin/users", "k-1", li)
			require.Equal(t, http.StatusCreated, status)
			for range 2 {
				status, out, _ = call("a", "/api/v1/admin/users", "", li)
				require.Equal(t, http.StatusCreated, status)
				require.NotEmpty(t, out["token"])
			}
			users, tokens = count()
			require.Equal(t, 4, users)
			require.Equal(t, 4, tokens)

			// Tokens: a retry answers the same record without the secret;
			// the key on another user's tokens is a reused key.
			var u struct{ ID string }
			require.NoError(t, json.Unmarshal(first["user"], &u))
			target := "/api/v1/admin/users/" + u.ID + "/tokens"
			status, tok, hdr := call("a", target, "t-1", "")
			require.Equal(t, http.StatusCreated, status)
			require.NotEmpty(t, tok["token"])
			require.Empty(t, hdr.Get("Idempotent-Replayed"))
			status, again, hdr := call("a", target, "t-1", "")
			require.Equal(t, http.StatusCreated, status)
			require.JSONEq(t, string(tok["info"]), string(again["info"]))
			require.NotContains(t, again, "token")
			require.Equal(t, "true", hdr.Get("Idempotent-Replayed"))
			others, err := st.ListUsers(t.Context())
			require.NoError(t, err)
			otherID := others[0].ID
			if otherID == u.ID {
				otherID = others[1].ID
			}
			status, out, _ = call("a", "/api/v1/admin/users/"+otherID+"/tokens", "t-1", "")
			require.Equal(t, http.StatusUnprocessableEntity, status)
			require.Contains(t, string(out["error"]), `"idempotency_key_reused"`)
			_, tokens = count()
			require.Equal(t, 5, tokens)

			// A new key sent several times at once creates one user.
			var mu sync.Mutex
			answered := map[string]int{}
			for range 4 {
				wg.Go(func() {
					status, out, _ := call("a", "/api/v1/admin/users", "k-2", `{"name":"Zh","department":"sales","roles":["agent"]}`)
					require.Equal(t, http.StatusCreated, status)
					mu.Lock()
					defer mu.Unlock()
					answered[string(out["user"])]++
					if _, ok := out["token"]; ok {
						answered["with token"]++
					}
				})
			}
			wg.Wait()
			require.Len(t, answered, 2, "one user, answered four times: %v", answered)
			require.Equal(t, 1, answered["with token"])
			users, _ = count()
			require.Equal(t, 5, users)
		})
	}
}
