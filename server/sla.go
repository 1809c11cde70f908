package server

import (
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/sla"
)

func (h *handlers) listPolicies(c *gin.Context) {
	policies, err := h.store.ListPolicies(c.Request.Context())
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sla_policies": policies})
}

func (h *handlers) getPolicy(c *gin.Context) {
	p, err := h.store.GetPolicy(c.Request.Context(), c.Param("name"))
	if !h.found(c, err, "no SLA policy named "+c.Param("name")) {
		return
	}
	c.JSON(http.StatusOK, p)
}

// putPolicy creates or replaces a policy. Running cases keep the copy they
// took at registration; only new complaints get the edit.
func (h *handlers) putPolicy(c *gin.Context) {
	var p sla.Policy
	problems, ok := bindJSON(c, &p)
	if !ok {
		return
	}
	if p.Name == "" {
		p.Name = c.Param("name")
	}
	if p.Name != c.Param("name") {
		problems["name"] = "must match the name in the path"
	}
	p = p.WithDefaults()
	maps.Copy(problems, p.Validate())
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	if err := h.store.PutPolicy(c.Request.Context(), p); err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
