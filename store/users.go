package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// User is a person who calls the API.
type User struct {
	ID         string    `json:"id"`
	Name       string    `json:"name"`
	Department string    `json:"department"`
	Roles      []string  `json:"roles"`
	Email      string    `json:"email,omitempty"`
	WebhookURL string    `json:"webhook_url,omitempty"`
	ChatHandle string    `json:"chat_handle,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Token describes an API token without its secret.
type Token struct {
	ID        string     `json:"id" db:"id"`
	UserID    string     `json:"user_id" db:"user_id"`
	Hint      string     `json:"hint" db:"hint"`
	CreatedAt time.Time  `json:"created_at" db:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty" db:"revoked_at"`
}

// TokenSecret is what is stored of a newly issued token.
type TokenSecret struct {
	ID, Hash, Hint string
}

type userRow struct {
	ID         string    `db:"id"`
	Name       string    `db:"name"`
	Department string    `db:"department"`
	Roles      string    `db:"roles"`
	Email      string    `db:"email"`
	WebhookURL string    `db:"webhook_url"`
	ChatHandle string    `db:"chat_handle"`
	CreatedAt  time.Time `db:"created_at"`
}

func (r userRow) user() User {
	return User{ID: r.ID, Name: r.Name, Department: r.Department, Roles: strings.Split(r.Roles, ","),
		Email: r.Email, WebhookURL: r.WebhookURL, ChatHandle: r.ChatHandle, CreatedAt: r.CreatedAt.UTC()}
}

const userColumns = `u.id, u.name, u.department, u.roles, u.email, u.webhook_url, u.chat_handle, u.created_at`

// Idempotency names a keyed write: Scope (the route and the caller) and Key
// identify it, Fingerprint tells a retry from a reused key. The zero value
// means the call had no Idempotency-Key.
type Idempotency struct {
	Scope, Key, Fingerprint string
}

// ErrKeyReused: the Idempotency-Key was first used with another request.
var ErrKeyReused = errors.New("idempotency key reused with a different request")

// claimKey records the key in tx with the id the write will create. When a
// call already recorded it, claimKey answers that call's id (and the write
// must not happen), or ErrKeyReused for another fingerprint. On PostgreSQL a
// concurrent call with the key waits here until the first commits.
func claimKey(ctx context.Context, tx *sqlx.Tx, k Idempotency, resultID string) (string, error) {
	if k.Key == "" {
		return "", nil
	}
	res, err := tx.ExecContext(ctx, tx.Rebind(`
		INSERT INTO idempotency_keys (scope, key, fingerprint, result_id, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (scope, key) DO NOTHING`), k.Scope, k.Key, k.Fingerprint, resultID, utc(time.Now()))
	if err != nil {
		return "", fmt.Errorf("record idempotency key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return "", err
	}
	var first struct {
		Fingerprint string `db:"fingerprint"`
		ResultID    string `db:"result_id"`
	}
	if err := tx.GetContext(ctx, &first, tx.Rebind(`
		SELECT fingerprint, result_id FROM idempotency_keys WHERE scope = ? AND key = ?`), k.Scope, k.Key); err != nil {
		return "", fmt.Errorf("read idempotency key: %w", err)
	}
	if first.Fingerprint != k.Fingerprint {
		return "", ErrKeyReused
	}
	return first.ResultID, nil
}

// CreateUser stores a user with a first token; actor is recorded in the audit.
func (s *Store) CreateUser(ctx context.Context, u User, tok TokenSecret, actor string) error {
	_, _, err := s.CreateUserOnce(ctx, u, tok, actor, Idempotency{})
	return err
}

// CreateUserOnce is CreateUser under an Idempotency-Key: a retry stores
// nothing and answers the user the first call created, with replay true.
func (s *Store) CreateUserOnce(ctx context.Context, u User, tok TokenSecret, actor string, k Idempotency) (User, bool, error) {
	created, replay := u, false
	created.CreatedAt = utc(u.CreatedAt)
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		firstID, err := claimKey(ctx, tx, k, u.ID)
		if err != nil {
			return err
		}
		if firstID != "" {
			var r userRow
			if err := tx.GetContext(ctx, &r, tx.Rebind(`SELECT `+userColumns+` FROM users u WHERE u.id = ?`), firstID); err != nil {
				return fmt.Errorf("read user of idempotency key: %w", err)
			}
			created, replay = r.user(), true
			return nil
		}
		if _, err := tx.ExecContext(ctx, tx.Rebind(`
			INSERT INTO users (id, name, department, roles, email, webhook_url, chat_handle, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
			u.ID, u.Name, u.Department, strings.Join(u.Roles, ","), u.Email, u.WebhookURL, u.ChatHandle, utc(u.CreatedAt)); err != nil {
			return fmt.Errorf("insert user: %w", err)
		}
		if err := insertToken(ctx, tx, u.ID, tok, u.CreatedAt); err != nil {
			return err
		}
		return audit(ctx, tx, actor, "user.created", u.ID)
	})
	if err != nil {
		return User{}, false, err
	}
	return created, replay, nil
}

// IssueToken adds a token to an existing user.
func (s *Store) IssueToken(ctx context.Context, userID string, tok TokenSecret, actor string) error {
	_, _, err := s.IssueTokenOnce(ctx, userID, tok, actor, Idempotency{})
	return err
}

// IssueTokenOnce is IssueToken under an Idempotency-Key; it answers the
// token record, and for a retry the first call's, with replay true.
func (s *Store) IssueTokenOnce(ctx context.Context, userID string, tok TokenSecret, actor string, k Idempotency) (Token, bool, error) {
	var issued Token
	replay := false
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var n int
		if err := tx.GetContext(ctx, &n, tx.Rebind(`SELECT COUNT(*) FROM users WHERE id = ?`), userID); err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		firstID, err := claimKey(ctx, tx, k, tok.ID)
		if err != nil {
			return err
		}
		id := tok.ID
		if firstID != "" {
			id, replay = firstID, true
		} else {
			if err := insertToken(ctx, tx, userID, tok, time.Now()); err != nil {
				return err
			}
			if err := audit(ctx, tx, actor, "token.issued", tok.ID); err != nil {
				return err
			}
		}
		if err := tx.GetContext(ctx, &issued, tx.Rebind(`
			SELECT id, user_id, hint, created_at, revoked_at FROM api_tokens WHERE id = ?`), id); err != nil {
			return fmt.Errorf("read issued token: %w", err)
		}
		issued.CreatedAt = issued.CreatedAt.UTC()
		return nil
	})
	if err != nil {
		return Token{}, false, err
	}
	return issued, replay, nil
}

// RevokeToken revokes a token; revoking twice keeps the first time.
func (s *Store) RevokeToken(ctx context.Context, tokenID, actor string) (Token, error) {
	var t Token
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`),
			utc(time.Now()), tokenID)
		if err != nil {
			return err
		}
		if err := tx.GetContext(ctx, &t, tx.Rebind(`
			SELECT id, user_id, hint, created_at, revoked_at FROM api_tokens WHERE id = ?`), tokenID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return ErrNotFound
			}
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return audit(ctx, tx, actor, "token.revoked", tokenID)
	})
	return t, err
}

