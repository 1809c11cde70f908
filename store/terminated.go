package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// OpenAmong returns those of ids whose cases the store shows open: neither
// closed nor already terminated. Ids it does not know are left out.
func (s *Store) OpenAmong(ctx context.Context, ids []string) ([]string, error) {
	open := []string{}
	if len(ids) == 0 {
		return open, nil
	}
	q, args, err := sqlx.In(`SELECT id FROM complaints WHERE id IN (?) AND stage NOT IN (?, ?) ORDER BY id`,
		ids, string(complaint.StageClosed), string(complaint.StageTerminated))
	if err != nil {
		return nil, err
	}
	if err := s.db.SelectContext(ctx, &open, s.db.Rebind(q), args...); err != nil {
		return nil, err
	}
	return open, nil
}

// MarkTerminated records that a case's workflow ended outside the API: the
// case goes to stage terminated with no allowed steps, remembering the stage
// it had, and its timeline gets a terminated event with t.By as actor. It
// reports whether it changed anything: a case already closed or terminated
// is left alone, so a retry or a second reconciler run writes nothing.
func (s *Store) MarkTerminated(ctx context.Context, id string, t complaint.Termination) (bool, error) {
	var changed bool
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var raw string
		err := tx.GetContext(ctx, &raw, tx.Rebind(`SELECT snapshot FROM complaints WHERE id = ?`), id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		var c complaint.Case
		if err := json.Unmarshal([]byte(raw), &c); err != nil {
			return fmt.Errorf("decode %s: %w", id, err)
		}
		if c.Stage == complaint.StageClosed || c.Stage == complaint.StageTerminated {
			return nil
		}
		t.Stage = c.Stage
		c.Termination = &t
		c.Stage = complaint.StageTerminated
		c.AllowedSteps = []string{}
		seq := c.Version + 1
		c.Version = seq
		snapshot, err := json.Marshal(c)
		if err != nil {
			return err
		}
		// The version guard makes a concurrent writer's change win over this
		// one, which the next reconciler run then sees.
		res, err := tx.ExecContext(ctx, tx.Rebind(`
			UPDATE complaints SET stage = ?, updated_at = ?, version = ?, snapshot = ?, next_due_at = NULL
			WHERE id = ? AND version = ?`),
			c.Stage, utc(t.At), seq, string(snapshot), id, seq-1)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		payload, err := json.Marshal(map[string]string{"status": t.Status, "reason": t.Reason,
			"stage": string(t.Stage), "run_id": t.RunID})
		if err != nil {
			return err
		}
		changed = true
		return insertEvent(ctx, tx, id, complaint.Event{Seq: seq, Kind: complaint.EventTerminated, Actor: t.By,
			Payload: payload, OccurredAt: t.At})
	})
	return changed, err
}
