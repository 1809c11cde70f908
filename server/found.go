package server

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/store"
)

// found answers a failed store read: 404 with the message missing when
// nothing was there, 500 for any other error. It reports whether the
// handler may go on.
func (h *handlers) found(c *gin.Context, err error, missing string) bool {
	switch {
	case err == nil:
		return true
	case errors.Is(err, store.ErrNotFound):
		abortWithError(c, http.StatusNotFound, CodeNotFound, missing, nil)
	default:
		h.internalError(c, err)
	}
	return false
}
