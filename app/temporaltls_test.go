package app

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestTemporalTLSWithTheComposeCertificates makes the certificates the way
// deploy/temporal/make-certs.sh does for docker-compose.yml and shakes hands
// the way Temporal's frontend asks (a client certificate signed by ca.pem):
// caseflow's client configuration gets in, a client without one does not.
func TestTemporalTLSWithTheComposeCertificates(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl is not installed")
	}
	dir := filepath.Join(t.TempDir(), "certs")
	out, err := exec.Command("sh", "../deploy/temporal/make-certs.sh", dir).CombinedOutput()
	require.NoError(t, err, "%s", out)

	server, err := tls.LoadX509KeyPair(filepath.Join(dir, "temporal.pem"), filepath.Join(dir, "temporal.key"))
	require.NoError(t, err)
	caPEM, err := os.ReadFile(filepath.Join(dir, "ca.pem"))
	require.NoError(t, err)
	clients := x509.NewCertPool()
	require.True(t, clients.AppendCertsFromPEM(caPEM))
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{server},
		ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: clients})
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			_ = conn.(*tls.Conn).Handshake()
			_ = conn.Close()
		}
	}()
	handshake := func(cfg *tls.Config) error {
		conn, err := tls.Dial("tcp", ln.Addr().String(), cfg)
		if err != nil {
			return err
		}
		defer conn.Close()
		// TLS 1.3 reports a refused client certificate on the first read.
		_, err = conn.Read(make([]byte, 1))
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		return nil
	}

	cfg := Config{}
	cfg.TemporalTLS.Cert = filepath.Join(dir, "caseflow.pem")
	cfg.TemporalTLS.Key = filepath.Join(dir, "caseflow.key")
	cfg.TemporalTLS.CA = filepath.Join(dir, "ca.pem")
	cfg.TemporalTLS.ServerName = "temporal"
	client, err := cfg.temporalTLS()
	require.NoError(t, err)
	require.NoError(t, handshake(client), "caseflow's certificate is accepted")

	anonymous := client.Clone()
	anonymous.Certificates = nil
	require.Error(t, handshake(anonymous), "a client without a certificate is refused")

	wrongName := client.Clone()
	wrongName.ServerName = "elsewhere"
	require.Error(t, handshake(wrongName), "the frontend's certificate is checked by name")

	none, err := Config{}.temporalTLS()
	require.NoError(t, err)
	require.Nil(t, none, "no variables, no TLS")
	half := Config{}
	half.TemporalTLS.Cert = cfg.TemporalTLS.Cert
	_, err = half.temporalTLS()
	require.ErrorContains(t, err, "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY")
}
