package app

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// temporalTLS is the client side of the mutual TLS that docker-compose.yml
// configures on Temporal's frontend: the certificate caseflow presents
// (TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY), the CA that signed the
// frontend's (TEMPORAL_TLS_CA) and the name in it (TEMPORAL_TLS_SERVER_NAME).
// Nil, plain gRPC, when none is set.
func (c Config) temporalTLS() (*tls.Config, error) {
	t := c.TemporalTLS
	if t.Cert == "" && t.Key == "" && t.CA == "" && t.ServerName == "" {
		return nil, nil
	}
	if (t.Cert == "") != (t.Key == "") {
		return nil, errors.New("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: set both or neither")
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: t.ServerName}
	if t.Cert != "" {
		pair, err := tls.LoadX509KeyPair(t.Cert, t.Key)
		if err != nil {
			return nil, fmt.Errorf("TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY: %w", err)
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
