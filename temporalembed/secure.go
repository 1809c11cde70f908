package temporalembed

import (
	"errors"

	"go.temporal.io/server/common/config"
)

// TLS is the frontend's side of TLS: its certificate and, for mutual TLS,
// the CA that must have signed every client's certificate.
type TLS struct {
	// CertFile and KeyFile are the frontend's certificate and private key (PEM files).
	CertFile, KeyFile string
	// ClientCAFile, when set, is a CA (PEM file); a client must then present
	// a certificate it signed.
	ClientCAFile string
}

// secured says whether the frontend checks who calls it. The server's own
// clients (its system workers, and Start's namespace setup) then reach it
// through an internal frontend, as Temporal advises for clusters with TLS or
// authorization: plain gRPC on the services' host, where their calls pass
// as the system's own.
func (c Config) secured() bool { return c.TLS != nil || c.Authorizer != nil }

func (c Config) checkSecured() error {
	if (c.Authorizer == nil) != (c.ClaimMapper == nil) {
		return errors.New("temporalembed: Config.Authorizer and Config.ClaimMapper: set both or neither")
	}
	if c.TLS != nil && (c.TLS.CertFile == "" || c.TLS.KeyFile == "") {
		return errors.New("temporalembed: Config.TLS needs CertFile and KeyFile")
	}
	if c.secured() && c.UIAddr != "" {
		return errors.New("temporalembed: the Web UI runs only against a plain frontend (no TLS, no authorization)")
	}
	return nil
}

// rootTLS is the server configuration's TLS section for t; the zero value,
// plain gRPC everywhere, for nil.
func (t *TLS) rootTLS() config.RootTLS {
	var root config.RootTLS
	if t == nil {
		return root
	}
	root.Frontend.Server = config.ServerTLS{CertFile: t.CertFile, KeyFile: t.KeyFile}
	if t.ClientCAFile != "" {
		root.Frontend.Server.ClientCAFiles = []string{t.ClientCAFile}
		root.Frontend.Server.RequireClientAuth = true
	}
	return root
}
