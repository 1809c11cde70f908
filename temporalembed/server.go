// Package temporalembed runs a Temporal server (and optionally its Web UI) inside the
// current process, so that `caseflow dev` and end-to-end tests need no separately
// installed Temporal. Persistence is a SQLite file by default, or PostgreSQL.
package temporalembed

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/authorization"
	"go.temporal.io/server/common/cluster"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/dynamicconfig"
	"go.temporal.io/server/common/membership/static"
	"go.temporal.io/server/common/primitives"
	"go.temporal.io/server/temporal"
)

const (
	// clusterName and clusterID identify the one-node cluster. Both are persisted in the
	// database on first start, so they must never change between starts.
	clusterName = "active"
	clusterID   = "6c1f0b5e-5a0c-4c3e-9a51-0c2f3d6e7a10"
	// defaultFrontendAddr is Temporal's usual port, what SDKs and the CLI assume.
	defaultFrontendAddr = "127.0.0.1:7233"
)

// Config says where the embedded server listens and what it persists to.
type Config struct {
	// FrontendAddr is host:port for the frontend gRPC API ("" = 127.0.0.1:7233);
	// port 0 picks a free port. The host must be an IP address or "localhost".
	FrontendAddr string
	// UIAddr is host:port for the Web UI; "" runs no UI; port 0 picks a free port.
	UIAddr string
	// UIWriteActions lets the Web UI terminate, cancel, signal, update, reset
	// and start workflows; off, it only reads (and runs queries).
	UIWriteActions bool
	// UICodecEndpoint is the codec server the Web UI's pages call, with the
	// browser's cookies, to show payloads in clear; "" for none.
	UICodecEndpoint string
	// DataDir holds the SQLite database, DataDir/temporal.db (created if missing), used
	// when DatabaseURL is empty.
	DataDir string
	// DatabaseURL, postgres://user:pass@host:port/dbname?sslmode=disable, selects
	// PostgreSQL persistence: history in dbname, visibility in dbname_visibility.
	DatabaseURL string
	// Namespace is created idempotently on every start.
	Namespace string
	// SearchAttributes are custom search attributes registered on Namespace on every
	// start, so that attributes added by a newer caseflow appear in an old database.
	SearchAttributes map[string]enumspb.IndexedValueType
	// Logger receives the server's WARN and ERROR logs; nil means slog.Default().
	Logger *slog.Logger
	// TLS, when set, serves the frontend's APIs over TLS; nil serves them in
	// plain text, as caseflow dev does on loopback.
	TLS *TLS
	// Authorizer and ClaimMapper, when both set, decide every call to the
	// frontend: Temporal's authorization plug-ins, for example
	// authorization.NewDefaultAuthorizer with a claim mapper of the caller's.
	Authorizer  authorization.Authorizer
	ClaimMapper authorization.ClaimMapper
}

// Server is a running embedded Temporal server.
type Server struct {
	srv          temporal.Server
	logLevel     *slog.LevelVar // of the server's logs
	ui           *uiServer
	frontendAddr string
	// ownAddr is where Start's own client sets the namespace up: the
	// internal frontend when the frontend checks its callers.
	ownAddr  string
	stopOnce sync.Once
}

// FrontendAddr returns the host:port clients dial (the actual port when 0 was asked for).
func (s *Server) FrontendAddr() string { return s.frontendAddr }

// UIURL returns the Web UI's base URL, "http://host:port", or "" when no UI runs.
func (s *Server) UIURL() string {
	if s.ui == nil {
		return ""
	}
	return s.ui.url
}

// Stop shuts the UI and the server down and waits for them. It is safe to call twice.
func (s *Server) Stop() {
	s.stopOnce.Do(func() {
		s.logLevel.Set(stoppingLogLevel)
		if s.ui != nil {
			s.ui.stop()
		}
		_ = s.srv.Stop()
	})
}

