package server

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openAPIDocument is the OpenAPI 3 description of this API. openapi_test.go
// checks that it documents exactly the routes of the route table.
//
//go:embed openapi.yaml
var openAPIDocument []byte

// openAPI serves the OpenAPI document.
func (h *handlers) openAPI(c *gin.Context) {
	c.Data(http.StatusOK, "application/yaml", openAPIDocument)
}
