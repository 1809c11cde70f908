package server

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"golang.org/x/sync/singleflight"

	"github.com/gin-gonic/gin"

	"github.com/caseflow/caseflow/payloadcrypt"
)

// unknownOutcomeMessage is the answer to a registration or step whose fate
// the API does not know: Temporal applies an Idempotency-Key once, so a
// retry with it is safe; a retry without one may apply the request twice.
const unknownOutcomeMessage = "the case service is busy or unavailable and did not confirm the request; " +
	"retrying with the same Idempotency-Key is safe (it is applied at most once)"

// temporalError answers a registration or step that failed for any reason
// other than a refusal: a timeout, an overloaded or unreachable Temporal,
// a failing store. Whether it was applied is unknown (or it was not), so
// the answer is 503 with Retry-After, never 500; but a workflow whose data
// key an erasure destroyed answers 409 customer_erased (erased.go).
func (h *handlers) temporalError(c *gin.Context, err error, caseID string) {
	if errors.Is(err, payloadcrypt.ErrDataKeyDestroyed) {
		// A process of an erased customer: its data key is gone for good.
		customerErased(c, "the process belongs to an erased customer")
		return
	}
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

// flights collapse concurrent identical calls to Temporal, which takes
// only a few updates in flight per workflow, into one.
type flights struct {
	group singleflight.Group
	// collapsed counts the callers answered by another caller's call.
	collapsed *prometheus.CounterVec
}

func newFlights(reg prometheus.Registerer) *flights {
	f := &flights{collapsed: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caseflow_requests_collapsed_total",
		Help: "Registrations and steps answered by a concurrent identical call (same caller and Idempotency-Key).",
	}, []string{"operation"})}
	reg.MustRegister(f.collapsed)
	return f
}

// collapse runs fn once for all concurrent callers with the same key and
// gives each the shared result. fn runs detached from the first caller, so
// one client giving up does not fail the others; each caller still stops
// waiting when its own ctx ends. operation labels the metric.
func collapse[T any](ctx context.Context, f *flights, operation, key string, timeout time.Duration,
	fn func(context.Context) (T, error)) (T, error) {
	led := false // set when this caller's fn is the one that runs
	ch := f.group.DoChan(operation+"\x00"+key, func() (any, error) {
		led = true
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
		defer cancel()
		return fn(fctx)
	})
	select {
	case r := <-ch:
		if !led && f.collapsed != nil {
			f.collapsed.WithLabelValues(operation).Inc()
		}
		v, _ := r.Val.(T)
		return v, r.Err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
