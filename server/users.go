package server

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
	raw, _ := json.Marshal(in)
	u, token, replay, err := accounts.CreateOnce(c.Request.Context(), h.store, in, principalOf(c).UserID, adminKey(c, raw))
	if keyReused(c, err) {
		return
	}
	if err != nil {
		h.internalError(c, err)
		return
	}
	if replay {
		// The secret is not kept: a retry answers the user without it.
		c.Header(replayedHeader, "true")
		c.JSON(http.StatusCreated, gin.H{"user": u})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"user": u, "token": token})
}

// replayedHeader marks an answer to a retried Idempotency-Key.
const replayedHeader = "Idempotent-Replayed"

// adminKey scopes the call's Idempotency-Key to the route and the caller;
// the fingerprint covers the path parameters and the request. Without the
// header it is the zero value, and the write is not keyed.
func adminKey(c *gin.Context, request []byte) store.Idempotency {
	key := c.GetHeader("Idempotency-Key")
	if key == "" {
		return store.Idempotency{}
	}
	h := sha256.New()
	for _, p := range c.Params {
		h.Write([]byte(p.Key + "=" + p.Value + "\n"))
	}
	h.Write(request)
	return store.Idempotency{
		Scope:       c.Request.Method + " " + c.FullPath() + " " + principalOf(c).UserID,
		Key:         key,
		Fingerprint: hex.EncodeToString(h.Sum(nil)),
	}
}

// keyReused answers 422 when the Idempotency-Key came with another request.
func keyReused(c *gin.Context, err error) bool {
	if !errors.Is(err, store.ErrKeyReused) {
		return false
	}
	abortWithError(c, http.StatusUnprocessableEntity, CodeKeyReused,
		"this Idempotency-Key was first used with a different request", nil)
	return true
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
	tok, token, replay, err := accounts.IssueTokenOnce(c.Request.Context(), h.store, c.Param("id"), principalOf(c).UserID, adminKey(c, nil))
	if keyReused(c, err) {
		return
	}
	if !h.found(c, err, "no user with id "+c.Param("id")) {
		return
	}
	if replay {
		// The secret was shown once: a retry answers the record without it.
		c.Header(replayedHeader, "true")
		c.JSON(http.StatusCreated, gin.H{"info": tok})
		return
	}
	c.JSON(http.StatusCreated, gin.H{"token": token, "info": tok})
}

func (h *handlers) revokeToken(c *gin.Context) {
	tok, err := h.store.RevokeToken(c.Request.Context(), c.Param("id"), principalOf(c).UserID)
	if !h.found(c, err, "no token with id "+c.Param("id")) {
		return
	}
	h.auth.ForgetTokens()
	c.JSON(http.StatusOK, gin.H{"token": tok})
}

func (h *handlers) userExists(c *gin.Context) bool {
	_, err := h.store.GetUser(c.Request.Context(), c.Param("id"))
	return h.found(c, err, "no user with id "+c.Param("id"))
}
