package console_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/complaint"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/store/storetest"
)

// BenchmarkConsolePages loads each page with 10,000 cases in the store
// (CASEFLOW_BENCH_CASES to change it) and reports its p95: the target is
// under 100 ms. On PostgreSQL too when CASEFLOW_TEST_DATABASE_URL is set.
//
//	go test -run '^$' -bench ConsolePages -benchtime 200x ./console/
func BenchmarkConsolePages(b *testing.B) {
	n := 10_000
	if v, err := strconv.Atoi(os.Getenv("CASEFLOW_BENCH_CASES")); err == nil && v > 0 {
		n = v
	}
	for _, backend := range storetest.Backends(b) {
		b.Run(backend.Name, func(b *testing.B) {
			s := newBenchSite(b, backend.URL)
			ids := seedConsoleCases(b, s.store, n)
			pages := []struct{ name, user, path string }{
				{"my-work-approver", "quality/approver", "/console/"},
				{"my-work-agent", "after_sales/agent", "/console/"},
				{"cases", "after_sales/agent", "/console/cases"},
				{"cases-filtered", "after_sales/agent", "/console/cases?stage=approve&severity=severe"},
				{"case", "after_sales/agent", "/console/cases/" + ids[n/2]},
				{"board", "after_sales/supervisor", "/console/board"},
				{"notifications", "after_sales/agent", "/console/notifications"},
			}
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					br := s.benchBrowser(b, p.user)
					durations := make([]time.Duration, 0, b.N)
					for b.Loop() {
						start := time.Now()
						status := br.status(p.path)
						durations = append(durations, time.Since(start))
						if status != http.StatusOK {
							b.Fatalf("%s: %d", p.path, status)
						}
					}
					slices.Sort(durations)
					b.ReportMetric(float64(durations[len(durations)*95/100].Microseconds())/1000, "p95-ms")
				})
			}
		})
	}
}

// seedConsoleCases registers n cases spread over the stages, severe ones
// awaiting quality's approval among them, through the store's own write.
func seedConsoleCases(b *testing.B, st *store.Store, n int) []string {
	ctx := b.Context()
	stages := complaint.Stages()
	now := time.Now().UTC()
	ids := make([]string, n)
	for i := range n {
		id := fmt.Sprintf("bench-%06d", i)
		ids[i] = id
		stage := complaint.Stage(stages[i%len(stages)])
		due := now.Add(time.Duration(i%240) * time.Minute)
		c := complaint.Case{ID: id, Stage: stage, ReceivedAt: now.Add(-time.Duration(i) * time.Minute),
			RegisteredAt: now, Register: complaint.Register{CustomerID: "C-" + strconv.Itoa(i%500),
				CustomerName: "Customer", ContactName: "Contact", Description: "bench",
				Category: complaint.CategoryQuality, Severity: complaint.SeveritySevere},
			ResponsibleDepartment: complaint.Departments()[i%len(complaint.Departments())],
			Clocks:                &complaint.Clocks{Response: complaint.Clock{DueAt: &due, State: complaint.ClockRunning}}}
		if stage == complaint.StageApprove {
			c.ApprovalRounds = []complaint.ApprovalRound{{Number: 1, Outcome: complaint.RoundPending,
				Agreement: complaint.Agreement{AgreementBody: complaint.AgreementBody{
					ApprovingDepartments: []string{complaint.DepartmentQuality}}}}}
		}
		c.AllowedSteps = []string{complaint.StepApprovals}
		_, err := st.RegisterCase(ctx, c, complaint.Event{Seq: 1, Kind: complaint.EventRegistered, OccurredAt: now,
			Payload: []byte(`{}`)})
		require.NoError(b, err)
	}
	return ids
}
