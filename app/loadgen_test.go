package app_test

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/caseflow/caseflow/app"
	"github.com/caseflow/caseflow/loadgen"
)

// loadgenConfig points loadgen at the embedded stack as its demo users.
func loadgenConfig(stack *app.Stack, count, concurrency int) loadgen.Config {
	return loadgen.Config{
		APIURL: stack.APIURL(), Tokens: loadgen.TokensFromDemoUsers(stack.DemoUsers),
		Concurrency: concurrency, Count: count,
		Bare: true, TemporalAddress: stack.Config.TemporalAddress, Namespace: stack.Config.Namespace,
	}
}

// requireCompleteReport checks that every lifecycle and bare lifecycle ran
// to its end and that every call and ratio was measured.
func requireCompleteReport(t testing.TB, report loadgen.Report, count int) {
	t.Helper()
	require.Zero(t, report.Failed(), "%+v", report)
	require.Equal(t, loadgen.Phase{Started: count, Completed: count},
		loadgen.Phase{Started: report.Lifecycles.Started, Completed: report.Lifecycles.Completed})
	require.Len(t, report.Steps, len(loadgen.Steps()))
	for _, s := range report.Steps {
		perLifecycle := 1
		if s.Op == "proposals" || s.Op == "approvals" {
			perLifecycle = 2
		}
		require.Equal(t, count*perLifecycle, s.OK, s.Op)
		require.Positive(t, s.P99, s.Op)
	}
	bare := report.Bare
	require.NotNil(t, bare)
	require.Equal(t, count, bare.Lifecycles.Completed)
	require.Equal(t, count, bare.Start.OK)
	require.Equal(t, count, bare.UWS.OK)
	require.Equal(t, count*(len(loadgen.Steps())+1), bare.Update.OK, "as many updates as a case has steps")
	require.NotNil(t, report.RegisterAlone)
	require.Equal(t, count, report.RegisterAlone.OK, "as many registrations alone as lifecycles")
	require.Equal(t, count, bare.UWSAlone.OK)
	require.Positive(t, bare.Ratios.RegisterThroughput)
	require.Positive(t, bare.Ratios.RegisterP99)
	require.Positive(t, bare.Ratios.LifecycleRegisterP99)
	require.Positive(t, bare.Ratios.LifecycleThroughput)
	require.Len(t, bare.Ratios.StepP99, len(loadgen.Steps())-1)
	for step, r := range bare.Ratios.StepP99 {
		require.Positive(t, r, step)
	}
}

// TestLoadgenLifecycles runs the load tool through the real stack: cases go
// from registration to closure, the bare calls run beside them, coinciding
// deadlines are escalated and read back, and the report shows every call.
func TestLoadgenLifecycles(t *testing.T) {
	stack := startStack(t, devConfig(t.TempDir(), nil))
	cfg := loadgenConfig(stack, 3, 2)
	cfg.Deadlines, cfg.DeadlineLead = 4, 6*time.Second
	report, err := loadgen.Run(t.Context(), cfg)
	require.NoError(t, err)
	requireCompleteReport(t, report, 3)
	d := report.Deadlines
	require.NotNil(t, d)
	require.Equal(t, 4, d.Escalated)
	require.Equal(t, 4, d.Lateness.OK)
	require.GreaterOrEqual(t, d.Lateness.P50, 0.0, "no escalation before its deadline")
	require.Equal(t, 4, d.Withdraw.OK, "the deadline cases are withdrawn again")
	require.NotNil(t, d.BareLateness)
	require.Equal(t, 4, d.BareLateness.OK, "every bare timer woke")
	require.True(t, d.BareDueAt.After(d.DueAt), "the bare timers come after the cases' deadline, apart")
	// Three lifecycles closed, three registered alone and withdrawn.
	for customer, cases := range map[string]int{"C-LOADGEN": 6, "C-LOADGEN-DEADLINES": 4} {
		status, page := agent(t, stack).do(http.MethodGet, "/api/v1/complaints?customer_id="+customer, nil, nil)
		require.Equal(t, http.StatusOK, status)
		require.Len(t, page["complaints"], cases, customer)
		for _, c := range page["complaints"].([]any) {
			require.Equal(t, "closed", c.(map[string]any)["stage"], customer)
		}
	}

	var table strings.Builder
	require.NoError(t, report.WriteTable(&table))
	for _, op := range append(loadgen.Steps(), loadgen.BareStart, loadgen.BareUWS, loadgen.BareUpdate, loadgen.RegisterAlone, loadgen.BareUWSAlone) {
		require.Contains(t, table.String(), op)
	}
}

// BenchmarkLoadgen measures caseflow against the bare Temporal calls under
// it on the embedded stack and prints the report. Run it once:
//
//	go test -run '^$' -bench Loadgen -benchtime=1x -timeout 30m ./app/
//
// CASEFLOW_BENCH_LIFECYCLES (default 20) and CASEFLOW_BENCH_CONCURRENCY
// (default 4) size it. CASEFLOW_BENCH_RATE (lifecycles a second; none by
// default) holds caseflow and the bare calls to the same offered load, so
// that the ratios compare each call's latency rather than what a lifecycle
// costs in CPU on cores loadgen shares (README, "Measuring it").
func BenchmarkLoadgen(b *testing.B) {
	count, concurrency := envInt("CASEFLOW_BENCH_LIFECYCLES", 20), envInt("CASEFLOW_BENCH_CONCURRENCY", 4)
	rate := float64(envInt("CASEFLOW_BENCH_RATE", 0))
	for _, backend := range stackBackends() {
		b.Run(backend.name, func(b *testing.B) {
			for b.Loop() {
				stack := startStack(b, devConfig(b.TempDir(), backend.env(b)))
				cfg := loadgenConfig(stack, count, concurrency)
				cfg.Rate = rate
				report, err := loadgen.Run(b.Context(), cfg)
				require.NoError(b, err)
				requireCompleteReport(b, report, count)
				var table strings.Builder
				require.NoError(b, report.WriteTable(&table))
				b.Log("\n" + table.String())
				b.ReportMetric(report.Bare.Ratios.RegisterThroughput, "reg_thr/bare_uws")
				b.ReportMetric(report.Bare.Ratios.RegisterP99, "reg_p99/bare_uws")
				b.ReportMetric(report.Bare.Ratios.LifecycleThroughput, "lifecycles/bare")
				b.ReportMetric(report.Bare.Ratios.StepP99["contact"], "contact_p99/bare_upd")
				b.ReportMetric(report.Bare.Ratios.StepP99["approvals"], "approvals_p99/bare_upd")
			}
		})
	}
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return fallback
}
