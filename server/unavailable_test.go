package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
)

// Every failure whose outcome is unknown answers 503 with Retry-After and
// the promise that a keyed retry is safe, never 500.
func TestUnknownOutcomeIs503(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		retryAfter string
	}{
		{"resource exhausted", serviceerror.NewResourceExhausted(0, "too many outstanding updates"), "1"},
		{"update wait timed out", client.NewWorkflowUpdateServiceTimeoutOrCanceledError(errors.New("rpc error: code = DeadlineExceeded")), "2"},
		{"our deadline", fmt.Errorf("update: %w", context.DeadlineExceeded), "2"},
		{"cancelled", context.Canceled, "2"},
		{"server deadline", serviceerror.NewDeadlineExceeded("deadline"), "2"},
		{"unavailable", serviceerror.NewUnavailable("connection refused"), "5"},
		{"store down", errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"), "5"},
	}
	gin.SetMode(gin.ReleaseMode)
	h := &handlers{logger: slog.New(slog.DiscardHandler)}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			ctx, _ := gin.CreateTestContext(rec)
			ctx.Request = httptest.NewRequest(http.MethodPost, "/api/v1/complaints/x/confirm", nil)
			h.temporalError(ctx, c.err, "x")
			require.Equal(t, http.StatusServiceUnavailable, rec.Code)
			require.Equal(t, c.retryAfter, rec.Header().Get("Retry-After"))
			require.Contains(t, rec.Body.String(), "retrying with the same Idempotency-Key is safe")
		})
	}
}

func TestCollapseRunsConcurrentCallsOnce(t *testing.T) {
	// synctest.Wait tells when every caller is blocked, in the call or
	// waiting for it, so none can come late.
	synctest.Test(t, func(t *testing.T) {
		reg := prometheus.NewRegistry()
		g := newFlights(reg)
		var calls atomic.Int32
		release := make(chan struct{})
		const n = 50
		results := make([]string, n)
		errs := make([]error, n)
		var done sync.WaitGroup
		for i := range n {
			done.Go(func() {
				results[i], errs[i] = collapse(t.Context(), g, "test", "k", time.Minute, func(context.Context) (string, error) {
					calls.Add(1)
					<-release
					return "case-1", nil
				})
			})
		}
		synctest.Wait()
		require.Equal(t, int32(1), calls.Load(), "callers join the call in flight")
		close(release)
		done.Wait()
		for i, r := range results {
			require.NoError(t, errs[i])
			require.Equal(t, "case-1", r)
		}
		families, err := reg.Gather()
		require.NoError(t, err)
		require.Len(t, families, 1)
		require.Equal(t, "caseflow_requests_collapsed_total", families[0].GetName())
		require.Equal(t, float64(n-1), families[0].GetMetric()[0].GetCounter().GetValue(),
			"every caller but the one whose call ran is counted")
	})
}

func TestCollapseOutlivesTheFirstCaller(t *testing.T) {
	var g flights
	started, release := make(chan struct{}), make(chan struct{})
	flightCtxErr := make(chan error, 1)
	first, cancelFirst := context.WithCancel(t.Context())
	firstErr := make(chan error, 1)
	go func() {
		_, err := collapse(first, &g, "test", "k", time.Minute, func(ctx context.Context) (int, error) {
			close(started)
			<-release
			flightCtxErr <- ctx.Err()
			return 7, nil
		})
		firstErr <- err
	}()
	<-started
	cancelFirst()
	require.ErrorIs(t, <-firstErr, context.Canceled, "the first caller stops waiting when it leaves")
	close(release)
	require.NoError(t, <-flightCtxErr, "the call itself goes on for the callers that joined it")
}
