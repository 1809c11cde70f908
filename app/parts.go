package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/telemetry"
)

// openStore connects to the case store and brings its schema up to date;
// every process migrates at start, and migrations are idempotent.
// openCLIStore is openStore for a command run by hand, which may be the
// first to use the dev data dir.
func openCLIStore(ctx context.Context, cfg Config) (*store.Store, error) {
	if strings.HasPrefix(cfg.DatabaseURL, "sqlite:") {
		if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
			return nil, err
		}
	}
	return openStore(ctx, cfg)
}

func openStore(ctx context.Context, cfg Config) (*store.Store, error) {
	maxConns, err := cfg.dbMaxConns()
	if err != nil {
		return nil, err
	}
	s, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	s.LimitConnections(maxConns)
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	// The built-in policies exist from the start; edits made through the
	// API are kept.
	if err := s.EnsurePolicies(ctx, sla.Standard(), sla.Medical()); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// dialTemporal connects a client that logs through slog and reports the
// SDK's metrics into the process's registry, over TLS and with the API key
// that the environment configures. Its payloads and failures are sealed
// by codec (nil only for a client that never sends any).
func dialTemporal(ctx context.Context, cfg Config, logger *slog.Logger, metrics *telemetry.Metrics, codec *payloadcrypt.Codec) (client.Client, error) {
	opts := client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
	}
	if codec != nil {
		opts.DataConverter = codec.DataConverter()
		opts.FailureConverter = payloadcrypt.FailureConverter(opts.DataConverter)
	}
	if metrics != nil {
		opts.MetricsHandler = metrics.TemporalHandler()
	}
	tlsConfig, err := cfg.temporalTLS(time.Now())
	if err != nil {
		return nil, err
	}
	opts.ConnectionOptions.TLS = tlsConfig
	if opts.ConnectionOptions.GrpcCompression, err = cfg.temporalCompression(); err != nil {
		return nil, err
	}
	if opts.Credentials, err = cfg.temporalCredentials(); err != nil {
		return nil, err
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		if refused := refusedAccess(cfg, err); refused != nil {
			return nil, refused
		}
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	if err := checkTemporalAccess(ctx, c, cfg); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// temporalCompression is the gRPC compression of requests to Temporal. The
// SDK gzips by default, but what caseflow sends is mostly sealed payloads,
// compressed before sealing and incompressible after: gzip would cost CPU
// on both ends for a few bytes of framing (NOTES.md, issue 10).
func (c Config) temporalCompression() (client.GrpcCompression, error) {
	switch c.TemporalCompression {
	case "none":
		return &client.GrpcCompressionNone{}, nil
	case "gzip":
		return &client.GrpcCompressionGzip{}, nil
	}
	return nil, fmt.Errorf("TEMPORAL_GRPC_COMPRESSION=%q: want none or gzip", c.TemporalCompression)
}

// httpServer serves handler on addr until Shutdown.
type httpServer struct {
	srv      *http.Server
	listener net.Listener
	done     chan error
}

// httpTimeouts bound how long a connection may hold the server: a client
// sending its request a byte at a time is cut off after Read; Write is
// above the 30 s a registration or step waits for its workflow.
type httpTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
}

var serverTimeouts = httpTimeouts{
	ReadHeader: 10 * time.Second,
	Read:       30 * time.Second,
	Write:      75 * time.Second,
	Idle:       2 * time.Minute,
}

func listenHTTP(addr string, handler http.Handler, logger *slog.Logger) (*httpServer, error) {
	return listenHTTPWith(addr, handler, logger, serverTimeouts)
}

func listenHTTPWith(addr string, handler http.Handler, logger *slog.Logger, t httpTimeouts) (*httpServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return serveHTTP(ln, handler, logger, t), nil
}

// serveHTTP serves handler on a listener taken earlier (see listenAPI).
func serveHTTP(ln net.Listener, handler http.Handler, logger *slog.Logger, t httpTimeouts) *httpServer {
	s := &httpServer{
		srv: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: t.ReadHeader,
			ReadTimeout:       t.Read,
			WriteTimeout:      t.Write,
			IdleTimeout:       t.Idle,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		},
		listener: ln,
		done:     make(chan error, 1),
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
	}()
	return s
}

// listenMetrics serves /healthz and /metrics on the metrics address, apart
// from the public API port, for the orchestrator and Prometheus.
func listenMetrics(addr string, reg *prometheus.Registry, logger *slog.Logger) (*httpServer, error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// Profiles, for whoever may reach this internal port: where memory and
	// goroutines go with many open cases (issue 10's scale target).
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	return listenHTTP(addr, mux, logger)
}

// URL is the base URL the server answers on.
func (s *httpServer) URL() string { return "http://" + s.listener.Addr().String() }

// shutdown lets in-flight requests finish, up to a bound.
func (s *httpServer) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}

// newActivities gives the activities the store and the notification channels.
func newActivities(cfg Config, st *store.Store) (*activities.Activities, error) {
	channel, err := cfg.notifier()
	if err != nil {
		return nil, err
	}
	loc, err := cfg.timeZone()
	if err != nil {
		return nil, err
	}
	policy, err := cfg.followupPolicy()
	if err != nil {
		return nil, err
	}
	return &activities.Activities{Store: st, Channel: channel, TimeZone: loc.String(), Followups: policy,
		PublicURL: cfg.publicURL()}, nil
}
