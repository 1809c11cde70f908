package temporalembed

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.temporal.io/server/common/authorization"
)

// TestStartChecksTLSAndAuthorization: a half-set TLS or authorization
// setting stops Start before anything listens.
func TestStartChecksTLSAndAuthorization(t *testing.T) {
	tls := &TLS{CertFile: "frontend.pem", KeyFile: "frontend.key"}
	for _, tc := range []struct {
		name string
		cfg  Config
		err  string
	}{
		{"authorizer without claim mapper", Config{Authorizer: authorization.NewDefaultAuthorizer()},
			"Config.Authorizer and Config.ClaimMapper: set both or neither"},
		{"claim mapper without authorizer", Config{ClaimMapper: authorization.NewNoopClaimMapper()},
			"Config.Authorizer and Config.ClaimMapper: set both or neither"},
		{"TLS without key", Config{TLS: &TLS{CertFile: "frontend.pem"}}, "Config.TLS needs CertFile and KeyFile"},
		{"Web UI with TLS", Config{TLS: tls, UIAddr: "127.0.0.1:0"}, "the Web UI runs only against a plain frontend"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.cfg.FrontendAddr = "127.0.0.1:0"
			tc.cfg.DataDir = t.TempDir()
			tc.cfg.Namespace = testNamespace
			_, err := Start(t.Context(), tc.cfg)
			require.ErrorContains(t, err, tc.err)
		})
	}
}
