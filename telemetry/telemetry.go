// Package telemetry sets up logging and Prometheus metrics, including the
// Temporal SDK's own metrics, on one registry served at /metrics.
package telemetry

import (
	"io"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
)

// NewLogger returns a text logger for humans (dev) or a JSON one for log
// pipelines; level is debug, info, warn or error.
func NewLogger(w io.Writer, format, level string) *slog.Logger {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		lvl = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: lvl}
	if strings.EqualFold(format, "text") {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// Metrics is the process's metric registry.
type Metrics struct {
	Registry *prometheus.Registry
	scope    tally.Scope
	closer   io.Closer
}

// NewMetrics creates a registry with Go runtime and process collectors.
func NewMetrics() *Metrics {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  newReporter(reg),
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, time.Second)
	return &Metrics{Registry: reg, scope: sdktally.NewPrometheusNamingScope(scope), closer: closer}
}

// TemporalHandler reports the Temporal SDK's metrics (workflow task latency,
// activity failures, poller counts…) into the registry.
func (m *Metrics) TemporalHandler() client.MetricsHandler {
	return sdktally.NewMetricsHandler(m.scope)
}

// Close flushes and stops the SDK metrics reporter.
func (m *Metrics) Close() error { return m.closer.Close() }
