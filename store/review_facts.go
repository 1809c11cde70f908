package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/caseflow/caseflow/complaint"
)

// The monthly review's facts of a case (migration 00016): written beside
// the snapshot by RegisterCase and ApplyEvents, and filled in for rows
// from before the migration by backfillReviewFacts.

// reviewFactsVersion is the facts_version of rows whose facts these rules
// wrote; rows with 0 predate them.
const reviewFactsVersion = 1

// reviewFactsSet assigns the facts in the order of reviewFacts.args.
const reviewFactsSet = `part_number = ?, root_cause = ?, liability = ?,
	response_state = ?, response_seconds = ?, onsite_state = ?, onsite_seconds = ?,
	resolution_state = ?, resolution_seconds = ?, recurrence = ?, satisfaction = ?, closed_at = ?, facts_version = ?`

// reviewFactsColumns and reviewFactsValues insert them.
const (
	reviewFactsColumns = `part_number, root_cause, liability, response_state, response_seconds, onsite_state,
	onsite_seconds, resolution_state, resolution_seconds, recurrence, satisfaction, closed_at, facts_version`
	reviewFactsValues = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`
)

// reviewFacts are the column values; nil is NULL.
type reviewFacts struct {
	partNumber, rootCause, liability string
	// by complaint.ClockNames
	clockState   [3]string
	clockSeconds [3]any
	recurrence   bool
	satisfaction any
	closedAt     any
}

func reviewFactsOf(c complaint.Case) reviewFacts {
	f := reviewFacts{partNumber: c.PartNumber, recurrence: len(c.RecurrenceOf) > 0}
	if c.Analysis != nil {
		f.rootCause, f.liability = c.Analysis.RootCause, string(c.Analysis.Liability)
	}
	if c.Clocks != nil {
		for i, cl := range []complaint.Clock{c.Clocks.Response, c.Clocks.Onsite, c.Clocks.Resolution} {
			f.clockState[i] = string(cl.State)
			// A clock breached at any time counts as breached [4.(6)].
			if cl.BreachedAt != nil {
				f.clockState[i] = string(complaint.ClockBreached)
			}
			if cl.StoppedAt != nil {
				took := cl.StoppedAt.Sub(c.ReceivedAt) - time.Duration(cl.PausedSeconds)*time.Second
				f.clockSeconds[i] = int64(max(took, 0) / time.Second)
			}
		}
	}
	if c.Closure != nil {
		if c.Closure.Satisfaction != nil {
			f.satisfaction = *c.Closure.Satisfaction
		}
		if !c.Closure.At.IsZero() {
			f.closedAt = utc(c.Closure.At)
		}
	}
	return f
}

func (f reviewFacts) args() []any {
	return []any{f.partNumber, f.rootCause, f.liability,
		f.clockState[0], f.clockSeconds[0], f.clockState[1], f.clockSeconds[1], f.clockState[2], f.clockSeconds[2],
		f.recurrence, f.satisfaction, f.closedAt, reviewFactsVersion}
}

// backfillBatch is how many rows the backfill reads and writes at a time.
const backfillBatch = 500

// backfillReviewFacts fills the facts of the rows written before 00016
// from their snapshots, a batch at a time by id. It runs at every start
// after the migrations: when none is left it is one look at an empty
// index. A row a newer write has given its facts meanwhile keeps them.
func (s *Store) backfillReviewFacts(ctx context.Context) error {
	after := ""
	for {
		var rows []struct {
			ID       string `db:"id"`
			Snapshot string `db:"snapshot"`
		}
		if err := s.db.SelectContext(ctx, &rows, s.db.Rebind(`
			SELECT id, snapshot FROM complaints WHERE facts_version = 0 AND id > ? ORDER BY id LIMIT ?`),
			after, backfillBatch); err != nil {
			return fmt.Errorf("review facts backfill: %w", err)
		}
		if len(rows) == 0 {
			return nil
		}
		if err := s.inTx(ctx, func(tx *sqlx.Tx) error {
			for _, r := range rows {
				var c complaint.Case
				if err := json.Unmarshal([]byte(r.Snapshot), &c); err != nil {
					return fmt.Errorf("decode case %s: %w", r.ID, err)
				}
				args := append(reviewFactsOf(c).args(), r.ID)
				if _, err := tx.ExecContext(ctx, tx.Rebind(`UPDATE complaints SET `+reviewFactsSet+`
					WHERE id = ? AND facts_version = 0`), args...); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("review facts backfill: %w", err)
		}
		after = rows[len(rows)-1].ID
	}
}
