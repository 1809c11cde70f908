package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/actorsig"
	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/telemetry"
	"github.com/caseflow/caseflow/temporalembed"
	"github.com/caseflow/caseflow/worker"
	"github.com/caseflow/caseflow/workflows"
)

// Stack is the whole of caseflow in one process: an embedded Temporal
// server and Web UI, the worker, the case store and the HTTP API.
type Stack struct {
	Config   Config
	Temporal *temporalembed.Server
	Client   client.Client
	Store    *store.Store
	Metrics  *telemetry.Metrics
	// ActorKeys sign (API) and verify (workflows) each step's actor.
	ActorKeys *actorsig.Keyring
	// Payloads seals what the stack stores in Temporal (see payloadcrypt).
	Payloads *payloadcrypt.Codec
	// DemoUsers are the users seeded on the first start, with their tokens.
	DemoUsers []accounts.DemoUser

	ctx    context.Context // ends background work (the JWKS refresh) on Close
	cancel context.CancelFunc
	worker sdkworker.Worker
	// workerClient is the worker's: its codec makes data keys (Client's
	// does not; the API makes them as it starts a workflow).
	workerClient client.Client
	http         *httpServer
	// metricsHTTP serves /metrics and /healthz apart from the API port.
	metricsHTTP *httpServer
}

// DemoUsersFile is where `caseflow dev` writes the demo users' tokens, in the data dir.
const DemoUsersFile = "dev-users.json"

// APIURL is the base URL of the HTTP API.
func (s *Stack) APIURL() string { return s.http.URL() }

// MetricsURL is the base URL of /metrics and /healthz.
func (s *Stack) MetricsURL() string { return s.metricsHTTP.URL() }

