package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"github.com/caseflow/caseflow/activities"
	"github.com/caseflow/caseflow/sla"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/telemetry"
)

// openStore connects to the case store and brings its schema up to date;
// every process migrates at start, and migrations are idempotent.
func openStore(ctx context.Context, cfg Config) (*store.Store, error) {
	s, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
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
// SDK's metrics into the process's registry.
func dialTemporal(ctx context.Context, cfg Config, logger *slog.Logger, metrics *telemetry.Metrics) (client.Client, error) {
	opts := client.Options{
		HostPort:  cfg.TemporalAddress,
		Namespace: cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(logger.With("component", "temporal-sdk")),
	}
	if metrics != nil {
		opts.MetricsHandler = metrics.TemporalHandler()
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s: %w", cfg.TemporalAddress, err)
	}
	return c, nil
}

// httpServer serves handler on addr until Shutdown.
type httpServer struct {
	srv      *http.Server
	listener net.Listener
	done     chan error
}

func listenHTTP(addr string, handler http.Handler, logger *slog.Logger) (*httpServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	s := &httpServer{
		srv: &http.Server{
			Handler:           handler,
			ReadHeaderTimeout: 10 * time.Second,
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
	return s, nil
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
	return &activities.Activities{Store: st, Channel: channel}, nil
}