// Start starts the server and returns once the frontend answers and Namespace and
// SearchAttributes exist. If ctx ends first, Start returns its error and the
// half-started server is stopped in the background.
func Start(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Namespace == "" {
		return nil, errors.New("temporalembed: Config.Namespace is required")
	}
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("temporalembed: start canceled: %w", err)
	}
	if cfg.DatabaseURL == "" && cfg.DataDir == "" {
		return nil, errors.New("temporalembed: Config.DataDir or Config.DatabaseURL is required")
	}
	if err := cfg.checkSecured(); err != nil {
		return nil, err
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	if cfg.FrontendAddr == "" {
		cfg.FrontendAddr = defaultFrontendAddr
	}

	ports, err := allocatePorts(cfg.FrontendAddr, cfg.secured())
	if err != nil {
		return nil, err
	}
	var ui *uiServer
	if cfg.UIAddr != "" {
		// Build the UI first: it only checks its port, and a busy port is reported
		// before the (slower) persistence setup.
		if ui, err = newUIServer(cfg.UIAddr, ports.frontendAddr(), cfg.Namespace, cfg.UIWriteActions, cfg.UICodecEndpoint); err != nil {
			return nil, err
		}
	}

	var persistence config.Persistence
	if cfg.DatabaseURL != "" {
		persistence, err = setupPostgres(ctx, cfg.DatabaseURL)
	} else {
		persistence, err = setupSQLite(cfg.DataDir, cfg.Namespace, cfg.SearchAttributes)
	}
	if err != nil {
		return nil, err
	}
	if err := context.Cause(ctx); err != nil {
		return nil, fmt.Errorf("temporalembed: start canceled: %w", err)
	}

	logLevel := new(slog.LevelVar)
	logLevel.Set(serverLogLevel)
	srv, err := newTemporalServer(ports, persistence, newSlogLogger(logger, logLevel), cfg)
	if err != nil {
		return nil, fmt.Errorf("temporalembed: creating server: %w", err)
	}
	s := &Server{srv: srv, logLevel: logLevel, frontendAddr: ports.frontendAddr(), ownAddr: ports.frontendAddr()}
	if cfg.secured() {
		s.ownAddr = ports.hostPort(ports.internalFrontend)
	}

	started := make(chan error, 1)
	go func() { started <- srv.Start() }()
	select {
	case err := <-started:
		if err != nil {
			logLevel.Set(stoppingLogLevel)
			_ = srv.Stop()
			return nil, fmt.Errorf("temporalembed: starting server on %s: %w", s.frontendAddr, err)
		}
	case <-ctx.Done():
		logLevel.Set(stoppingLogLevel)
		go func() {
			if <-started == nil {
				_ = srv.Stop()
			}
		}()
		return nil, fmt.Errorf("temporalembed: start canceled: %w", context.Cause(ctx))
	}

	if ui != nil {
		ui.start()
		s.ui = ui
	}
	if err := s.waitReady(ctx, cfg, logger); err != nil {
		s.Stop()
		return nil, err
	}
	return s, nil
}

// waitReady dials the frontend, makes sure the namespace and search attributes
// exist, and waits for the UI to answer.
func (s *Server) waitReady(ctx context.Context, cfg Config, logger *slog.Logger) error {
	c, err := client.DialContext(ctx, client.Options{
		HostPort:  s.ownAddr,
		Namespace: cfg.Namespace,
		Logger:    sdklog.NewStructuredLogger(slog.New(minLevelHandler{h: logger.Handler(), min: serverLogLevel})),
	})
	if err != nil {
		return fmt.Errorf("temporalembed: connecting to frontend %s: %w", s.ownAddr, err)
	}
	defer c.Close()
	if err := EnsureNamespace(ctx, c, cfg.Namespace, cfg.SearchAttributes); err != nil {
		return err
	}
	if s.ui != nil {
		if err := s.ui.waitReady(ctx); err != nil {
			return err
		}
	}
	return nil
}

// ports are the listening ports of the services, all on one host.
type ports struct {
	// bindIP is the address the services listen on; dialHost the one clients and the
	// other services dial (they differ when binding to 0.0.0.0).
	bindIP, dialHost string

	frontend, frontendHTTP, history, matching, worker int
	// internalFrontend and its HTTP port are 0 unless the frontend checks
	// its callers (Config.secured).
	internalFrontend, internalFrontendHTTP int
}

func (p ports) frontendAddr() string {
	return net.JoinHostPort(p.dialHost, strconv.Itoa(p.frontend))
}

func (p ports) hostPort(port int) string {
	return net.JoinHostPort(p.dialHost, strconv.Itoa(port))
}

