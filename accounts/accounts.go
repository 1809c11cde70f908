// Package accounts manages users and their API tokens, for the `caseflow
// users` command, the admin API and the dev stack's demo users.
package accounts

import (
	"context"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
)

// NewUser is what creating a user takes.
type NewUser struct {
	Name       string   `json:"name" validate:"required,max=200"`
	Department string   `json:"department" validate:"required,enum=department"`
	Roles      []string `json:"roles" validate:"required,min=1,unique,dive,enum=role"`
	Email      string   `json:"email,omitempty" validate:"omitempty,email"`
	WebhookURL string   `json:"webhook_url,omitempty" validate:"omitempty,url"`
	ChatHandle string   `json:"chat_handle,omitempty" validate:"max=200"`
}

// Validate checks the field rules, for the command line and the API alike,
// by the rules and words of every body (complaint.BodyProblems). It returns
// problems keyed by JSON field name, empty when the user is valid.
func (u NewUser) Validate() map[string]string {
	// A blank name is a missing one, typed or posted.
	complaint.BlankToEmpty(&u)
	problems := map[string]string{}
	maps.Copy(problems, complaint.BodyProblems(u))
	return problems
}

// Create stores a user and returns it with its first token, which is shown
// once and never stored.
func Create(ctx context.Context, st *store.Store, in NewUser, actor string) (store.User, string, error) {
	u, token, _, err := CreateOnce(ctx, st, in, actor, store.Idempotency{})
	return u, token, err
}

// CreateOnce is Create under an Idempotency-Key: a retry answers the first
// call's user with replay true and no token, as the secret is not kept.
func CreateOnce(ctx context.Context, st *store.Store, in NewUser, actor string, k store.Idempotency) (u store.User, token string, replay bool, err error) {
	token, secret, err := newSecret()
	if err != nil {
		return store.User{}, "", false, err
	}
	u = store.User{
		ID: uuid.Must(uuid.NewV7()).String(), Name: strings.TrimSpace(in.Name), Department: in.Department,
		Roles: in.Roles, Email: in.Email, WebhookURL: in.WebhookURL, ChatHandle: in.ChatHandle,
		CreatedAt: time.Now().UTC(),
	}
	u, replay, err = st.CreateUserOnce(ctx, u, secret, actor, k)
	if err != nil {
		return store.User{}, "", false, err
	}
	if replay {
		return u, "", true, nil
	}
	return u, token, false, nil
}

// IssueToken gives an existing user another token.
func IssueToken(ctx context.Context, st *store.Store, userID, actor string) (store.Token, string, error) {
	tok, token, _, err := IssueTokenOnce(ctx, st, userID, actor, store.Idempotency{})
	return tok, token, err
}

// IssueTokenOnce is IssueToken under an Idempotency-Key: a retry answers the
// first call's token record with replay true and no secret.
func IssueTokenOnce(ctx context.Context, st *store.Store, userID, actor string, k store.Idempotency) (store.Token, string, bool, error) {
	token, secret, err := newSecret()
	if err != nil {
		return store.Token{}, "", false, err
	}
	tok, replay, err := st.IssueTokenOnce(ctx, userID, secret, actor, k)
	if err != nil {
		return store.Token{}, "", false, err
	}
	if replay {
		return tok, "", true, nil
	}
	return tok, token, false, nil
}

func newSecret() (string, store.TokenSecret, error) {
	token, hash, hint, err := auth.NewToken()
	if err != nil {
		return "", store.TokenSecret{}, err
	}
	return token, store.TokenSecret{ID: uuid.Must(uuid.NewV7()).String(), Hash: hash, Hint: hint}, nil
}

// TokenLookup resolves API tokens against the store.
func TokenLookup(st *store.Store) auth.TokenLookup {
	return func(ctx context.Context, hash string) (auth.Principal, error) {
		u, err := st.UserByTokenHash(ctx, hash)
		if errors.Is(err, store.ErrNotFound) {
			return auth.Principal{}, auth.ErrUnauthenticated
		}
		if err != nil {
			return auth.Principal{}, err
		}
		return Principal(u), nil
	}
}

// Principal is a stored user as an authenticated caller.
func Principal(u store.User) auth.Principal {
	p := auth.Principal{UserID: u.ID, Name: u.Name, Department: auth.Department(u.Department)}
	for _, r := range u.Roles {
		p.Roles = append(p.Roles, auth.Role(r))
	}
	return p
}
