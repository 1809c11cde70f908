package app_test

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// BenchmarkEscalationLateness registers many open cases whose response
// deadlines fall at the same instant and reports how late the first
// escalation of each is written to the outbox after its deadline (p50, p99,
// max). Run it once, on the embedded stack:
//
//	go test -run '^$' -bench EscalationLateness -benchtime=1x -timeout 30m ./app/
//
// CASEFLOW_BENCH_CASES sets the number of cases (default 1000).
func BenchmarkEscalationLateness(b *testing.B) {
	cases := 1000
	if v, err := strconv.Atoi(os.Getenv("CASEFLOW_BENCH_CASES")); err == nil && v > 0 {
		cases = v
	}
	// Temporal on SQLite (the dev default) and, with
	// CASEFLOW_TEST_DATABASE_URL, on PostgreSQL.
	for _, backend := range stackBackends() {
		b.Run(backend.name, func(b *testing.B) {
			for b.Loop() {
				runEscalationLateness(b, cases, backend)
			}
		})
	}
}

func runEscalationLateness(b *testing.B, cases int, backend stackBackend) {
	tb := testing.TB(b)
	stack := startStack(tb, devConfig(b.TempDir(), backend.env(tb)))
	supervisor := as(tb, stack, "after_sales", "supervisor")
	agentTB := as(tb, stack, "after_sales", "agent")

	// Registration runs at some tens per second on two cores; leave it
	// enough time to finish before the shared deadline.
	lead := time.Duration(cases)*60*time.Millisecond + 30*time.Second
	target := 24 * time.Hour
	deadline := time.Now().Add(lead).Truncate(time.Second)
	received := deadline.Add(-target)
	policy := map[string]any{
		"response": target.String(), "onsite": "48h", "resolution": "72h",
		"warning_points": []float64{0.999},
		"escalation": []map[string]any{
			{"level": 1, "after": "0s", "recipients": []map[string]any{{"role": "supervisor", "department": "after_sales"}}},
		},
	}
	status, body := supervisor.do(http.MethodPut, "/api/v1/sla-policies/bench", policy, nil)
	require.Equal(tb, http.StatusOK, status, "%v", body)
	status, body = supervisor.do(http.MethodPut, "/api/v1/customers/C-BENCH", map[string]any{"name": "Bench", "sla_policy": "bench"}, nil)
	require.Equal(tb, http.StatusOK, status, "%v", body)

	var wg sync.WaitGroup
	next := make(chan int)
	var failed sync.Map
	for range 16 {
		wg.Go(func() {
			for i := range next {
				complaint := validComplaint()
				complaint["customer_id"] = "C-BENCH"
				complaint["category"] = "non_quality"
				complaint["received_at"] = received.Format(time.RFC3339)
				complaint["description"] = fmt.Sprint("bench case ", i)
				if status, body := agentTB.do(http.MethodPost, "/api/v1/complaints", complaint, nil); status != http.StatusCreated {
					failed.Store(i, fmt.Sprint(status, body))
				}
			}
		})
	}
	for i := range cases {
		next <- i
	}
	close(next)
	wg.Wait()
	failed.Range(func(k, v any) bool { tb.Fatalf("case %v: %v", k, v); return false })
	require.True(tb, time.Now().Before(deadline), "registration outlasted the deadline; raise the lead time")

	var delays []time.Duration
	require.Eventually(tb, func() bool {
		var err error
		delays, err = stack.Store.EscalationDelays(b.Context())
		return err == nil && len(delays) >= cases
	}, lead+10*time.Minute, time.Second, "every case escalates")

	slices.Sort(delays)
	pct := func(p float64) time.Duration { return delays[int(p*float64(len(delays)-1))] }
	b.ReportMetric(pct(0.50).Seconds(), "p50_late_s")
	b.ReportMetric(pct(0.99).Seconds(), "p99_late_s")
	b.ReportMetric(delays[len(delays)-1].Seconds(), "max_late_s")
	b.Logf("%d cases due at %s: escalation recorded late by p50 %s, p99 %s, max %s",
		cases, deadline.Format(time.RFC3339), pct(0.50), pct(0.99), delays[len(delays)-1])
}
