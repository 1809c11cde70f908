package loadgen

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
)

// Run drives cfg's lifecycles through the API and, with cfg.Bare, then as
// many registrations alone, then the bare counterparts of both against the
// same Temporal server, one phase after the other at the same concurrency
// and rate, and reports them. On an early end (ctx) it returns what it
// measured so far with ctx's error.
func Run(ctx context.Context, cfg Config) (Report, error) {
	if err := cfg.Check(); err != nil {
		return Report{}, err
	}
	run := uuid.NewString()[:8]
	report := Report{APIURL: cfg.APIURL, Concurrency: cfg.Concurrency, Rate: cfg.Rate, Started: time.Now().UTC()}

	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = cfg.Concurrency
	api := &apiLoad{base: cfg.APIURL, tokens: cfg.Tokens, run: run, rec: newRecorder(),
		client: &http.Client{Transport: transport, Timeout: 2 * time.Minute}}
	defer transport.CloseIdleConnections()
	report.Lifecycles = phase(pace(ctx, cfg.Count, cfg.Duration, cfg.Rate), cfg.Concurrency,
		func(n int) bool { return api.lifecycle(ctx, n) })
	cfg.progress("%d of %d lifecycles completed in %.1f s", report.Lifecycles.Completed, report.Lifecycles.Started, report.Lifecycles.Seconds)
	for _, step := range Steps() {
		report.Steps = append(report.Steps, api.rec.stats(step, report.Lifecycles.elapsed()))
	}
	if cfg.Bare && ctx.Err() == nil {
		cfg.settle(ctx)
		alone := api.registrationsAlone(ctx, cfg, report.Lifecycles.Started)
		report.RegisterAlone = &alone
		cfg.progress("%d cases registered alone at %.1f/s", alone.OK, alone.PerSecond)
	}
	var b *bareLoad
	if cfg.Bare && ctx.Err() == nil {
		var closeBare func()
		var err error
		if b, closeBare, err = dialBare(ctx, cfg, run); err != nil {
			return report, err
		}
		defer closeBare()
		cfg.settle(ctx)
		bare := runBare(ctx, cfg, b, report.Lifecycles.Started)
		bare.Ratios = report.ratios(bare)
		report.Bare = &bare
	}
	if cfg.Deadlines > 0 && ctx.Err() == nil {
		deadlines, err := runDeadlines(ctx, cfg, api)
		report.Deadlines = &deadlines
		if err != nil {
			return report, err
		}
		if b != nil {
			deadlines.BareDueAt = b.timers(ctx, cfg, bareTimerLead(cfg))
			bareLateness := b.rec.stats(BareTimers, 0)
			deadlines.BareLateness = &bareLateness
			deadlines.P99ToBare = ratio(deadlines.Lateness.P99, bareLateness.P99)
			cfg.progress("%d bare timers woke", bareLateness.OK)
		}
	}
	return report, ctx.Err()
}

// dialBare connects to Temporal and starts loadgen's worker for the bare
// workflows; closeBare stops both.
func dialBare(ctx context.Context, cfg Config, run string) (_ *bareLoad, closeBare func(), _ error) {
	dial := cfg.Dial
	if dial == nil {
		dial = func(ctx context.Context) (client.Client, error) {
			quiet := sdklog.NewStructuredLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))
			return client.DialContext(ctx, client.Options{HostPort: cfg.TemporalAddress, Namespace: cfg.Namespace, Logger: quiet})
		}
	}
	c, err := dial(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("dial Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	stop, err := startBareWorker(c)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return &bareLoad{client: c, run: run, rec: newRecorder()}, func() { stop(); c.Close() }, nil
}

// runBare times n ExecuteWorkflow calls, then n bare lifecycles, then n
// update-with-starts alone.
func runBare(ctx context.Context, cfg Config, b *bareLoad, n int) Bare {
	starts := b.startThenClose(ctx, cfg, n, BareStart, b.start)
	cfg.progress("%d bare starts in %.1f s", starts.Completed, starts.Seconds)
	cfg.settle(ctx)
	lifecycles := phase(pace(ctx, n, 0, cfg.Rate), cfg.Concurrency, func(i int) bool { return b.lifecycle(ctx, i) })
	cfg.progress("%d of %d bare lifecycles completed in %.1f s", lifecycles.Completed, lifecycles.Started, lifecycles.Seconds)
	cfg.settle(ctx)
	alone := b.uwsAlone(ctx, cfg, n)
	cfg.progress("%d bare update-with-starts alone at %.1f/s", alone.OK, alone.PerSecond)
	return Bare{
		Lifecycles: lifecycles,
		Start:      b.rec.stats(BareStart, starts.elapsed()),
		UWS:        b.rec.stats(BareUWS, lifecycles.elapsed()),
		Update:     b.rec.stats(BareUpdate, lifecycles.elapsed()),
		UWSAlone:   alone,
	}
}

// phase runs work for every number next hands out, concurrency at a time,
// and counts and times it.
func phase(next <-chan int, concurrency int, work func(n int) bool) Phase {
	var started, completed atomic.Int64
	begin := time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			for n := range next {
				started.Add(1)
				if work(n) {
					completed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	p := Phase{Started: int(started.Load()), Completed: int(completed.Load()), Seconds: time.Since(begin).Seconds()}
	if p.Seconds > 0 {
		p.PerSecond = float64(p.Completed) / p.Seconds
	}
	return p
}

func nonEmpty(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
