package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"
	"unicode"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"google.golang.org/grpc/codes"
)

// temporalTLS is the client side of TLS to Temporal's frontend: the
// certificate caseflow presents for mutual TLS (TEMPORAL_TLS_CERT and
// TEMPORAL_TLS_KEY), the CA that signed the frontend's (TEMPORAL_TLS_CA;
// the system's roots without it, as for Temporal Cloud) and the name in it
// (TEMPORAL_TLS_SERVER_NAME). An API key turns TLS on, since it must not
// cross the network in the clear. Nil, plain gRPC, when none is set.
func (c Config) temporalTLS(now time.Time) (*tls.Config, error) {
	t := c.TemporalTLS
	if t.Cert == "" && t.Key == "" && t.CA == "" && t.ServerName == "" && c.TemporalAPIKey == "" {
		return nil, nil
	}
	if (t.Cert == "") != (t.Key == "") {
		return nil, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both or neither")
	}
	// A server name alone most likely means a forgotten CA or certificate;
	// TLS checked against the system's roots is TEMPORAL_TLS_CA pointing at
	// them.
	if t.ServerName != "" && t.Cert == "" && t.CA == "" && c.TemporalAPIKey == "" {
		return nil, errors.New("TEMPORAL_TLS_SERVER_NAME is set, but nothing turns TLS on: set TEMPORAL_TLS_CA, TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY, or TEMPORAL_API_KEY")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.Cert != "" {
		pair, err := tls.LoadX509KeyPair(t.Cert, t.Key)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: %w", err)
		}
		if pair.Leaf != nil && now.After(pair.Leaf.NotAfter) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT: the certificate in %s expired on %s", t.Cert, pair.Leaf.NotAfter.UTC().Format(time.DateOnly))
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if t.CA != "" {
		pem, err := os.ReadFile(t.CA)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("TEMPORAL_TLS_CA: no PEM certificate in %s", t.CA)
		}
		cfg.RootCAs = pool
	}
	return cfg, nil
}

// temporalCredentials is the API key caseflow sends as a bearer token
// (TEMPORAL_API_KEY, Temporal Cloud's API keys); nil without one.
func (c Config) temporalCredentials() (client.Credentials, error) {
	key := c.TemporalAPIKey
	if key == "" {
		return nil, nil
	}
	// The SDK sends "Bearer <key>" in a header: a pasted "Bearer " or a
	// line break from a file would make every call fail far from here.
	if strings.ContainsFunc(key, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		return nil, errors.New(`TEMPORAL_API_KEY contains a space or control character: give the key alone, without "Bearer " or line breaks`)
	}
	return client.NewAPIKeyStaticCredentials(key), nil
}

// checkTemporalAccess asks for the namespace once: Temporal answers the
// dial's health check to callers without credentials, so missing ones would
// otherwise show only as every later call failing. A namespace not yet
// registered is migrate's to create.
func checkTemporalAccess(ctx context.Context, c client.Client, cfg Config) error {
	_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: cfg.Namespace})
	return refusedAccess(cfg, err)
}

// refusedAccess names the settings to check when Temporal refused caseflow's
// credentials; nil for any other error.
func refusedAccess(cfg Config, err error) error {
	switch serviceerror.ToStatus(err).Code() {
	case codes.PermissionDenied, codes.Unauthenticated:
		return fmt.Errorf("Temporal at %s refused caseflow access to namespace %s (check TEMPORAL_API_KEY or TEMPORAL_TLS_CERT and the namespace's permissions): %w",
			cfg.TemporalAddress, cfg.Namespace, err)
	}
	return nil
}