// StartDev brings up the embedded stack and returns once every part answers.
// On error, whatever was started is stopped again.
func StartDev(ctx context.Context, cfg Config, logger *slog.Logger) (_ *Stack, err error) {
	webhooks, err := cfg.webhookTargets()
	if err != nil {
		return nil, err
	}
	s := &Stack{Config: cfg, Metrics: telemetry.NewMetrics()}
	s.ctx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	uiWrites, err := cfg.devTemporalExposure()
	if err != nil {
		return nil, err
	}
	cacheSize, err := cfg.workflowCacheSize()
	if err != nil {
		return nil, err
	}
	// Before the embedded server starts: its own system workers create the
	// process's one workflow cache, with the size set by then.
	worker.SetCacheSize(cacheSize)
	apiListener, codecEndpoint, err := listenAPI(cfg.HTTPAddr)
	if err != nil {
		return nil, err
	}
	defer func() {
		if s.http == nil {
			_ = apiListener.Close()
		}
	}()
	s.Temporal, err = temporalembed.Start(ctx, temporalembed.Config{
		FrontendAddr:     cfg.TemporalAddress,
		UIAddr:           cfg.UIAddr,
		UIWriteActions:   uiWrites,
		UICodecEndpoint:  codecEndpoint,
		DataDir:          cfg.DataDir,
		DatabaseURL:      cfg.TemporalDatabaseURL,
		Namespace:        cfg.Namespace,
		SearchAttributes: workflows.SearchAttributes(),
		Logger:           logger,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded Temporal server: %w", err)
	}
	// Ports may have been chosen by the server (port 0 in tests).
	s.Config.TemporalAddress = s.Temporal.FrontendAddr()
	// The embedded server speaks plain gRPC on loopback: settings meant for
	// a real cluster's TLS or API key do not apply to it.
	s.Config.TemporalTLS = Config{}.TemporalTLS
	s.Config.TemporalAPIKey = ""

	if s.Store, err = openStore(ctx, cfg); err != nil {
		return nil, err
	}
	ring, err := devKeyring(cfg)
	if err != nil {
		return nil, err
	}
	if s.Payloads, err = cfg.payloadCodec(ring, s.Store); err != nil {
		return nil, err
	}
	if s.Client, err = dialTemporal(ctx, s.Config, logger, s.Metrics, s.Payloads); err != nil {
		return nil, err
	}
	// The worker makes the data keys of the children it starts; the API
	// makes them when it starts a workflow (see payloadcrypt.Options).
	if s.workerClient, err = dialTemporal(ctx, s.Config, logger, s.Metrics, s.Payloads.CreatingDataKeys()); err != nil {
		return nil, err
	}
	if s.ActorKeys, err = devActorKeys(cfg); err != nil {
		return nil, err
	}
	if err := s.StartWorker(); err != nil {
		return nil, err
	}
	if err := workflows.EnsureReconcileSchedule(ctx, s.Client, cfg.TaskQueue); err != nil {
		return nil, err
	}
	if err := workflows.EnsureFollowupSchedules(ctx, s.Client, cfg.TaskQueue, cfg.TimeZone); err != nil {
		return nil, err
	}
	if err := workflows.EnsureReviewSchedule(ctx, s.Client, cfg.TaskQueue, cfg.TimeZone); err != nil {
		return nil, err
	}
	if s.DemoUsers, err = accounts.SeedDemoUsers(ctx, s.Store, filepath.Join(cfg.DataDir, DemoUsersFile)); err != nil {
		return nil, fmt.Errorf("seed demo users: %w", err)
	}
	authn, err := cfg.authenticator(s.ctx, s.Store)
	if err != nil {
		return nil, err
	}
	maxAge, err := cfg.maxReceivedAge()
	if err != nil {
		return nil, err
	}
	if s.metricsHTTP, err = listenMetrics(cfg.MetricsAddr, s.Metrics.Registry, logger); err != nil {
		return nil, err
	}
	con, err := cfg.newConsole(s.ctx, s.Store, logger, true, s.Temporal.UIURL())
	if err != nil {
		return nil, err
	}
	zone, err := cfg.timeZone()
	if err != nil {
		return nil, err
	}
	router := server.NewRouter(server.Deps{
		Console:   con,
		ActorKeys: s.ActorKeys,
		Temporal:  s.Client, Store: s.Store, TaskQueue: cfg.TaskQueue, Logger: logger, Metrics: s.Metrics.Registry, Auth: authn,
		WebhookTargets: webhooks,
		MaxReceivedAge: maxAge,
		ServiceRecords: cfg.serviceRecords(logger),
		Company:        cfg.CompanyName,
		TimeZone:       zone,
		WebUI:          server.WebUI{URL: s.Temporal.UIURL(), Namespace: cfg.Namespace},
		Payloads:       s.Payloads,
		// The embedded Web UI decodes through the codec server.
		CodecCORSOrigin: s.Temporal.UIURL(),
	})
	s.http = serveHTTP(apiListener, router, logger, serverTimeouts)
	return s, nil
}

// StartWorker starts the stack's worker; with StopWorker, tests take the
// worker away mid-case to show that durable timers wait for it.
func (s *Stack) StartWorker() error {
	acts, err := newActivities(s.Config, s.Store)
	if err != nil {
		return err
	}
	acts.Temporal = s.workerClient
	workflows.SetActorKeys(s.ActorKeys)
	s.worker = worker.New(s.workerClient, s.Config.TaskQueue, acts)
	if err := s.worker.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	return nil
}

// StopWorker stops the worker; in-flight activities finish first.
func (s *Stack) StopWorker() {
	if s.worker != nil {
		s.worker.Stop()
		s.worker = nil
	}
}

// PrintBanner tells a person where everything is.
func (s *Stack) PrintBanner(w io.Writer) {
	fmt.Fprintf(w, `
caseflow dev is ready
  Console      %s/console/ (sign in as any demo user)
  API          %s/api/v1/complaints
  Metrics      %s/metrics
  Temporal UI  %s/namespaces/%s/workflows
  Temporal     %s (namespace %s, task queue %s)
  Data dir     %s
  Case store   %s
  Demo users   %s (bearer tokens for every department and role)
`, s.APIURL(), s.APIURL(), s.MetricsURL(), s.Temporal.UIURL(), s.Config.Namespace, s.Config.TemporalAddress,
		s.Config.Namespace, s.Config.TaskQueue, s.Config.DataDir, store.RedactURL(s.Config.DatabaseURL),
		filepath.Join(s.Config.DataDir, DemoUsersFile))
	printSupervisorViews(w, SupervisorViews(s.Temporal.UIURL(), s.Config.Namespace, time.Now()))
	if len(s.DemoUsers) > 0 {
		fmt.Fprintln(w, "\nSeeded demo users (written to the file above; shown once):")
		for _, u := range s.DemoUsers {
			fmt.Fprintf(w, "  %-32s %s\n", u.Name, u.Token)
		}
	}
	fmt.Fprint(w, "\nPress Ctrl+C to stop.\n\n")
}

// Close stops the parts in the reverse order of their start; it is safe on a
// partly started stack.
func (s *Stack) Close() error {
	var errs []error
	if s.cancel != nil {
		s.cancel()
	}
	if s.http != nil {
		errs = append(errs, s.http.shutdown())
	}
	if s.metricsHTTP != nil {
		errs = append(errs, s.metricsHTTP.shutdown())
	}
	s.StopWorker()
	if s.workerClient != nil {
		s.workerClient.Close()
	}
	if s.Client != nil {
		s.Client.Close()
	}
	if s.Store != nil {
		errs = append(errs, s.Store.Close())
	}
	if s.Temporal != nil {
		s.Temporal.Stop()
	}
	if s.Metrics != nil {
		errs = append(errs, s.Metrics.Close())
	}
	return errors.Join(errs...)
}

// runDev serves the embedded stack until ctx is cancelled (SIGINT/SIGTERM).
func runDev(ctx context.Context, cfg Config, logger *slog.Logger, stdout io.Writer) error {
	s, err := StartDev(ctx, cfg, logger)
	if err != nil {
		return err
	}
	// The demo archive is the command's, not the stack's: tests start the
	// stack with an empty archive and add the customers they name.
	if err := seedDemoArchive(ctx, s.Store, time.Now()); err != nil {
		return errors.Join(fmt.Errorf("seed demo customers: %w", err), s.Close())
	}
	if err := seedDemoStock(ctx, s.Store); err != nil {
		return errors.Join(fmt.Errorf("seed demo stock: %w", err), s.Close())
	}
	s.PrintBanner(stdout)
	select {
	case <-ctx.Done():
	case err = <-s.http.done:
		logger.Error("HTTP server stopped", "err", err)
	}
	logger.Info("shutting down")
	return errors.Join(err, s.Close())
}
