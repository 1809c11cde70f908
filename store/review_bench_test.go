package store

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/review"
	"github.com/caseflow/caseflow/store/storetest"
)

// BenchmarkReviewMonth measures what the review workflow does for a month
// of 100,000 cases on PostgreSQL: read the facts and the corrective
// actions, and compute the figures. The target is under 5 s.
//
//	CASEFLOW_TEST_DATABASE_URL=postgres://… go test -run '^$' -bench ReviewMonth -benchtime 3x ./store/
func BenchmarkReviewMonth(b *testing.B) {
	if os.Getenv(storetest.EnvDatabaseURL) == "" {
		b.Skip(storetest.EnvDatabaseURL + " is not set")
	}
	const n = 100_000
	ctx := b.Context()
	s, err := Open(ctx, storetest.Postgres(b).URL)
	require.NoError(b, err)
	b.Cleanup(func() { s.Close() })
	require.NoError(b, s.Migrate(ctx))
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(b, err)
	from, to, err := review.MonthRange("2026-10", loc)
	require.NoError(b, err)
	require.NoError(b, seedReviewMonth(ctx, s, n, from, to))
	// What autovacuum does soon after a bulk load in production.
	_, err = s.db.ExecContext(ctx, "ANALYZE complaints")
	require.NoError(b, err)

	for b.Loop() {
		cases, err := s.ReviewFacts(ctx, from, to)
		if err != nil {
			b.Fatal(err)
		}
		capas, err := s.ReviewCapaFacts(ctx, to)
		if err != nil {
			b.Fatal(err)
		}
		f, err := review.Compute("2026-10", loc, cases, capas, to)
		if err != nil {
			b.Fatal(err)
		}
		if f.Cases != n {
			b.Fatalf("%d cases, want %d", f.Cases, n)
		}
	}
}

// seedReviewMonth writes n cases received over [from, to), with their
// review facts filled and a snapshot of a case's usual size (the review
// does not read it, but it makes the rows as wide as in production), and
// 2,000 corrective actions.
func seedReviewMonth(ctx context.Context, s *Store, n int, from, to time.Time) error {
	snapshot, err := json.Marshal(benchCase(0, complaint.StageRemediate, complaint.DepartmentTechnical))
	if err != nil {
		return err
	}
	step := to.Sub(from) / time.Duration(n)
	const batch = 500 // 27 parameters a row, under PostgreSQL's 65,535
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		for start := 0; start < n; start += batch {
			var rows []string
			var args []any
			for i := start; i < min(start+batch, n); i++ {
				rows = append(rows, "(?"+strings.Repeat(", ?", 26)+")")
				args = append(args, reviewBenchRow(i, from.Add(time.Duration(i)*step), string(snapshot))...)
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO complaints (id, case_number, customer_id,
				category, severity, stage, responsible_department, received_at, registered_at, updated_at, version,
				snapshot, region, branch_office, part_number, root_cause, liability, response_state, response_seconds,
				onsite_state, onsite_seconds, resolution_state, resolution_seconds, recurrence, satisfaction,
				closed_at, facts_version) VALUES `+strings.Join(rows, ", ")), args...); err != nil {
				return err
			}
		}
		for i := range 2000 {
			var effective any
			stage := complaint.CapaStages()[i%len(complaint.CapaStages())]
			opened := from.AddDate(0, -6, 0).Add(time.Duration(i) * time.Hour)
			if stage == complaint.CapaEffective {
				effective = utc(opened.Add(60 * 24 * time.Hour))
			}
			if _, err := tx.ExecContext(ctx, tx.Rebind(`INSERT INTO capas (id, number, serial, stage,
				owner_department, due_date, opened_at, effective_at, updated_at, version, snapshot)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, '{}')`),
				fmt.Sprint("capa-", i), fmt.Sprintf("CAPA-2026-%06d", i), i, stage, complaint.Departments()[i%6],
				opened.AddDate(0, 0, 30).Format(time.DateOnly), utc(opened), effective, utc(opened)); err != nil {
				return err
			}
		}
		return nil
	})
}

// reviewBenchRow is case i's row: every category, severity, department
// (and unanalyzed), liability, clock state, a spread of times, 50 causes,
// 500 parts, recurrences and satisfactions.
func reviewBenchRow(i int, received time.Time, snapshot string) []any {
	departments := append(complaint.Departments(), "")
	categories, liabilities := complaint.Categories(), complaint.Liabilities()
	severity := complaint.SeverityMinor
	if i%5 == 0 {
		severity = complaint.SeveritySevere
	}
	dept, liability, cause := departments[i%len(departments)], "", ""
	if dept != "" {
		liability, cause = liabilities[i%len(liabilities)], fmt.Sprint("cause ", i%50)
	}
	state := func(k int) string {
		if (i+k)%6 == 0 {
			return string(complaint.ClockBreached)
		}
		return string(complaint.ClockMet)
	}
	seconds := func(k int) any { return int64((i*37+k*1000)%20_000 + 60) }
	onsiteState, onsiteSeconds := state(1), seconds(1)
	if i%3 == 0 {
		onsiteState, onsiteSeconds = string(complaint.ClockNotRequired), nil
	}
	resolState := string(complaint.ClockRunning)
	var resolSeconds, satisfaction, closedAt any
	if i%10 < 7 {
		resolState, resolSeconds = state(2), int64((i*53)%300_000+600)
		closedAt = utc(received.Add(72 * time.Hour))
		if i%3 != 0 {
			satisfaction = 1 + i%5
		}
	}
	return []any{fmt.Sprintf("case-%07d", i), fmt.Sprintf("CMP-2026-%06d", i),
		fmt.Sprintf("C-%04d", i%500), categories[i%len(categories)], severity, complaint.StageRemediate,
		dept, utc(received), utc(received), utc(received), 5, snapshot,
		fmt.Sprint("Region-", i%6), fmt.Sprintf("Office-%02d", i%20), fmt.Sprintf("P-%04d", i%500), cause,
		liability, state(0), seconds(0), onsiteState, onsiteSeconds, resolState, resolSeconds,
		i%25 == 0, satisfaction, closedAt, reviewFactsVersion}
}
