package app

import (
	"context"
	"log/slog"
	"strings"

	"github.com/caseflow/caseflow/console"
	"github.com/caseflow/caseflow/store"
)

// newConsole builds the web console: under caseflow dev with the demo
// users' sign-in page, under caseflow server with the identity provider's
// sign-in only. Its cookies are Secure when its public address is https.
func (c Config) newConsole(ctx context.Context, st *store.Store, logger *slog.Logger, dev bool,
	webUIURL string,
) (*console.Console, error) {
	oidc, err := c.consoleOIDC(ctx)
	if err != nil {
		return nil, err
	}
	zone, err := c.timeZone()
	if err != nil {
		return nil, err
	}
	return console.New(console.Deps{
		Store: st, Logger: logger, DevSignIn: dev, OIDC: oidc,
		Secure:   strings.HasPrefix(c.OIDC.RedirectURL, "https://"),
		WebUIURL: webUIURL, Namespace: c.Namespace, TimeZone: zone,
	})
}
