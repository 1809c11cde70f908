package server

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/complaint"
)

// Limits of what a request carries outside its body.
const (
	// maxPathParam bounds every path id: case, user and token ids are
	// UUIDs, customer ids, contract numbers and policy names at most 64.
	maxPathParam = 64
	// maxQueryParam bounds query values; ids among them are bounded like
	// path ids.
	maxQueryParam = 256
	// maxIdempotencyKey is the documented limit of Idempotency-Key.
	maxIdempotencyKey = 255
)

// idQueryParams hold ids, bounded like path ids.
var idQueryParams = []string{"customer_id"}

// checkInput refuses, in one place for every route, path and query
// parameters and an Idempotency-Key that are too long, hold control
// characters or are not UTF-8, with a 400 naming each. Bodies are checked
// by bindJSON.
func checkInput(c *gin.Context) {
	problems := map[string]string{}
	for _, p := range c.Params {
		if strings.TrimSpace(p.Value) == "" {
			problems[p.Key] = "is required"
			continue
		}
		maps.Copy(problems, paramProblem(p.Key, p.Value, maxPathParam))
	}
	for name, values := range c.Request.URL.Query() {
		limit := maxQueryParam
		if slices.Contains(idQueryParams, name) {
			limit = maxPathParam
		}
		if problem := complaint.TextProblem(name, false); problem != "" {
			problems["query"] = "parameter names " + problem
			continue
		}
		for _, v := range values {
			maps.Copy(problems, paramProblem(name, v, limit))
		}
	}
	if key, ok := c.Request.Header["Idempotency-Key"]; ok {
		maps.Copy(problems, idempotencyKeyProblem(key))
	}
	if len(problems) > 0 {
		badRequest(c, problems)
	}
}

func paramProblem(name, value string, limit int) map[string]string {
	if problem := complaint.TextProblem(value, false); problem != "" {
		return map[string]string{name: problem}
	}
	if utf8.RuneCountInString(value) > limit {
		return map[string]string{name: fmt.Sprintf("must be at most %d characters", limit)}
	}
	return nil
}

func idempotencyKeyProblem(values []string) map[string]string {
	const name = "Idempotency-Key"
	if len(values) > 1 {
		return map[string]string{name: "must be sent once"}
	}
	return paramProblem(name, values[0], maxIdempotencyKey)
}

// securityHeaders go on every answer: the API answers JSON and YAML only,
// so nothing it sends should be sniffed, cached, framed or run as a page.
// no-store matters most on answers carrying a new token.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
	c.Next()
}
