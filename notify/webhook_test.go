package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/stretchr/testify/require"
)

const testSecret = "shared-secret"

// loopback lets webhooks reach the tests' receivers on 127.0.0.1.
var loopback = WebhookTargets{AllowHTTP: true, AllowNets: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}}

// hookRequest is one request as the test receiver saw it.
type hookRequest struct {
	Header http.Header
	Body   []byte
}

// hookServer answers with the scripted statuses in order (the last one
// repeats) and records every request.
type hookServer struct {
	URL string

	mu       sync.Mutex
	statuses []int
	headers  []http.Header // extra response headers per answer (optional)
	reqs     []hookRequest
	onReq    func(n int) // called with the 1-based attempt number
}

func startHook(t *testing.T, statuses ...int) *hookServer {
	t.Helper()
	h := &hookServer{statuses: statuses}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	h.URL = srv.URL + "/hook"
	return h
}

func (h *hookServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.reqs = append(h.reqs, hookRequest{Header: r.Header.Clone(), Body: body})
	n := len(h.reqs)
	status := h.statuses[min(n, len(h.statuses))-1]
	var extra http.Header
	if n-1 < len(h.headers) {
		extra = h.headers[n-1]
	}
	onReq := h.onReq
	h.mu.Unlock()
	if onReq != nil {
		onReq(n)
	}
	for k, v := range extra {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	_, _ = io.WriteString(w, http.StatusText(status))
}

// script sets per-answer response headers and a per-request callback.
func (h *hookServer) script(headers []http.Header, onReq func(n int)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.headers, h.onReq = headers, onReq
}

func (h *hookServer) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.reqs...)
}

// delivered counts requests answered 2xx.
func (h *hookServer) delivered() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := 0
	for i := range h.reqs {
		if s := h.statuses[min(i+1, len(h.statuses))-1]; s >= 200 && s < 300 {
			d++
		}
	}
	return d
}

func fastWebhook(extra ...func(*WebhookConfig)) *Webhook {
	cfg := WebhookConfig{Secret: testSecret, InitialBackoff: 5 * time.Millisecond, MaxAttempts: 4, Timeout: 5 * time.Second, Targets: loopback}
	for _, f := range extra {
		f(&cfg)
	}
	return NewWebhook(cfg, nil)
}

