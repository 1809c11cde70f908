package loadgen

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ms(values ...int) []time.Duration {
	out := make([]time.Duration, len(values))
	for i, v := range values {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func TestSummarise(t *testing.T) {
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = 100 - i // unsorted: 100 … 1
	}
	for _, tc := range []struct {
		name    string
		samples []time.Duration
		elapsed time.Duration
		want    OpStats
	}{
		{"no samples", nil, time.Second, OpStats{Op: "x"}},
		{"one sample is every percentile", ms(7), 2 * time.Second,
			OpStats{Op: "x", OK: 1, PerSecond: 0.5, P50: 7, P95: 7, P99: 7, Max: 7}},
		{"nearest rank of 1..100", ms(hundred...), 10 * time.Second,
			OpStats{Op: "x", OK: 100, PerSecond: 10, P50: 50, P95: 95, P99: 99, Max: 100}},
		{"nearest rank of ten: p95 and p99 are the largest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), time.Second,
			OpStats{Op: "x", OK: 10, PerSecond: 10, P50: 5, P95: 10, P99: 10, Max: 10}},
		{"sub-millisecond kept to hundredths", []time.Duration{1234567}, 0,
			OpStats{Op: "x", OK: 1, P50: 1.23, P95: 1.23, P99: 1.23, Max: 1.23}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, summarise("x", tc.samples, tc.elapsed))
		})
	}
}

func TestRecorderCountsErrorsByReason(t *testing.T) {
	r := newRecorder()
	r.ok("contact", 10*time.Millisecond)
	r.failed("contact", "409")
	r.failed("contact", "409")
	r.failed("contact", "transport")
	got := r.stats("contact", time.Second)
	require.Equal(t, 1, got.OK)
	require.Equal(t, map[string]int{"409": 2, "transport": 1}, got.Errors)
	require.Nil(t, r.stats("close", time.Second).Errors)
}

func TestReportRatiosAndOutput(t *testing.T) {
	steps := []OpStats{
		{Op: Register, OK: 10, PerSecond: 40, P99: 300},
		{Op: "contact", OK: 10, PerSecond: 40, P99: 120, Errors: map[string]int{"500": 1}},
	}
	alone := OpStats{Op: RegisterAlone, OK: 10, PerSecond: 45, P99: 110, Errors: map[string]int{"withdraw 503": 1}}
	bare := Bare{
		Lifecycles: Phase{PerSecond: 8},
		UWS:        OpStats{Op: BareUWS, PerSecond: 8, P99: 200},
		Update:     OpStats{Op: BareUpdate, P99: 60, Errors: map[string]int{"x": 2}},
		UWSAlone:   OpStats{Op: BareUWSAlone, PerSecond: 50, P99: 100},
	}
	report := Report{APIURL: "http://127.0.0.1:8080", Concurrency: 4, Lifecycles: Phase{PerSecond: 4},
		Steps: steps, RegisterAlone: &alone, Bare: &bare}
	bare.Ratios = report.ratios(bare)
	require.Equal(t, Ratios{
		RegisterThroughput: 0.9, RegisterP99: 1.1, // alone against alone
		LifecycleRegisterP99: 1.5, LifecycleThroughput: 0.5,
		StepP99: map[string]float64{"contact": 2},
	}, bare.Ratios)
	require.Equal(t, 4, report.Failed())

	var table bytes.Buffer
	require.NoError(t, report.WriteTable(&table))
	require.Contains(t, table.String(), "2.00×")
	require.Contains(t, table.String(), "500×1")
	require.Contains(t, table.String(), "withdraw 503×1")
	require.Contains(t, table.String(), "lifecycles / bare lifecycles: throughput 0.50×")
	require.Contains(t, table.String(), "alone: throughput 0.90×, p99 1.10×")

	var raw bytes.Buffer
	require.NoError(t, report.WriteJSON(&raw))
	var back Report
	require.NoError(t, json.Unmarshal(raw.Bytes(), &back))
	require.Equal(t, report.Bare.Ratios, back.Bare.Ratios)
	require.Equal(t, report.Steps, back.Steps)
}

func TestRatioOfNothingIsZero(t *testing.T) {
	require.Zero(t, ratio(3, 0))
}
