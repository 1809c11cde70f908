package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// runHealthcheck probes an HTTP endpoint for a container's healthcheck,
// since the distroless image has no shell and no curl: by default the
// process's own /healthz on CASEFLOW_METRICS_ADDR. It succeeds on 200 only.
func runHealthcheck(ctx context.Context, args []string, cfg Config, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	target := fs.String("url", "", "probe this URL instead (e.g. http://127.0.0.1:8080/readyz)")
	addr := fs.String("addr", "", "probe /healthz at this host:port instead of CASEFLOW_METRICS_ADDR")
	timeout := fs.Duration("timeout", 3*time.Second, "give up after this long")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fs.NArg() > 0 || *timeout <= 0 || (*target != "" && *addr != "") {
		return fmt.Errorf("%w: healthcheck [--url URL | --addr HOST:PORT] [--timeout 3s]", ErrUsage)
	}
	probe := *target
	if probe == "" {
		if *addr == "" {
			*addr = cfg.MetricsAddr
		}
		hostPort, err := dialableAddr(*addr)
		if err != nil {
			return fmt.Errorf("%w: %v", ErrUsage, err)
		}
		probe = "http://" + hostPort + "/healthz"
	} else if u, err := url.Parse(probe); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: --url %q is not an http(s) URL", ErrUsage, probe)
	}
	if err := probeHTTP(ctx, probe, *timeout); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "healthy: %s answered 200\n", probe)
	return nil
}

// dialableAddr turns a listen address into one to dial: a wildcard or
// empty host is the local machine.
func dialableAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("address %q: %v", addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// probeHTTP GETs target and fails, in one line, unless it answers 200.
func probeHTTP(ctx context.Context, target string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	// No proxy: the probe is for a service on this host or its network.
	client := &http.Client{Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true}}
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("unhealthy: %s did not answer within %s", target, timeout)
		}
		return fmt.Errorf("unhealthy: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return nil
	}
	// The start of the body says why (/readyz names the failing check).
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 300))
	reason := strings.Join(strings.Fields(string(body)), " ")
	return fmt.Errorf("unhealthy: %s answered %s: %s", target, resp.Status, reason)
}
