package app

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestConsoleOIDC: no issuer, no console sign-in; an issuer without the
// rest names what is missing; a complete set discovers the provider.
func TestConsoleOIDC(t *testing.T) {
	var idp *httptest.Server
	idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize",
			"token_endpoint": idp.URL + "/token", "jwks_uri": idp.URL + "/jwks"})
	}))
	t.Cleanup(idp.Close)
	full := map[string]string{
		"CASEFLOW_OIDC_ISSUER":        idp.URL,
		"CASEFLOW_OIDC_CLIENT_ID":     "caseflow-console",
		"CASEFLOW_OIDC_CLIENT_SECRET": "s3cret",
		"CASEFLOW_OIDC_REDIRECT_URL":  "https://caseflow.example/console/oidc/callback",
	}
	without := func(name string) map[string]string {
		env := map[string]string{}
		for k, v := range full {
			if k != name {
				env[k] = v
			}
		}
		return env
	}
	tests := []struct {
		name    string
		env     map[string]string
		want    bool
		wantErr string
	}{
		{"not configured", nil, false, ""},
		{"configured", full, true, ""},
		{"no client id", without("CASEFLOW_OIDC_CLIENT_ID"), false, "CASEFLOW_OIDC_CLIENT_ID"},
		{"no client secret", without("CASEFLOW_OIDC_CLIENT_SECRET"), false, "CASEFLOW_OIDC_CLIENT_SECRET"},
		{"no redirect URL", without("CASEFLOW_OIDC_REDIRECT_URL"), false, "CASEFLOW_OIDC_REDIRECT_URL"},
		{"redirect URL without the callback path", func() map[string]string {
			env := without("")
			env["CASEFLOW_OIDC_REDIRECT_URL"] = "https://caseflow.example"
			return env
		}(), false, "redirect URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := LoadConfig(func(k string) string { return tt.env[k] }, false)
			o, err := c.consoleOIDC(t.Context())
			if tt.wantErr != "" {
				require.ErrorContains(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.want, o != nil)
		})
	}
}
