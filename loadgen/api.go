package loadgen

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Repeats of a call whose outcome is unknown: the API answers 503 with
// Retry-After: 1 when it cannot tell.
const (
	maxAttempts       = 5
	defaultRetryDelay = time.Second
)

// apiLoad walks cases through the API and records every call.
type apiLoad struct {
	base   string
	tokens map[string]string
	client *http.Client
	// run makes this run's Idempotency-Keys unique.
	run string
	rec *recorder
	// retryDelay is the wait before a repeat (defaultRetryDelay when 0).
	retryDelay time.Duration
}

// lifecycle walks case n from registration to closure and reports whether
// it got there; it stops at the first refused call.
func (l *apiLoad) lifecycle(ctx context.Context, n int) bool {
	var id string
	for i, c := range lifecycle(n, time.Now()) {
		key := fmt.Sprintf("loadgen-%s-%d-%d", l.run, n, i)
		token := l.tokens[Key(c.department, c.role)]
		if c.step == Register {
			if id = l.register(ctx, Register, token, key, c.body); id == "" {
				return false
			}
			continue
		}
		if _, ok := l.timed(ctx, c.step, "/api/v1/complaints/"+id+"/"+c.step, token, key, c.body, http.StatusOK); !ok {
			return false
		}
	}
	return true
}

// register registers a case, recorded as op, and returns its id, "" when
// refused.
func (l *apiLoad) register(ctx context.Context, op, token, key string, body any) string {
	raw, ok := l.timed(ctx, op, "/api/v1/complaints", token, key, body, http.StatusCreated)
	if !ok {
		return ""
	}
	var created struct{ ID string }
	if err := json.Unmarshal(raw, &created); err != nil || created.ID == "" {
		l.rec.failed(op, "no case id")
		return ""
	}
	return created.ID
}

// timed posts body, records the call as op and reports whether it got the
// status wanted, with the answer; a refusal is recorded by its status.
//
// An answer that leaves the outcome unknown (503, or none) is repeated with
// the same Idempotency-Key, as the API asks, up to maxAttempts in all; the
// latency runs from the first attempt.
func (l *apiLoad) timed(ctx context.Context, op, path, token, key string, body any, want int) ([]byte, bool) {
	started := time.Now()
	var (
		status int
		raw    []byte
		err    error
	)
	for attempt := 1; ; attempt++ {
		status, raw, err = l.do(ctx, http.MethodPost, path, token, key, body)
		unknown := err != nil || status == http.StatusServiceUnavailable
		if !unknown || attempt == maxAttempts || ctx.Err() != nil {
			break
		}
		reason := "transport"
		if err == nil {
			reason = strconv.Itoa(status)
		}
		l.rec.retried(op, reason)
		select {
		case <-ctx.Done():
		case <-time.After(cmp.Or(l.retryDelay, defaultRetryDelay)):
		}
	}
	elapsed := time.Since(started)
	switch {
	case err != nil:
		l.rec.failed(op, "transport")
		return nil, false
	case status != want:
		l.rec.failed(op, strconv.Itoa(status))
		return nil, false
	}
	l.rec.ok(op, elapsed)
	return raw, true
}

// do calls the API as token with body (none when nil) and, when key is not
// empty, an Idempotency-Key.
func (l *apiLoad) do(ctx context.Context, method, path, token, key string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(l.base, "/")+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, answer, err
}
