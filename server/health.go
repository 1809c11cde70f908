package server

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"go.temporal.io/sdk/client"
)

func (h *handlers) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz reports whether the API can serve: the store and Temporal answer,
// and so does the Web UI's workflow list where the stack serves a UI.
func (h *handlers) readyz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	checks := map[string]string{}
	if err := h.store.Ping(ctx); err != nil {
		checks["store"] = err.Error()
	}
	if _, err := h.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"] = err.Error()
	}
	ok := gin.H{"store": "ok", "temporal": "ok"}
	if h.webUI.URL != "" {
		if err := h.checkWebUI(ctx); err != nil {
			checks["web_ui"] = err.Error()
		}
		ok["web_ui"] = "ok"
	}
	if len(checks) > 0 {
		c.JSON(http.StatusServiceUnavailable, ErrorBody{Error: ErrorDetail{
			Code: CodeUnavailable, Message: "not ready", Fields: checks}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready", "checks": ok})
}
