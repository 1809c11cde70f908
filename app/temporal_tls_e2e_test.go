package app

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/server/common/authorization"

	"github.com/caseflow/caseflow/temporalembed"
)

const tlsTestNamespace = "caseflow-tls"

// TestTemporalMutualTLS serves the embedded Temporal's frontend with TLS
// that requires a client certificate signed by the test's CA: caseflow's
// client, configured from the environment as in production, gets in and
// works; without a certificate, with one another CA signed, or trusting
// only the system's roots (Temporal Cloud's setting), it is refused.
func TestTemporalMutualTLS(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "caseflow test CA")
	// An impostor CA of the same name: the client sends the certificate it
	// signed (Go's client only offers one whose issuer the server names),
	// and the server has to check the signature.
	impostor := newTestCA(t, "caseflow test CA")
	serverCert, serverKey := ca.issue(t, dir, "temporal", true)
	clientCert, clientKey := ca.issue(t, dir, "caseflow", false)
	impostorCert, impostorKey := impostor.issue(t, t.TempDir(), "caseflow", false)

	temporal := startTLSTemporal(t, temporalembed.Config{
		TLS: &temporalembed.TLS{CertFile: serverCert, KeyFile: serverKey, ClientCAFile: ca.file(t, dir)},
	})
	env := map[string]string{
		"TEMPORAL_ADDRESS":   temporal.FrontendAddr(),
		"TEMPORAL_NAMESPACE": tlsTestNamespace,
		"TEMPORAL_TLS_CERT":  clientCert,
		"TEMPORAL_TLS_KEY":   clientKey,
		"TEMPORAL_TLS_CA":    ca.file(t, dir),
	}
	requireWorks(t, dialFromEnv(t, env))

	// The frontend's certificate names localhost as well as 127.0.0.1.
	requireWorks(t, dialFromEnv(t, withEnv(env, "TEMPORAL_TLS_SERVER_NAME", "localhost")))

	for name, refused := range map[string]map[string]string{
		"no client certificate":            withEnv(withEnv(env, "TEMPORAL_TLS_CERT", ""), "TEMPORAL_TLS_KEY", ""),
		"a certificate another CA signed":  withEnv(withEnv(env, "TEMPORAL_TLS_CERT", impostorCert), "TEMPORAL_TLS_KEY", impostorKey),
		"the system's roots only":          withEnv(env, "TEMPORAL_TLS_CA", ""),
		"another name than the frontend's": withEnv(env, "TEMPORAL_TLS_SERVER_NAME", "temporal.example.com"),
	} {
		_, err := dialEnv(t, refused)
		require.Error(t, err, name)
		t.Logf("%s: %v", name, err)
	}
}

// TestTemporalAPIKey runs the embedded Temporal with Temporal's default
// authorizer and a claim mapper that knows one API key, over TLS as
// Temporal Cloud's API keys are: caseflow's client with TEMPORAL_API_KEY
// gets in and works, a wrong key or none is denied, and the key alone turns
// TLS on against the system's roots (which do not know the test's CA).
func TestTemporalAPIKey(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "caseflow test CA")
	serverCert, serverKey := ca.issue(t, dir, "temporal", true)
	const key = "test-api-key.9f2c1e"

	temporal := startTLSTemporal(t, temporalembed.Config{
		TLS:         &temporalembed.TLS{CertFile: serverCert, KeyFile: serverKey},
		Authorizer:  authorization.NewDefaultAuthorizer(),
		ClaimMapper: apiKeyClaims{token: "Bearer " + key, namespace: tlsTestNamespace},
	})
	env := map[string]string{
		"TEMPORAL_ADDRESS":   temporal.FrontendAddr(),
		"TEMPORAL_NAMESPACE": tlsTestNamespace,
		"TEMPORAL_API_KEY":   key,
		"TEMPORAL_TLS_CA":    ca.file(t, dir),
	}
	requireWorks(t, dialFromEnv(t, env))

	for name, denied := range map[string]map[string]string{
		"a wrong key": withEnv(env, "TEMPORAL_API_KEY", "test-api-key.000000"),
		"no key":      withEnv(env, "TEMPORAL_API_KEY", ""),
	} {
		_, err := dialEnv(t, denied)
		var permission *serviceerror.PermissionDenied
		require.ErrorAs(t, err, &permission, name)
		require.ErrorContains(t, err, "TEMPORAL_API_KEY", name)
	}
	_, err := dialEnv(t, withEnv(env, "TEMPORAL_TLS_CA", ""))
	require.ErrorContains(t, err, "certificate", "an API key alone checks the frontend against the system's roots")
}

