package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/payloadcrypt"
	"github.com/caseflow/caseflow/server"
	"github.com/caseflow/caseflow/store"
	"github.com/caseflow/caseflow/telemetry"
	"github.com/caseflow/caseflow/temporalembed"
	"github.com/caseflow/caseflow/worker"
	"github.com/caseflow/caseflow/workflows"
)

// backends are what the production commands connect to: the case store and
// an external Temporal cluster, with the process's metrics.
type backends struct {
	metrics  *telemetry.Metrics
	store    *store.Store
	payloads *payloadcrypt.Codec
	client   client.Client
}

// connect opens the store and dials Temporal; a worker's codec makes the
// data keys of the children its workflows start (creatingKeys).
func connect(ctx context.Context, cfg Config, logger *slog.Logger, creatingKeys bool) (*backends, error) {
	if err := cfg.requireDatabaseURL(); err != nil {
		return nil, err
	}
	ring, err := cfg.keyring()
	if err != nil {
		return nil, err
	}
	b := &backends{metrics: telemetry.NewMetrics()}
	if b.store, err = openStore(ctx, cfg); err != nil {
		b.close()
		return nil, err
	}
	if b.payloads, err = cfg.payloadCodec(ring, b.store); err != nil {
		b.close()
		return nil, err
	}
	if creatingKeys {
		b.payloads = b.payloads.CreatingDataKeys()
	}
	if b.client, err = dialTemporal(ctx, cfg, logger, b.metrics, b.payloads); err != nil {
		b.close()
		return nil, err
	}
	return b, nil
}

func (b *backends) close() {
	if b.client != nil {
		b.client.Close()
	}
	if b.store != nil {
		b.store.Close()
	}
	b.metrics.Close()
}

// runServer serves the HTTP API against an external Temporal cluster and store.
func runServer(ctx context.Context, cfg Config, logger *slog.Logger) error {
	keys, err := cfg.actorKeys()
	if err != nil {
		return err
	}
	webhooks, err := cfg.webhookTargets()
	if err != nil {
		return err
	}
	b, err := connect(ctx, cfg, logger, false)
	if err != nil {
		return err
	}
	defer b.close()
	authn, err := cfg.authenticator(ctx, b.store)
	if err != nil {
		return err
	}
	maxAge, err := cfg.maxReceivedAge()
	if err != nil {
		return err
	}
	metricsSrv, err := listenMetrics(cfg.MetricsAddr, b.metrics.Registry, logger)
	if err != nil {
		return err
	}
	defer metricsSrv.shutdown()
	con, err := cfg.newConsole(ctx, b.store, logger, false, cfg.WebUIURL)
	if err != nil {
		return err
	}
	zone, err := cfg.timeZone()
	if err != nil {
		return err
	}
	srv, err := listenHTTP(cfg.HTTPAddr, server.NewRouter(server.Deps{
		Console:   con,
		ActorKeys: keys,
		Temporal:  b.client, Store: b.store, TaskQueue: cfg.TaskQueue, Logger: logger, Metrics: b.metrics.Registry, Auth: authn,
		WebhookTargets:  webhooks,
		MaxReceivedAge:  maxAge,
		ServiceRecords:  cfg.serviceRecords(logger),
		Company:         cfg.CompanyName,
		TimeZone:        zone,
		Payloads:        b.payloads,
		CodecCORSOrigin: cfg.CodecCORSOrigin,
	}), logger)
	if err != nil {
		return err
	}
	logger.Info("API listening", "url", srv.URL(), "console", srv.URL()+"/console/", "metrics", metricsSrv.URL()+"/metrics")
	return serveUntilDone(ctx, srv, logger)
}

// runWorker runs the Temporal worker, with /healthz and /metrics on the
// metrics address for the orchestrator and Prometheus.
func runWorker(ctx context.Context, cfg Config, logger *slog.Logger) error {
	keys, err := cfg.actorKeys()
	if err != nil {
		return err
	}
	workflows.SetActorKeys(keys)
	if _, err := cfg.webhookTargets(); err != nil {
		return err
	}
	cacheSize, err := cfg.workflowCacheSize()
	if err != nil {
		return err
	}
	worker.SetCacheSize(cacheSize)
	b, err := connect(ctx, cfg, logger, true)
	if err != nil {
		return err
	}
	defer b.close()
	acts, err := newActivities(cfg, b.store)
	if err != nil {
		return err
	}
	acts.Temporal = b.client
	w := worker.New(b.client, cfg.TaskQueue, acts)
	if err := w.Start(); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	defer w.Stop()

	srv, err := listenMetrics(cfg.MetricsAddr, b.metrics.Registry, logger)
	if err != nil {
		return err
	}
	logger.Info("worker polling", "task_queue", cfg.TaskQueue, "namespace", cfg.Namespace, "metrics", srv.URL()+"/metrics")
	return serveUntilDone(ctx, srv, logger)
}

func serveUntilDone(ctx context.Context, srv *httpServer, logger *slog.Logger) error {
	var err error
	select {
	case <-ctx.Done():
	case err = <-srv.done:
	}
	logger.Info("shutting down")
	return errors.Join(err, srv.shutdown())
}

// migrateTimeout bounds how long migrate waits for Temporal to come up, as
// it does when started alongside the cluster.
const migrateTimeout = 2 * time.Minute

// runMigrate brings the store's schema up to date and makes sure the
// Temporal namespace, the custom search attributes and the schedules exist.
// All are idempotent, so it runs safely on every deploy.
func runMigrate(ctx context.Context, cfg Config, logger *slog.Logger) error {
	if err := cfg.requireDatabaseURL(); err != nil {
		return err
	}
	ring, err := cfg.keyring()
	if err != nil {
		return err
	}
	// The schedules' arguments carry no customer's data: the keyring seals them.
	codec, err := cfg.payloadCodec(ring, nil)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	st.Close()
	logger.Info("case store migrated")

	ctx, cancel := context.WithTimeout(ctx, migrateTimeout)
	defer cancel()
	for {
		err = ensureNamespace(ctx, cfg, logger, codec)
		if err == nil {
			logger.Info("Temporal namespace, search attributes and schedules ready", "namespace", cfg.Namespace)
			return nil
		}
		logger.Warn("Temporal not ready, retrying", "err", err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("Temporal namespace setup: %w", err)
		case <-time.After(3 * time.Second):
		}
	}
}

func ensureNamespace(ctx context.Context, cfg Config, logger *slog.Logger, codec *payloadcrypt.Codec) error {
	c, err := dialTemporal(ctx, cfg, logger, nil, codec)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := temporalembed.EnsureNamespace(ctx, c, cfg.Namespace, workflows.SearchAttributes()); err != nil {
		return err
	}
	// The reconciler's, the monthly review's and the follow-ups' schedules (periodic work
	// runs on Temporal Schedules).
	if err := workflows.EnsureReconcileSchedule(ctx, c, cfg.TaskQueue); err != nil {
		return err
	}
	if _, err := cfg.timeZone(); err != nil {
		return err
	}
	if err := workflows.EnsureReviewSchedule(ctx, c, cfg.TaskQueue, cfg.TimeZone); err != nil {
		return err
	}
	return workflows.EnsureFollowupSchedules(ctx, c, cfg.TaskQueue, cfg.TimeZone)
}
