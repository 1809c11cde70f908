package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/store"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// queryLimit reads the page size from the query parameter limit:
// defaultPageSize when it is absent, and a problem noted when it is not an
// integer from 1 to maxPageSize.
func queryLimit(c *gin.Context, problems map[string]string) int {
	raw := c.Query("limit")
	if raw == "" {
		return defaultPageSize
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > maxPageSize {
		problems["limit"] = "must be an integer from 1 to " + strconv.Itoa(maxPageSize)
		return defaultPageSize
	}
	return n
}

// answerPage answers a page read from the store: 400 for a cursor the
// store did not hand out, 500 for another error, else the page.
func (h *handlers) answerPage(c *gin.Context, page any, err error) {
	if errors.Is(err, store.ErrBadCursor) {
		badRequest(c, map[string]string{"cursor": "is not a cursor this API handed out"})
		return
	}
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, page)
}
