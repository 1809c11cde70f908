package loadgen

import (
	"maps"
	"math"
	"slices"
	"sync"
	"time"
)

// OpStats summarises one kind of call: a lifecycle step or a bare Temporal
// call. Latencies are of the calls that succeeded, in milliseconds.
type OpStats struct {
	Op string `json:"op"`
	OK int    `json:"ok"`
	// Errors counts failed calls by HTTP status, or by "transport" when no
	// answer came.
	Errors map[string]int `json:"errors,omitempty"`
	// Retried counts answers that the call repeated with its
	// Idempotency-Key (503, or no answer) before it succeeded or failed.
	Retried   map[string]int `json:"retried,omitempty"`
	PerSecond float64        `json:"per_second"`
	P50       float64        `json:"p50_ms"`
	P95       float64        `json:"p95_ms"`
	P99       float64        `json:"p99_ms"`
	Max       float64        `json:"max_ms"`
}

// recorder collects every sample of a phase; safe for concurrent use.
type recorder struct {
	mu        sync.Mutex
	latencies map[string][]time.Duration
	errors    map[string]map[string]int
	retries   map[string]map[string]int
}

func newRecorder() *recorder {
	return &recorder{latencies: map[string][]time.Duration{}, errors: map[string]map[string]int{},
		retries: map[string]map[string]int{}}
}

func (r *recorder) ok(op string, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.latencies[op] = append(r.latencies[op], d)
}

func (r *recorder) failed(op, reason string) { r.count(r.errors, op, reason) }

// retried counts an answer that the call repeats with the same key.
func (r *recorder) retried(op, reason string) { r.count(r.retries, op, reason) }

func (r *recorder) count(counts map[string]map[string]int, op, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if counts[op] == nil {
		counts[op] = map[string]int{}
	}
	counts[op][reason]++
}

// stats summarises op over a phase that lasted elapsed.
func (r *recorder) stats(op string, elapsed time.Duration) OpStats {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := summarise(op, r.latencies[op], elapsed)
	if len(r.errors[op]) > 0 {
		s.Errors = maps.Clone(r.errors[op])
	}
	if len(r.retries[op]) > 0 {
		s.Retried = maps.Clone(r.retries[op])
	}
	return s
}

// summarise computes the percentiles from every sample (no histogram).
func summarise(op string, samples []time.Duration, elapsed time.Duration) OpStats {
	s := OpStats{Op: op, OK: len(samples)}
	if elapsed > 0 {
		s.PerSecond = float64(len(samples)) / elapsed.Seconds()
	}
	if len(samples) == 0 {
		return s
	}
	sorted := slices.Clone(samples)
	slices.Sort(sorted)
	s.P50 = millis(percentile(sorted, 0.50))
	s.P95 = millis(percentile(sorted, 0.95))
	s.P99 = millis(percentile(sorted, 0.99))
	s.Max = millis(sorted[len(sorted)-1])
	return s
}

// percentile is the nearest-rank percentile of sorted samples: the smallest
// sample that at least p of all samples do not exceed.
func percentile(sorted []time.Duration, p float64) time.Duration {
	rank := int(math.Ceil(p * float64(len(sorted))))
	return sorted[max(rank, 1)-1]
}

func millis(d time.Duration) float64 { return math.Round(float64(d)/1e4) / 100 }
