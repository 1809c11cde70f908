package fuzz

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/workflowservice/v1"
)

// tableProbe is one table of the case store and the aggregates that change
// when a row is added or updated: its row count, and the latest and number
// of set values of every *_at column, the sums of version counters.
type tableProbe struct {
	table string
	query string
}

// observation is what an input may not change when it is refused.
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

// observe fingerprints the store and counts the case workflows.
func (w *world) observe(t *testing.T) observation {
	t.Helper()
	var b strings.Builder
	for _, p := range w.tables {
		rows, err := w.stack.Store.DB().QueryContext(t.Context(), p.query)
		require.NoError(t, err, p.table)
		cols, err := rows.Columns()
		require.NoError(t, err)
		values := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range values {
			ptrs[i] = &values[i]
		}
		require.True(t, rows.Next(), p.table)
		require.NoError(t, rows.Scan(ptrs...), p.table)
		require.NoError(t, rows.Close())
		fmt.Fprintf(&b, "%s%v\n", p.table, values)
	}
	resp, err := w.stack.Client.WorkflowService().CountWorkflowExecutions(t.Context(),
		&workflowservice.CountWorkflowExecutionsRequest{Namespace: w.stack.Config.Namespace, Query: complaintWorkflows})
	require.NoError(t, err)
	return observation{store: b.String(), workflows: resp.GetCount()}
}

// settle waits, after something may have changed, until visibility shows a
// workflow for every case and two looks a moment apart agree: clocks that
// were already due have fired and their notifications are recorded.
func (w *world) settle(t *testing.T) {
	t.Helper()
	if w.settled {
		return
	}
	var last observation
	require.Eventually(t, func() bool {
		now := w.observe(t)
		var cases int64
		require.NoError(t, w.stack.Store.DB().GetContext(t.Context(), &cases, "SELECT COUNT(*) FROM complaints"))
		stable := now.store == last.store && now.workflows == last.workflows
		last = now
		return stable && now.workflows >= cases
	}, 30*time.Second, 150*time.Millisecond, "%s: the stack comes to rest", w.name)
	w.settled = true
}
