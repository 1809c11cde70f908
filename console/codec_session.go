package console

import (
	"errors"
	"net/http"

	"github.com/caseflow/caseflow/auth"
)

// SessionPrincipal answers the user whose console session the request's
// cookie holds; ok is false without a live session. The API's codec server
// accepts it: the Temporal Web UI, on another port of the same host (the
// same site, so the SameSite=Lax cookie goes along), calls it with the
// browser's cookies.
func (c *Console) SessionPrincipal(r *http.Request) (p auth.Principal, ok bool, err error) {
	s, err := c.sessionOf(r)
	if errors.Is(err, errNoSession) {
		return auth.Principal{}, false, nil
	}
	if err != nil {
		return auth.Principal{}, false, err
	}
	return s.principal, true, nil
}