// startTLSTemporal starts the embedded server with cfg's TLS and
// authorization on a free loopback port.
func startTLSTemporal(t *testing.T, cfg temporalembed.Config) *temporalembed.Server {
	t.Helper()
	cfg.FrontendAddr = "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.Namespace = tlsTestNamespace
	cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	s, err := temporalembed.Start(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(s.Stop)
	return s
}

// dialEnv is caseflow's dial with the configuration env sets; a refused
// handshake fails within the SDK's 5 s system-info timeout.
func dialEnv(t *testing.T, env map[string]string) (client.Client, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	c, err := dialTemporal(ctx, LoadConfig(func(k string) string { return env[k] }, false), slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
	if err == nil {
		t.Cleanup(c.Close)
	}
	return c, err
}

func dialFromEnv(t *testing.T, env map[string]string) client.Client {
	t.Helper()
	c, err := dialEnv(t, env)
	require.NoError(t, err)
	return c
}

// requireWorks reads the namespace and starts a workflow through c (no
// worker runs it; the start is the write).
func requireWorks(t *testing.T, c client.Client) {
	t.Helper()
	ctx := t.Context()
	desc, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: tlsTestNamespace})
	require.NoError(t, err)
	require.Equal(t, tlsTestNamespace, desc.GetNamespaceInfo().GetName())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: "tls-test"}, "NoSuchWorkflow")
	require.NoError(t, err)
	require.NoError(t, c.TerminateWorkflow(ctx, run.GetID(), run.GetRunID(), "test over"))
}

func withEnv(env map[string]string, name, value string) map[string]string {
	out := map[string]string{name: value}
	for k, v := range env {
		if k != name {
			out[k] = v
		}
	}
	return out
}

// apiKeyClaims is the claim mapper of a cluster that knows one API key: its
// bearer token may write in one namespace; anything else is refused.
type apiKeyClaims struct{ token, namespace string }

func (m apiKeyClaims) GetClaims(info *authorization.AuthInfo) (*authorization.Claims, error) {
	if subtle.ConstantTimeCompare([]byte(info.AuthToken), []byte(m.token)) != 1 {
		return nil, errors.New("unknown API key")
	}
	return &authorization.Claims{Subject: "caseflow",
		Namespaces: map[string]authorization.Role{m.namespace: authorization.RoleWriter}}, nil
}

// testCA is a certificate authority made for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	der  []byte
}

func newTestCA(t *testing.T, name string) testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber:          testSerial(t),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return testCA{cert: cert, key: key, der: der}
}

// file writes the CA's certificate into dir and returns its path.
func (ca testCA) file(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, ca.cert.Subject.CommonName+".pem")
	writeTestPEM(t, path, "CERTIFICATE", ca.der)
	return path
}

// issue makes a certificate for name signed by ca, for a server at
// 127.0.0.1 and localhost or for a client, and returns the paths of the
// certificate and key files it writes into dir.
func (ca testCA) issue(t *testing.T, dir, name string, server bool) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: testSerial(t),
		Subject:      pkix.Name{CommonName: name},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.DNSNames = []string{"localhost"}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	base := filepath.Join(dir, ca.cert.Subject.CommonName+"-"+name)
	writeTestPEM(t, base+".pem", "CERTIFICATE", der)
	writeTestPEM(t, base+".key", "PRIVATE KEY", keyDER)
	return base + ".pem", base + ".key"
}

func testSerial(t *testing.T) *big.Int {
	t.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	require.NoError(t, err)
	return n
}

func writeTestPEM(t *testing.T, path, kind string, der []byte) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}
