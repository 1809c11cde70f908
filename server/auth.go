package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/auth"
	"github.com/caseflow/caseflow/complaint"
)

const (
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	principalKey     = "caseflow.principal"
)

// authenticate resolves the bearer credential to a principal or answers 401.
func (h *handlers) authenticate(c *gin.Context) {
	// The console calls the API in-process for a user its session vouches
	// for; that principal meets the same authorization as a bearer's.
	if p, ok := auth.PrincipalFrom(c.Request.Context()); ok {
		c.Set(principalKey, p)
		return
	}
	p, err := h.auth.Authenticate(c.Request.Context(), c.GetHeader("Authorization"))
	if errors.Is(err, auth.ErrUnauthenticated) {
		c.Header("WWW-Authenticate", `Bearer realm="caseflow"`)
		abortWithError(c, http.StatusUnauthorized, CodeUnauthorized, err.Error(), nil)
		return
	}
	if err != nil {
		h.logger.Error("authentication failed", "err", err)
		c.Header("Retry-After", "5")
		abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, "cannot check credentials now; retry", nil)
		return
	}
	c.Set(principalKey, p)
}

// authorize checks the route's action against the policy table, or answers
// 403 naming the role and department needed.
func (h *handlers) authorize(action auth.Action) gin.HandlerFunc {
	return func(c *gin.Context) {
		err := auth.Authorize(principalOf(c), action)
		var forbidden *auth.ForbiddenError
		if errors.As(err, &forbidden) {
			abortWithError(c, http.StatusForbidden, CodeForbidden, "this action needs "+forbidden.Need, nil)
			return
		}
	}
}

func principalOf(c *gin.Context) auth.Principal {
	p, _ := c.Get(principalKey)
	principal, _ := p.(auth.Principal)
	return principal
}

// actorOf is the caller as recorded in timelines and workflow histories.
func actorOf(c *gin.Context) complaint.Actor { return principalOf(c).Actor() }
