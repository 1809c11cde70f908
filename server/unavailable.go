package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/singleflight"

	"github.com/gin-gonic/gin"
)

// unknownOutcomeMessage is the answer to a registration or step whose fate
// the API does not know: Temporal applies an Idempotency-Key once, so a
// retry with it is safe; a retry without one may apply the request twice.
const unknownOutcomeMessage = "the case service is busy or unavailable and did not confirm the request; " +
	"retrying with the same Idempotency-Key is safe (it is applied at most once)"

// temporalError answers a registration or step that failed for any reason
// other than a refusal: a timeout, an overloaded or unreachable Temporal,
// a failing store. Whether it was applied is unknown (or it was not), so
// the answer is 503 with Retry-After, never 500.
func (h *handlers) temporalError(c *gin.Context, err error, caseID string) {
	retryAfter, expected := retryDelay(err)
	level := slog.LevelWarn
	if !expected {
		level = slog.LevelError
	}
	h.logger.Log(c.Request.Context(), level, "outcome unknown", "method", c.Request.Method,
		"path", c.FullPath(), "case_id", caseID, "err", err)
	c.Header("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	abortWithError(c, http.StatusServiceUnavailable, CodeUnavailable, unknownOutcomeMessage, nil)
}

// retryDelay is how long a client should wait before retrying after err,
// and whether err is one of the expected faults (overload, timeout,
// unavailability) rather than something unforeseen.
func retryDelay(err error) (time.Duration, bool) {
	var (
		exhausted   *serviceerror.ResourceExhausted
		unavailable *serviceerror.Unavailable
		deadline    *serviceerror.DeadlineExceeded
		canceled    *serviceerror.Canceled
		updateWait  *client.WorkflowUpdateServiceTimeoutOrCanceledError
	)
	switch {
	case errors.As(err, &exhausted):
		return time.Second, true
	case errors.As(err, &updateWait), errors.As(err, &deadline), errors.As(err, &canceled),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return 2 * time.Second, true
	case errors.As(err, &unavailable):
		return 5 * time.Second, true
	}
	return 5 * time.Second, false
}

// collapse runs fn once for all concurrent callers with the same key and
// gives each the shared result. fn runs detached from the first caller, so
// one client giving up does not fail the others; each caller still stops
// waiting when its own ctx ends.
func collapse[T any](ctx context.Context, g *singleflight.Group, key string, timeout time.Duration,
	fn func(context.Context) (T, error)) (T, error) {
	ch := g.DoChan(key, func() (any, error) {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		return fn(fctx)
	})
	select {
	case r := <-ch:
		v, _ := r.Val.(T)
		return v, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
