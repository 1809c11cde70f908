package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// Data keys (migration 00018): the per-workflow keys that seal the
// payloads of workflows carrying a customer's personal data, stored
// wrapped by a keyring key. The payload codec (package payloadcrypt) reads
// and creates them; erasure (erase.go) destroys them.

// DataKey is one workflow's data key as stored. Wrapped is nil once the
// key was destroyed.
type DataKey struct {
	WorkflowID  string
	WrapKeyID   string
	Wrapped     []byte
	CreatedAt   time.Time
	DestroyedAt *time.Time
}

// Destroyed reports whether the key was destroyed (its customer erased).
func (k DataKey) Destroyed() bool { return k.DestroyedAt != nil }

type dataKeyRow struct {
	WorkflowID  string       `db:"workflow_id"`
	WrapKeyID   string       `db:"wrap_key_id"`
	Wrapped     string       `db:"wrapped"`
	CreatedAt   time.Time    `db:"created_at"`
	DestroyedAt sql.NullTime `db:"destroyed_at"`
}

const dataKeyColumns = `workflow_id, wrap_key_id, wrapped, created_at, destroyed_at`

func (r dataKeyRow) key() (DataKey, error) {
	k := DataKey{WorkflowID: r.WorkflowID, WrapKeyID: r.WrapKeyID, CreatedAt: r.CreatedAt.UTC()}
	if r.DestroyedAt.Valid {
		k.DestroyedAt = new(r.DestroyedAt.Time.UTC())
		return k, nil
	}
	wrapped, err := base64.StdEncoding.DecodeString(r.Wrapped)
	if err != nil {
		return DataKey{}, fmt.Errorf("data key of %s: %w", r.WorkflowID, err)
	}
	k.Wrapped = wrapped
	return k, nil
}

// DataKey returns a workflow's data key, or ErrNotFound when it has none.
// A destroyed key answers with Destroyed() true and no Wrapped.
func (s *Store) DataKey(ctx context.Context, workflowID string) (DataKey, error) {
	var r dataKeyRow
	err := s.db.GetContext(ctx, &r, s.db.Rebind(`SELECT `+dataKeyColumns+` FROM data_keys WHERE workflow_id = ?`),
		workflowID)
	if errors.Is(err, sql.ErrNoRows) {
		return DataKey{}, ErrNotFound
	}
	if err != nil {
		return DataKey{}, err
	}
	return r.key()
}

// CreateDataKey stores k unless its workflow has a key already, and
// answers the stored key: processes racing to create one converge on the
// first (and a destroyed one stays destroyed).
func (s *Store) CreateDataKey(ctx context.Context, k DataKey) (DataKey, error) {
	if k.WrapKeyID == "" || len(k.Wrapped) == 0 {
		return DataKey{}, errors.New("store: a data key needs its wrapping key and wrapped bytes")
	}
	if k.CreatedAt.IsZero() {
		k.CreatedAt = time.Now()
	}
	if _, err := s.db.ExecContext(ctx, s.db.Rebind(`
		INSERT INTO data_keys (workflow_id, wrap_key_id, wrapped, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (workflow_id) DO NOTHING`),
		k.WorkflowID, k.WrapKeyID, base64.StdEncoding.EncodeToString(k.Wrapped), utc(k.CreatedAt)); err != nil {
		return DataKey{}, fmt.Errorf("create data key: %w", err)
	}
	return s.DataKey(ctx, k.WorkflowID)
}

// DataKeyCounts counts the live (not destroyed) data keys by the keyring
// key that wraps them.
func (s *Store) DataKeyCounts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		WrapKeyID string `db:"wrap_key_id"`
		N         int    `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &rows, `
		SELECT wrap_key_id, COUNT(*) AS n FROM data_keys WHERE destroyed_at IS NULL GROUP BY wrap_key_id`); err != nil {
		return nil, err
	}
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.WrapKeyID] = r.N
	}
	return counts, nil
}

// LiveDataKeys answers up to limit live data keys after afterWorkflowID,
// in workflow id order: a key rotation pages through them with it.
func (s *Store) LiveDataKeys(ctx context.Context, afterWorkflowID string, limit int) ([]DataKey, error) {
	var rows []dataKeyRow
	if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`SELECT `+dataKeyColumns+` FROM data_keys
		WHERE destroyed_at IS NULL AND workflow_id > ? ORDER BY workflow_id LIMIT ?`), afterWorkflowID, limit); err != nil {
		return nil, err
	}
	keys := make([]DataKey, 0, len(rows))
	for _, r := range rows {
		k, err := r.key()
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ErrDataKeyChanged: a rewrap found the key wrapped by neither the key it
// expected nor the one it meant to wrap it with: another rotation moved it.
var ErrDataKeyChanged = errors.New("the data key is wrapped by another key")

// RewrapDataKey replaces a live key's wrapping if fromKeyID still wraps it
// (compare and set). A key already wrapped by toKeyID (a repeated run) or
// destroyed meanwhile (erasure wins; a destroyed key never comes back) is
// left as it is without error; a key wrapped by a third key is
// ErrDataKeyChanged, a workflow without a key ErrNotFound.
func (s *Store) RewrapDataKey(ctx context.Context, workflowID, fromKeyID, toKeyID string, wrapped []byte) error {
	if toKeyID == "" || len(wrapped) == 0 {
		return errors.New("store: a rewrapped data key needs its wrapping key and wrapped bytes")
	}
	res, err := s.db.ExecContext(ctx, s.db.Rebind(`
		UPDATE data_keys SET wrap_key_id = ?, wrapped = ?
		WHERE workflow_id = ? AND wrap_key_id = ? AND destroyed_at IS NULL`),
		toKeyID, base64.StdEncoding.EncodeToString(wrapped), workflowID, fromKeyID)
	if err != nil {
		return fmt.Errorf("rewrap data key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	k, err := s.DataKey(ctx, workflowID)
	switch {
	case err != nil:
		return err
	case k.Destroyed(), k.WrapKeyID == toKeyID:
		return nil
	}
	return ErrDataKeyChanged
}