// UserByTokenHash finds the user of an active token, or ErrNotFound.
func (s *Store) UserByTokenHash(ctx context.Context, hash string) (User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, s.db.Rebind(`
		SELECT `+userColumns+` FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = ? AND t.revoked_at IS NULL`), hash)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return r.user(), err
}

// ListUsers returns every user by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var rows []userRow
	if err := s.db.SelectContext(ctx, &rows, `SELECT `+userColumns+` FROM users u ORDER BY u.name, u.id`); err != nil {
		return nil, err
	}
	users := make([]User, len(rows))
	for i, r := range rows {
		users[i] = r.user()
	}
	return users, nil
}

// GetUser returns one user, or ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (User, error) {
	var r userRow
	err := s.db.GetContext(ctx, &r, s.db.Rebind(`SELECT `+userColumns+` FROM users u WHERE u.id = ?`), id)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return r.user(), err
}

// ListTokens returns a user's tokens, or everyone's when userID is empty.
func (s *Store) ListTokens(ctx context.Context, userID string) ([]Token, error) {
	tokens := []Token{}
	q := `SELECT id, user_id, hint, created_at, revoked_at FROM api_tokens`
	var args []any
	if userID != "" {
		q += ` WHERE user_id = ?`
		args = append(args, userID)
	}
	err := s.db.SelectContext(ctx, &tokens, s.db.Rebind(q+` ORDER BY created_at, id`), args...)
	for i := range tokens {
		tokens[i].CreatedAt = tokens[i].CreatedAt.UTC()
	}
	return tokens, err
}

func insertToken(ctx context.Context, tx *sqlx.Tx, userID string, tok TokenSecret, at time.Time) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`
		INSERT INTO api_tokens (id, user_id, token_hash, hint, created_at) VALUES (?, ?, ?, ?, ?)`),
		tok.ID, userID, tok.Hash, tok.Hint, utc(at))
	if err != nil {
		return fmt.Errorf("insert token: %w", err)
	}
	return nil
}

func audit(ctx context.Context, tx *sqlx.Tx, actor, action, subject string) error {
	_, err := tx.ExecContext(ctx, tx.Rebind(`
		INSERT INTO audit_events (id, actor, action, subject, occurred_at) VALUES (?, ?, ?, ?, ?)`),
		uuid.Must(uuid.NewV7()).String(), actor, action, subject, utc(time.Now()))
	return err
}
