package temporalembed

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	uiserveroptions "github.com/temporalio/ui-server/v2/server/server_options"
)

// uiServer is the Temporal Web UI served from the assets embedded in ui-server.
type uiServer struct {
	srv       *uiserver.Server
	url       string
	namespace string
	done      chan struct{}
}

// newUIServer checks that addr can be bound and builds the UI server. The check matters:
// ui-server's Start ends the process (echo's Logger.Fatal) when it cannot listen.
func newUIServer(addr, frontendAddr, namespace string, writeActions bool, codecEndpoint string) (*uiServer, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("temporalembed: UI address %q: %w", addr, err)
	}
	bindIP, dialHost, err := resolveHost(host)
	if err != nil {
		return nil, fmt.Errorf("temporalembed: UI address %q: %w", addr, err)
	}
	want, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("temporalembed: UI address %q: bad port", addr)
	}
	port, err := freePort(bindIP, want)
	if err != nil {
		return nil, fmt.Errorf("temporalembed: UI address %s is not available: %w", addr, err)
	}
	url := "http://" + net.JoinHostPort(dialHost, strconv.Itoa(port))
	srv := uiserver.NewServer(uiserveroptions.WithConfigProvider(&uiconfig.Config{
		Host:                bindIP,
		Port:                port,
		TemporalGRPCAddress: frontendAddr,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		// The UI's own origin; plain HTTP, so the CSRF cookie may not be Secure.
		CORS:             uiconfig.CORS{AllowOrigins: []string{url}, CookieInsecure: true},
		HideLogs:         true,
		DisableNewsFetch: true, // no calls out to the internet from a dev server
		// The UI has no login and its writes bypass the API's rules: read-only
		// unless asked for. DisableWriteActions refuses every write at the
		// UI's HTTP API (405); the others also hide the buttons.
		DisableWriteActions:       !writeActions,
		WorkflowTerminateDisabled: !writeActions,
		WorkflowCancelDisabled:    !writeActions,
		WorkflowSignalDisabled:    !writeActions,
		WorkflowUpdateDisabled:    !writeActions,
		WorkflowResetDisabled:     !writeActions,
		WorkflowPauseDisabled:     !writeActions,
		BatchActionsDisabled:      !writeActions,
		StartWorkflowDisabled:     !writeActions,
		ActivityCommandsDisabled:  !writeActions,
		// The pages call the codec server with the browser's cookies (the
		// console's session): it decodes for supervisors and admins only.
		Codec: uiconfig.Codec{Endpoint: codecEndpoint, IncludeCredentials: codecEndpoint != ""},
	}))
	return &uiServer{srv: srv, url: url, namespace: namespace, done: make(chan struct{})}, nil
}

// start runs the UI in the background: ui-server's Start blocks until Stop.
func (u *uiServer) start() {
	go func() {
		defer close(u.done)
		_ = u.srv.Start()
	}()
}

func (u *uiServer) stop() {
	u.srv.Stop()
	<-u.done
}

// waitReady polls the UI until it reads the namespace through the frontend:
// its /healthz answers before its gRPC connection is up, and a first dial
// refused while the frontend was starting leaves it backing off for a while.
func (u *uiServer) waitReady(ctx context.Context) error {
	hc := &http.Client{Timeout: 2 * time.Second}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.url+"/api/v1/namespaces/"+u.namespace, nil)
		if err != nil {
			return err
		}
		resp, err := hc.Do(req)
		if err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporalembed: waiting for the UI at %s: %w", u.url, context.Cause(ctx))
		case <-u.done:
			return fmt.Errorf("temporalembed: the UI at %s stopped", u.url)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