// allocatePorts checks that the frontend address is free (the server itself would
// end the process on a busy port) and picks free ports for the internal services,
// with an internal frontend when internalFrontend is set.
func allocatePorts(frontendAddr string, internalFrontend bool) (ports, error) {
	host, portStr, err := net.SplitHostPort(frontendAddr)
	if err != nil {
		return ports{}, fmt.Errorf("temporalembed: frontend address %q: %w", frontendAddr, err)
	}
	var p ports
	if p.bindIP, p.dialHost, err = resolveHost(host); err != nil {
		return ports{}, fmt.Errorf("temporalembed: frontend address %q: %w", frontendAddr, err)
	}
	want, err := strconv.Atoi(portStr)
	if err != nil {
		return ports{}, fmt.Errorf("temporalembed: frontend address %q: bad port", frontendAddr)
	}
	if p.frontend, err = freePort(p.bindIP, want); err != nil {
		return ports{}, fmt.Errorf("temporalembed: frontend address %s is not available: %w", frontendAddr, err)
	}
	internal := []*int{&p.frontendHTTP, &p.history, &p.matching, &p.worker}
	if internalFrontend {
		internal = append(internal, &p.internalFrontend, &p.internalFrontendHTTP)
	}
	for _, port := range internal {
		if *port, err = freePort(p.bindIP, 0); err != nil {
			return ports{}, fmt.Errorf("temporalembed: picking a port on %s: %w", p.bindIP, err)
		}
	}
	return p, nil
}

// resolveHost maps a configured host to the IP to bind and the IP to dial.
func resolveHost(host string) (bindIP, dialHost string, err error) {
	switch host {
	case "", "localhost":
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return "", "", fmt.Errorf("host %q must be an IP address or localhost", host)
	}
	switch {
	case ip.Equal(net.IPv4zero):
		return host, "127.0.0.1", nil
	case ip.Equal(net.IPv6unspecified):
		return host, "::1", nil
	}
	return host, host, nil
}

// freePort checks that port can be bound on ip, and returns it. For port 0
// it picks a free one below the kernel's ephemeral range: the server binds
// it only later, and a port from that range may meanwhile become the local
// end of some outgoing connection (to PostgreSQL, to the server itself),
// which made starts fail with "address already in use".
// A port it picked is never picked again in this process, so that two
// servers starting at once (tests run several) cannot both take it between
// the check and the bind.
func freePort(ip string, port int) (int, error) {
	if port == 0 {
		if low := ephemeralLow(); low > minPickedPort+1000 {
			picked.Lock()
			defer picked.Unlock()
			for range 50 {
				p := minPickedPort + rand.IntN(low-minPickedPort)
				if picked.ports[p] {
					continue
				}
				if got, err := bindable(ip, p); err == nil {
					picked.ports[got] = true
					return got, nil
				}
			}
		}
	}
	return bindable(ip, port)
}

// picked holds the ports freePort has handed out in this process.
var picked = struct {
	sync.Mutex
	ports map[int]bool
}{ports: map[int]bool{}}

// minPickedPort is the lowest port freePort picks, above the well-known and
// most registered services' ports.
const minPickedPort = 20000

// ephemeralLow is the first port of the kernel's range for outgoing
// connections (Linux), or 0 when it cannot be read.
func ephemeralLow() int {
	raw, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 0
	}
	fields := strings.Fields(string(raw))
	if len(fields) == 0 {
		return 0
	}
	low, err := strconv.Atoi(fields[0])
	if err != nil {
		return 0
	}
	return low
}