func TestWebhookDelivers(t *testing.T) {
	hook := startHook(t, http.StatusOK)
	n := testNotification()
	n.WebhookURL = hook.URL
	w := fastWebhook()
	require.Equal(t, "webhook", w.Name())

	before := time.Now().Unix()
	require.NoError(t, w.Send(t.Context(), n))

	reqs := hook.requests()
	require.Len(t, reqs, 1)
	r := reqs[0]
	require.Equal(t, "application/json; charset=utf-8", r.Header.Get("Content-Type"))
	require.Equal(t, n.ID, r.Header.Get(HeaderDelivery))
	require.Equal(t, n.ID, r.Header.Get("Idempotency-Key"))
	ts := r.Header.Get(HeaderTimestamp)
	sec, err := strconv.ParseInt(ts, 10, 64)
	require.NoError(t, err)
	require.GreaterOrEqual(t, sec, before)
	require.LessOrEqual(t, sec, time.Now().Unix())

	sig := r.Header.Get(HeaderSignature)
	require.Regexp(t, `^sha256=[0-9a-f]{64}$`, sig)
	require.True(t, VerifySignature(testSecret, ts, r.Body, sig))

	var body struct {
		Text    string `json:"text"`
		MsgType string `json:"msgtype"`
		Content struct {
			Text string `json:"text"`
		} `json:"content"`
		Notification complaint.Notification `json:"notification"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body))
	require.Equal(t, "text", body.MsgType)
	require.Equal(t, "[escalation L2] CMP-2026-000123 resolution deadline breached (due 2026-05-01T10:00:00Z) — "+
		"The resolution deadline of case CMP-2026-000123 was due at 2026-05-01T10:00:00Z and has been breached; escalated to level 2.", body.Text)
	require.NotContains(t, body.Text, "\n")
	require.Equal(t, body.Text, body.Content.Text)
	require.Equal(t, n, body.Notification)

	var generic map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &generic))
	require.Equal(t, "ntf-0001", generic["notification"].(map[string]any)["id"])
}

func TestVerifySignature(t *testing.T) {
	body := []byte(`{"text":"hi"}`)
	good := Sign(testSecret, "1700000000", body)
	tests := []struct {
		name      string
		secret    string
		timestamp string
		body      []byte
		sig       string
		want      bool
	}{
		{"valid", testSecret, "1700000000", body, good, true},
		{"tampered body", testSecret, "1700000000", []byte(`{"text":"ho"}`), good, false},
		{"other timestamp", testSecret, "1700000001", body, good, false},
		{"wrong secret", "other", "1700000000", body, good, false},
		{"missing prefix", testSecret, "1700000000", body, good[len("sha256="):], false},
		{"not hex", testSecret, "1700000000", body, "sha256=zz", false},
		{"empty", testSecret, "1700000000", body, "", false},
		{"empty timestamp", testSecret, "", body, Sign(testSecret, "", body), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, VerifySignature(tc.secret, tc.timestamp, tc.body, tc.sig))
		})
	}
}

func TestWebhookStatuses(t *testing.T) {
	tests := []struct {
		name          string
		statuses      []int
		headers       []http.Header
		wantErr       bool
		wantPermanent bool
		wantAttempts  int
		wantDelivered int
	}{
		{name: "503 twice then 200", statuses: []int{503, 503, 200}, wantAttempts: 3, wantDelivered: 1},
		{name: "204 is delivered", statuses: []int{204}, wantAttempts: 1, wantDelivered: 1},
		{name: "400 is permanent", statuses: []int{400}, wantErr: true, wantPermanent: true, wantAttempts: 1},
		{name: "401 is permanent", statuses: []int{401}, wantErr: true, wantPermanent: true, wantAttempts: 1},
		{name: "404 is permanent", statuses: []int{404}, wantErr: true, wantPermanent: true, wantAttempts: 1},
		{name: "redirect is permanent, not followed", statuses: []int{302}, headers: []http.Header{{"Location": {"/elsewhere"}}}, wantErr: true, wantPermanent: true, wantAttempts: 1},
		{name: "408 is retried", statuses: []int{408, 200}, wantAttempts: 2, wantDelivered: 1},
		{name: "429 is retried", statuses: []int{429, 200}, wantAttempts: 2, wantDelivered: 1},
		{name: "429 honours a short Retry-After", statuses: []int{429, 200}, headers: []http.Header{{"Retry-After": {"0"}}}, wantAttempts: 2, wantDelivered: 1},
		{name: "429 with a long Retry-After ends the call, transient", statuses: []int{429, 200}, headers: []http.Header{{"Retry-After": {"3600"}}}, wantErr: true, wantAttempts: 1},
		{name: "500s exhaust the attempts, transient", statuses: []int{500}, wantErr: true, wantAttempts: 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hook := startHook(t, tc.statuses...)
			hook.script(tc.headers, nil)
			n := testNotification()
			n.WebhookURL = hook.URL
			err := fastWebhook().Send(t.Context(), n)
			if tc.wantErr {
				require.Error(t, err)
				require.Equal(t, tc.wantPermanent, errors.Is(err, ErrPermanent), "permanent: %v", err)
				require.False(t, errors.Is(err, ErrNotApplicable))
				var se *StatusError
				require.ErrorAs(t, err, &se)
				require.Equal(t, tc.statuses[min(tc.wantAttempts, len(tc.statuses))-1], se.StatusCode)
			} else {
				require.NoError(t, err)
			}
			reqs := hook.requests()
			require.Len(t, reqs, tc.wantAttempts)
			require.Equal(t, tc.wantDelivered, hook.delivered())
			for _, r := range reqs {
				// every attempt is signed afresh and carries the same delivery id
				require.True(t, VerifySignature(testSecret, r.Header.Get(HeaderTimestamp), r.Body, r.Header.Get(HeaderSignature)))
				require.Equal(t, n.ID, r.Header.Get(HeaderDelivery))
			}
		})
	}
}

func TestWebhookBackoffGrows(t *testing.T) {
	hook := startHook(t, 503, 503, 503, 200)
	var mu sync.Mutex
	var at []time.Time
	hook.script(nil, func(int) {
		mu.Lock()
		at = append(at, time.Now())
		mu.Unlock()
	})
	n := testNotification()
	n.WebhookURL = hook.URL
	w := fastWebhook(func(c *WebhookConfig) { c.InitialBackoff = 20 * time.Millisecond })
	require.NoError(t, w.Send(t.Context(), n))
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, at, 4)
	// 20ms, 40ms, 80ms with ±20% jitter
	for i, minGap := range []time.Duration{16 * time.Millisecond, 32 * time.Millisecond, 64 * time.Millisecond} {
		require.GreaterOrEqual(t, at[i+1].Sub(at[i]), minGap, "gap %d", i)
	}
}

func TestWebhookContextCancelledStopsRetrying(t *testing.T) {
	hook := startHook(t, 503)
	ctx, cancel := context.WithCancel(t.Context())
	hook.script(nil, func(int) { cancel() })
	n := testNotification()
	n.WebhookURL = hook.URL
	// A long backoff: only cancellation can end the call quickly.
	w := fastWebhook(func(c *WebhookConfig) { c.InitialBackoff = time.Minute })

	start := time.Now()
	err := w.Send(ctx, n)
	require.Error(t, err)
	require.ErrorIs(t, err, context.Canceled)
	require.False(t, errors.Is(err, ErrPermanent), "%v", err)
	require.Less(t, time.Since(start), 10*time.Second)
	require.Len(t, hook.requests(), 1)
}

// answeredTransport signals once the first response has reached the client.
type answeredTransport struct {
	once     sync.Once
	answered chan struct{}
}

func (a *answeredTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	a.once.Do(func() { close(a.answered) })
	return resp, err
}

func TestWebhookCancelledDuringBackoff(t *testing.T) {
	hook := startHook(t, 503)
	n := testNotification()
	n.WebhookURL = hook.URL
	ctx, cancel := context.WithCancel(t.Context())
	tr := &answeredTransport{answered: make(chan struct{})}
	w := NewWebhook(WebhookConfig{Secret: testSecret, InitialBackoff: time.Minute, Targets: loopback}, &http.Client{Transport: tr})
	done := make(chan error, 1)
	go func() { done <- w.Send(ctx, n) }()

	select {
	case <-tr.answered: // the first 503 is in; Send now waits out the backoff
	case <-time.After(10 * time.Second):
		t.Fatal("no answer within 10s")
	}
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
		require.False(t, errors.Is(err, ErrPermanent), "%v", err)
		require.Contains(t, err.Error(), "HTTP 503") // what the receiver said is kept
	case <-time.After(10 * time.Second):
		t.Fatal("Send did not return after cancel")
	}
	require.Len(t, hook.requests(), 1)
}

func TestWebhookURLs(t *testing.T) {
	hook := startHook(t, 200)
	tests := []struct {
		name          string
		cfg           WebhookConfig
		url           string
		wantErr       error // nil: delivered
		wantRequests  int
		wantNotInText string
	}{
		{name: "recipient URL", url: hook.URL, wantRequests: 1},
		{name: "falls back to the default URL", cfg: WebhookConfig{DefaultURL: hook.URL}, wantRequests: 1},
		{name: "recipient URL wins over default", cfg: WebhookConfig{DefaultURL: "http://127.0.0.1:1/never"}, url: hook.URL, wantRequests: 1},
		{name: "no URL: not applicable", wantErr: ErrNotApplicable},
		{name: "bad scheme: permanent", url: "ftp://127.0.0.1/x?key=topsecret", wantErr: ErrPermanent, wantNotInText: "topsecret"},
		{name: "garbage: permanent", url: "::not a url", wantErr: ErrPermanent},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(hook.requests())
			tc.cfg.Secret = testSecret
			tc.cfg.InitialBackoff = time.Millisecond
			tc.cfg.Targets = loopback
			n := testNotification()
			n.WebhookURL = tc.url
			err := NewWebhook(tc.cfg, nil).Send(t.Context(), n)
			if tc.wantErr == nil {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorIs(t, err, ErrPermanent)
			}
			if tc.wantNotInText != "" {
				require.NotContains(t, err.Error(), tc.wantNotInText)
			}
			require.Equal(t, tc.wantRequests, len(hook.requests())-before)
		})
	}
}

func TestWebhookNetworkErrorRetriedAndRedacted(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	n := testNotification()
	n.WebhookURL = "http://" + addr + "/cgi-bin/webhook/send?key=topsecret"
	err = fastWebhook(func(c *WebhookConfig) { c.MaxAttempts = 3 }).Send(t.Context(), n)
	require.Error(t, err)
	require.False(t, errors.Is(err, ErrPermanent), "%v", err)
	require.Contains(t, err.Error(), "3 attempt(s)")
	require.NotContains(t, err.Error(), "topsecret")
}

func TestWebhookUnsignedWithoutSecret(t *testing.T) {
	hook := startHook(t, 200)
	n := testNotification()
	n.WebhookURL = hook.URL
	require.NoError(t, NewWebhook(WebhookConfig{Targets: loopback}, nil).Send(t.Context(), n))
	reqs := hook.requests()
	require.Len(t, reqs, 1)
	require.Empty(t, reqs[0].Header.Get(HeaderSignature))
	require.NotEmpty(t, reqs[0].Header.Get(HeaderTimestamp))
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{now.Add(30 * time.Second).Format(http.TimeFormat), 30 * time.Second, true},
		{now.Add(-30 * time.Second).Format(http.TimeFormat), 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := retryAfter(tc.in, now)
			require.Equal(t, tc.wantOK, ok)
			require.Equal(t, tc.want, got)
		})
	}
}
