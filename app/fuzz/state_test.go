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
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/workflows"
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

// restWindow is how long the store must hold still to be at rest: a
// step's background work lands a moment after its answer, which on a busy
// machine is later than the next look; caughtUp waits for what the case
// workflows are known to do after answering.
const restWindow = 200 * time.Millisecond

// settle waits, after something may have changed, until the store and
// visibility agree (every case has a workflow, every open case a running
// one: a closed case's workflow has completed, a reopened one's new run
// shows) and the looks agree for restWindow: clocks that were already due
// have fired and their notifications are recorded.
func (w *world) settle(t *testing.T) {
	t.Helper()
	if w.settled {
		return
	}
	var last observation
	var since time.Time
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
		if now.store != last.store || now.workflows != last.workflows {
			last, since = now, time.Now()
		}
		return time.Since(since) >= restWindow && now.workflows >= cases && running == open && w.caughtUp(ctx)
	}, 30*time.Second, 50*time.Millisecond, "%s: the stack comes to rest", w.name)
	w.settled = true
	clear(w.touched)
}

// caughtUp reports whether the workflow of every touched case has done
// what it does in the background: no activity pending (such as the search
// for the earlier cases a complaint repeats), no event it holds that the
// store lacks (an event no caller was answered, such as recurrence_found,
// is written projectionDelay after it happened: workflows/projection.go),
// and every corrective action it set recorded by the action's own
// workflow, a child it starts after answering.
func (w *world) caughtUp(ctx context.Context) bool {
	db := w.stack.Store.DB()
	for id := range w.touched {
		wid := complaint.WorkflowID(id)
		desc, err := w.stack.Client.DescribeWorkflowExecution(ctx, wid, "")
		if err != nil {
			return false
		}
		if desc.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			continue
		}
		if len(desc.GetPendingActivities()) > 0 {
			return false
		}
		held, err := workflows.QueryCase.Ask(ctx, w.stack.Client, wid)
		if err != nil {
			return false
		}
		var stored int64
		if err := db.GetContext(ctx, &stored, db.Rebind("SELECT version FROM complaints WHERE id = ?"), id); err != nil ||
			stored < held.Version {
			return false
		}
		for _, ca := range held.CorrectiveActions {
			var n int
			if ca.CapaID != "" && (db.GetContext(ctx, &n, db.Rebind("SELECT COUNT(*) FROM capas WHERE id = ?"), ca.CapaID) != nil || n == 0) {
				return false
			}
		}
	}
	return true
}
