package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/imports"
	"github.com/caseflow/caseflow/store"
)

// importFile answers an import of a CSV body by run: 200 with what it did,
// 400 naming every bad row's line and field (and nothing written), 413 for
// a file over imports.MaxBytes.
func (h *handlers) importFile(run func(context.Context, *store.Store, []byte) (imports.Result, imports.Problems, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		raw, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, imports.MaxBytes))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			abortWithError(c, http.StatusRequestEntityTooLarge, CodeTooLarge,
				fmt.Sprintf("the file exceeds %d bytes", imports.MaxBytes), nil)
			return
		}
		if err != nil {
			badRequest(c, map[string]string{"file": "could not be read"})
			return
		}
		result, problems, err := run(c.Request.Context(), h.store, raw)
		if errors.Is(err, imports.ErrProblems) {
			abortWithError(c, http.StatusBadRequest, CodeInvalidRequest,
				"the file has problems; nothing was imported", problems)
			return
		}
		if err != nil {
			h.internalError(c, err)
			return
		}
		c.JSON(http.StatusOK, result)
	}
}