// bindable binds ip:port (0: any) for a moment and returns the port.
func bindable(ip string, port int) (int, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		return 0, err
	}
	defer func() { _ = ln.Close() }()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func newTemporalServer(p ports, persistence config.Persistence, logger slogLogger, cfg Config) (temporal.Server, error) {
	var conf config.Config
	conf.Global.TLS = cfg.TLS.rootTLS()
	conf.Global.Membership.MaxJoinDuration = 30 * time.Second
	conf.Global.Membership.BroadcastAddress = p.dialHost
	conf.Persistence = persistence
	conf.ClusterMetadata = &cluster.Config{
		EnableGlobalNamespace:    false,
		FailoverVersionIncrement: 10,
		MasterClusterName:        clusterName,
		CurrentClusterName:       clusterName,
		ClusterInformation: map[string]cluster.ClusterInformation{
			clusterName: {
				Enabled:                true,
				InitialFailoverVersion: 1,
				RPCAddress:             p.frontendAddr(),
				HTTPAddress:            p.hostPort(p.frontendHTTP),
				ClusterID:              clusterID,
			},
		},
	}
	conf.DCRedirectionPolicy.Policy = "noop"
	svc := func(port int) config.Service {
		return config.Service{RPC: config.RPC{GRPCPort: port, BindOnIP: p.bindIP}}
	}
	frontend := svc(p.frontend)
	// The frontend's HTTP API (and Nexus endpoints) on a free port; without it the
	// server warns on every start.
	frontend.RPC.HTTPPort = p.frontendHTTP
	conf.Services = map[string]config.Service{
		string(primitives.FrontendService): frontend,
		string(primitives.HistoryService):  svc(p.history),
		string(primitives.MatchingService): svc(p.matching),
		string(primitives.WorkerService):   svc(p.worker),
	}
	services := temporal.DefaultServices
	hosts := map[primitives.ServiceName]static.Hosts{
		primitives.FrontendService: static.SingleLocalHost(p.hostPort(p.frontend)),
		primitives.HistoryService:  static.SingleLocalHost(p.hostPort(p.history)),
		primitives.MatchingService: static.SingleLocalHost(p.hostPort(p.matching)),
		primitives.WorkerService:   static.SingleLocalHost(p.hostPort(p.worker)),
	}
	conf.Archival.History.State = "disabled"
	conf.Archival.Visibility.State = "disabled"
	conf.NamespaceDefaults.Archival.History.State = "disabled"
	conf.NamespaceDefaults.Archival.Visibility.State = "disabled"
	if cfg.secured() {
		// With no public address, the server's internal SDK clients (system
		// workflows) find the internal frontend through membership.
		internal := svc(p.internalFrontend)
		internal.RPC.HTTPPort = p.internalFrontendHTTP
		conf.Services[string(primitives.InternalFrontendService)] = internal
		services = append(slices.Clone(services), string(primitives.InternalFrontendService))
		hosts[primitives.InternalFrontendService] = static.SingleLocalHost(p.hostPort(p.internalFrontend))
	} else {
		// The server's internal SDK clients (system workflows) dial this address.
		conf.PublicClient.HostPort = p.frontendAddr()
	}

	authorizer, claimMapper := cfg.Authorizer, cfg.ClaimMapper
	if authorizer == nil {
		var err error
		if authorizer, err = authorization.GetAuthorizerFromConfig(&conf.Global.Authorization); err != nil {
			return nil, err
		}
		if claimMapper, err = authorization.GetClaimMapperFromConfig(&conf.Global.Authorization, logger); err != nil {
			return nil, err
		}
	}
	return temporal.NewServer(
		temporal.WithConfig(&conf),
		temporal.ForServices(services),
		// Static membership: no ringpop gossip, so nothing to configure for loopback and
		// no membership ports to allocate.
		temporal.WithStaticHosts(hosts),
		temporal.WithLogger(logger),
		temporal.WithAuthorizer(authorizer),
		temporal.WithClaimMapper(func(*config.Config) authorization.ClaimMapper { return claimMapper }),
		temporal.WithDynamicConfigClient(devDynamicConfig()),
	)
}

// devDynamicConfig holds the settings a development server wants that differ from, or
// should not silently depend on, the server's defaults.
func devDynamicConfig() dynamicconfig.StaticClient {
	return dynamicconfig.StaticClient{
		// Newly added search attributes are visible at once, not after a cache refresh.
		dynamicconfig.ForceSearchAttributesCacheRefreshOnRead.Key(): true,
		// Workflow updates (and update-with-start, which is not gated separately in
		// v1.32) are on by default; pinned here because caseflow depends on them.
		dynamicconfig.FrontendEnableUpdateWorkflowExecution.Key():              true,
		dynamicconfig.FrontendEnableUpdateWorkflowExecutionAsyncAccepted.Key(): true,
		dynamicconfig.WorkerHeartbeatsEnabled.Key():                            true,
		// A history cache of 2,000 workflows (the CLI dev server keeps 8,096,
		// which with many open cases costs memory and buys little: a case
		// waits hours between steps), and a visibility rate limit that the
		// UI's polling does not hit.
		dynamicconfig.HistoryCacheHostLevelMaxSize.Key():                 2000,
		dynamicconfig.FrontendMaxNamespaceVisibilityRPSPerInstance.Key(): 100,
		// One partition per task queue: one server with one worker gains
		// nothing from four, and a task written to a partition no poller
		// waits on is forwarded or read back from the database first.
		dynamicconfig.MatchingNumTaskqueueReadPartitions.Key():  1,
		dynamicconfig.MatchingNumTaskqueueWritePartitions.Key(): 1,
		// A production cluster spreads its workflows over hundreds of
		// history shards, each reading its queues at most 20 times a
		// second; this server has one shard, where that limit held every
		// activity, workflow task and timer after the first in each 50 ms
		// (a step behind its predecessor's store write waited ~40 ms).
		dynamicconfig.TransferProcessorMaxPollRPS.Key():   1000,
		dynamicconfig.TimerProcessorMaxPollRPS.Key():      1000,
		dynamicconfig.VisibilityProcessorMaxPollRPS.Key(): 1000,
	}
}
