package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Session is a console sign-in: who it vouches for (Principal, JSON the
// console reads) and the CSRF token its forms carry.
type Session struct {
	IDHash    string    `db:"id_hash"`
	Principal string    `db:"principal"`
	CSRFToken string    `db:"csrf_token"`
	CreatedAt time.Time `db:"created_at"`
	ExpiresAt time.Time `db:"expires_at"`
}

// CreateSession stores a new session and drops the expired ones, so the
// table holds only live sessions without a sweeper of its own.
func (s *Store) CreateSession(ctx context.Context, sess Session) error {
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM console_sessions WHERE expires_at <= ?`),
		utc(time.Now())); err != nil {
		return err
	}
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO console_sessions (id_hash, principal, csrf_token, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?)`),
		sess.IDHash, sess.Principal, sess.CSRFToken, utc(sess.CreatedAt), utc(sess.ExpiresAt))
	return err
}

// SessionByHash returns the live session with this id hash, or ErrNotFound
// when there is none or it has expired at now.
func (s *Store) SessionByHash(ctx context.Context, idHash string, now time.Time) (Session, error) {
	var sess Session
	err := s.db.GetContext(ctx, &sess, s.db.Rebind(`
		SELECT id_hash, principal, csrf_token, created_at, expires_at
		FROM console_sessions WHERE id_hash = ? AND expires_at > ?`), idHash, utc(now))
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNotFound
	}
	return sess, err
}

// DeleteSession ends a session (sign-out); ending one already gone is not
// an error.
func (s *Store) DeleteSession(ctx context.Context, idHash string) error {
	_, err := s.db.ExecContext(ctx, s.db.Rebind(`DELETE FROM console_sessions WHERE id_hash = ?`), idHash)
	return err
}
