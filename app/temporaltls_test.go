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
	"time"

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
	client, err := cfg.temporalTLS(time.Now())
	require.NoError(t, err)
	require.NoError(t, handshake(client), "caseflow's certificate is accepted")

	anonymous := client.Clone()
	anonymous.Certificates = nil
	require.Error(t, handshake(anonymous), "a client without a certificate is refused")

	wrongName := client.Clone()
	wrongName.ServerName = "elsewhere"
	require.Error(t, handshake(wrongName), "the frontend's certificate is checked by name")

}

// TestTemporalTLSSettings: every combination of the TLS and API-key
// variables either gives the connection it names or stops caseflow at start
// naming what is wrong.
func TestTemporalTLSSettings(t *testing.T) {
	dir := t.TempDir()
	ca := newTestCA(t, "settings CA")
	caFile := ca.file(t, dir)
	cert, key := ca.issue(t, dir, "caseflow", false)
	_, otherKey := ca.issue(t, dir, "other", false)
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate"), 0o600))
	missing := filepath.Join(dir, "missing.pem")

	type want struct {
		tls, clientCert, ownRoots, apiKey bool
		err                               string
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		now  time.Time
		want want
	}{
		{"nothing: plain gRPC", nil, time.Time{}, want{}},
		{"CA: TLS checked against it", map[string]string{"TEMPORAL_TLS_CA": caFile}, time.Time{}, want{tls: true, ownRoots: true}},
		{"mutual TLS", map[string]string{"TEMPORAL_TLS_CERT": cert, "TEMPORAL_TLS_KEY": key, "TEMPORAL_TLS_CA": caFile}, time.Time{},
			want{tls: true, clientCert: true, ownRoots: true}},
		{"mutual TLS against the system's roots (Temporal Cloud)", map[string]string{"TEMPORAL_TLS_CERT": cert, "TEMPORAL_TLS_KEY": key}, time.Time{},
			want{tls: true, clientCert: true}},
		{"API key: TLS against the system's roots", map[string]string{"TEMPORAL_API_KEY": "abc.def"}, time.Time{}, want{tls: true, apiKey: true}},
		{"API key with a CA", map[string]string{"TEMPORAL_API_KEY": "abc.def", "TEMPORAL_TLS_CA": caFile}, time.Time{},
			want{tls: true, ownRoots: true, apiKey: true}},
		{"API key with a server name", map[string]string{"TEMPORAL_API_KEY": "abc.def", "TEMPORAL_TLS_SERVER_NAME": "temporal"}, time.Time{},
			want{tls: true, apiKey: true}},
		{"certificate without key", map[string]string{"TEMPORAL_TLS_CERT": cert, "TEMPORAL_TLS_CA": caFile}, time.Time{},
			want{err: "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both or neither"}},
		{"key without certificate", map[string]string{"TEMPORAL_TLS_KEY": key}, time.Time{},
			want{err: "TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both or neither"}},
		{"server name alone", map[string]string{"TEMPORAL_TLS_SERVER_NAME": "temporal"}, time.Time{},
			want{err: "TEMPORAL_TLS_SERVER_NAME is set, but nothing turns TLS on"}},
		{"certificate file missing", map[string]string{"TEMPORAL_TLS_CERT": missing, "TEMPORAL_TLS_KEY": key}, time.Time{},
			want{err: "TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: open " + missing}},
		{"key of another certificate", map[string]string{"TEMPORAL_TLS_CERT": cert, "TEMPORAL_TLS_KEY": otherKey}, time.Time{},
			want{err: "TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: tls: private key does not match public key"}},
		{"certificate expired", map[string]string{"TEMPORAL_TLS_CERT": cert, "TEMPORAL_TLS_KEY": key}, time.Now().Add(48 * time.Hour),
			want{err: "TEMPORAL_TLS_CERT: the certificate in " + cert + " expired on "}},
		{"CA file missing", map[string]string{"TEMPORAL_TLS_CA": missing}, time.Time{}, want{err: "TEMPORAL_TLS_CA: open " + missing}},
		{"CA file not PEM", map[string]string{"TEMPORAL_TLS_CA": notPEM}, time.Time{}, want{err: "TEMPORAL_TLS_CA: no PEM certificate in " + notPEM}},
		{"API key with Bearer", map[string]string{"TEMPORAL_API_KEY": "Bearer abc.def"}, time.Time{},
			want{err: "TEMPORAL_API_KEY contains a space or control character"}},
		{"API key over two lines", map[string]string{"TEMPORAL_API_KEY": "abc\ndef"}, time.Time{},
			want{err: "TEMPORAL_API_KEY contains a space or control character"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := LoadConfig(func(k string) string { return tc.env[k] }, false)
			now := tc.now
			if now.IsZero() {
				now = time.Now()
			}
			tlsConfig, err := cfg.temporalTLS(now)
			if err == nil {
				var creds any
				creds, err = cfg.temporalCredentials()
				require.Equal(t, tc.want.apiKey, creds != nil, "API key credentials")
			}
			if tc.want.err != "" {
				require.ErrorContains(t, err, tc.want.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want.tls, tlsConfig != nil, "TLS")
			if tlsConfig == nil {
				return
			}
			require.Equal(t, tc.want.clientCert, len(tlsConfig.Certificates) == 1, "client certificate")
			require.Equal(t, tc.want.ownRoots, tlsConfig.RootCAs != nil, "own CA rather than the system's roots")
			require.Equal(t, tc.env["TEMPORAL_TLS_SERVER_NAME"], tlsConfig.ServerName)
			require.Equal(t, uint16(tls.VersionTLS12), tlsConfig.MinVersion)
		})
	}
}
