package fuzz

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
)

// tableProbe is one table of the case store and the aggregates that change
// when a row is added or updated: its row count, and the latest and number
// of set values of every *_at column, the sums of version counters.
type tableProbe struct {
	table string
	query string
}

// observation is what an input may not change when it is refused or reads.
type observation struct {
	input     string
	store     string
	workflows int64
}

// complaintWorkflows counts the case workflows Temporal knows of; other
// workflows (schedules) come and go on their own.
const complaintWorkflows = "WorkflowType = 'ComplaintWorkflow'"

// probeTables reads the schema once, so that a table added by a migration is
// fingerprinted without a change here.
func (w *world) probeTables(ctx context.Context) error {
	db := w.stack.Store.DB()
	postgres := strings.HasPrefix(w.stack.Config.DatabaseURL, "postgres")
	var tables []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if postgres {
		q = `SELECT table_name FROM information_schema.tables
			WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	if err := db.SelectContext(ctx, &tables, q); err != nil {
		return err
	}
	w.tables = nil
	for _, table := range tables {
		if table == "goose_db_version" {
			continue
		}
		var columns []string
		q := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
		if postgres {
			q = `SELECT column_name FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
		}
		if err := db.SelectContext(ctx, &columns, q, table); err != nil {
			return err
		}
		aggregates := []string{"COUNT(*)"}
		for _, c := range columns {
			switch {
			case strings.HasSuffix(c, "_at"):
				aggregates = append(aggregates, "MAX("+c+")", "COUNT("+c+")")
			case c == "version" || c == "last_number":
				aggregates = append(aggregates, "SUM("+c+")")
			}
		}
		w.tables = append(w.tables, tableProbe{table: table,
			query: "SELECT " + strings.Join(aggregates, ", ") + " FROM " + table})
	}
	if len(w.tables) == 0 {
		return fmt.Errorf("no tables in the case store")
	}
	return nil
}

// observe fingerprints the store and, with countWorkflows, counts the case
// workflows (-1 when not counted).
func (w *world) observe(t *testing.T, countWorkflows bool) observation {
	t.Helper()
	o, err := w.look(t.Context(), countWorkflows)
	require.NoError(t, err, w.name)
	return o
}

// look is observe without a test; reads skip the workflow count
// (countWorkflows false), which costs a visibility call.
func (w *world) look(ctx context.Context, countWorkflows bool) (observation, error) {
	var b strings.Builder
	for _, p := range w.tables {
		var values []any
		err := func() error {
			rows, err := w.stack.Store.DB().QueryContext(ctx, p.query)
			if err != nil {
				return err
			}
			defer rows.Close()
			cols, err := rows.Columns()
			if err != nil {
				return err
			}
			values = make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range values {
				ptrs[i] = &values[i]
			}
			if !rows.Next() {
				return fmt.Errorf("no row: %w", rows.Err())
			}
			return rows.Scan(ptrs...)
		}()
		if err != nil {
			return observation{}, fmt.Errorf("%s: %w", p.table, err)
		}
		fmt.Fprintf(&b, "%s%v\n", p.table, values)
	}
	o := observation{store: b.String(), workflows: -1}
	if !countWorkflows {
		return o, nil
	}
	var err error
	o.workflows, err = w.countWorkflows(ctx, complaintWorkflows)
	return o, err
}

// countWorkflows asks visibility, which Temporal rate-limits (10 calls a
// second by default): a refusal by the limit is retried.
func (w *world) countWorkflows(ctx context.Context, query string) (int64, error) {
	return backoff.Retry(ctx, func() (int64, error) {
		resp, err := w.stack.Client.WorkflowService().CountWorkflowExecutions(ctx,
			&workflowservice.CountWorkflowExecutionsRequest{Namespace: w.stack.Config.Namespace, Query: query})
		var exhausted *serviceerror.ResourceExhausted
		if errors.As(err, &exhausted) {
			return 0, err
		}
		if err != nil {
			return 0, backoff.Permanent(err)
		}
		return resp.GetCount(), nil
	}, backoff.WithBackOff(&backoff.ExponentialBackOff{InitialInterval: 50 * time.Millisecond,
		RandomizationFactor: 0.5, Multiplier: 2, MaxInterval: time.Second}), backoff.WithMaxElapsedTime(30*time.Second))
}

// settle waits, after something may have changed, until the store and
// visibility agree (every case has a workflow, every open case a running
// one: a closed case's workflow has completed, a reopened one's new run
// shows) and two looks a moment apart agree: clocks that were already due
// have fired and their notifications are recorded.
func (w *world) settle(t *testing.T) {
	t.Helper()
	if w.settled {
		return
	}
	var last observation
	require.Eventually(t, func() bool {
		// No require in here: it runs on another goroutine.
		ctx := t.Context()
		now, err := w.look(ctx, true)
		var cases, open, running int64
		if err == nil {
			err = w.stack.Store.DB().GetContext(ctx, &cases, "SELECT COUNT(*) FROM complaints")
		}
		if err == nil {
			err = w.stack.Store.DB().GetContext(ctx, &open,
				"SELECT COUNT(*) FROM complaints WHERE stage NOT IN ('closed', 'terminated')")
		}
		if err == nil {
			running, err = w.countWorkflows(ctx, complaintWorkflows+" AND ExecutionStatus = 'Running'")
		}
		if err != nil {
			return false
		}
		stable := now.store == last.store && now.workflows == last.workflows
		last = now
		return stable && now.workflows >= cases && running == open
	}, 30*time.Second, 50*time.Millisecond, "%s: the stack comes to rest", w.name)
	w.settled = true
}
