package server

import (
	"errors"
	"maps"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/accounts"
	"github.com/caseflow/caseflow/store"
)

func (h *handlers) listUsers(c *gin.Context) {
	users, err := h.store.ListUsers(c.Request.Context())
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"users": users})
}

// createUser answers the new user with its first token, shown only here.
func (h *handlers) createUser(c *gin.Context) {
	var in accounts.NewUser
	problems, ok := bindJSON(c, &in)
	if !ok {
		return
	}
	maps.Copy(problems, in.Check(h.webhooks))
	if len(problems) > 0 {
		badRequest(c, problems)
		return
	}
	u, token, err := accounts.Create(c.Request.Context(), h.store, in, principalOf(c).UserID)
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"user": u, "token": token})
}

func (h *handlers) listTokens(c *gin.Context) {
	if !h.userExists(c) {
		return
	}
	tokens, err := h.store.ListTokens(c.Request.Context(), c.Param("id"))
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"tokens": tokens})
}

func (h *handlers) issueToken(c *gin.Context) {
	tok, token, err := accounts.IssueToken(c.Request.Context(), h.store, c.Param("id"), principalOf(c).UserID)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no user with id "+c.Param("id"), nil)
		return
	}
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": token, "info": tok})
}

func (h *handlers) revokeToken(c *gin.Context) {
	tok, err := h.store.RevokeToken(c.Request.Context(), c.Param("id"), principalOf(c).UserID)
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no token with id "+c.Param("id"), nil)
		return
	}
	if err != nil {
		h.internalError(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"token": tok})
}

func (h *handlers) userExists(c *gin.Context) bool {
	_, err := h.store.GetUser(c.Request.Context(), c.Param("id"))
	if errors.Is(err, store.ErrNotFound) {
		abortWithError(c, http.StatusNotFound, CodeNotFound, "no user with id "+c.Param("id"), nil)
		return false
	}
	if err != nil {
		h.internalError(c, err)
		return false
	}
	return true
}
