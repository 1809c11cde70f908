package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/caseflow/caseflow/complaint"
	"github.com/cenkalti/backoff/v5"
)

// Webhook request headers.
const (
	HeaderSignature = "X-Caseflow-Signature" // "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body))
	HeaderTimestamp = "X-Caseflow-Timestamp" // unix seconds of this attempt
	HeaderDelivery  = "X-Caseflow-Delivery"  // the notification ID, stable across retries
)

// WebhookConfig configures the webhook channel.
type WebhookConfig struct {
	// Secret is the shared HMAC key. When empty, requests are sent unsigned
	// (no X-Caseflow-Signature header).
	Secret string
	// DefaultURL is used when the notification has no WebhookURL. When both
	// are empty the channel does not apply (ErrNotApplicable).
	DefaultURL string
	// Timeout bounds one attempt; default 10s.
	Timeout time.Duration
	// MaxAttempts is the number of attempts within one Send; default 4.
	MaxAttempts int
	// InitialBackoff is the wait after the first failed attempt; it doubles
	// (with ±20% jitter) up to 8×InitialBackoff. Default 200ms, giving
	// 200ms, 400ms, 800ms for 4 attempts.
	InitialBackoff time.Duration
	// MaxRetryAfter caps how long a Retry-After header (429/503) is honoured
	// within Send; default 5s. A longer Retry-After ends Send with a
	// transient error so the caller's (Temporal's) retry policy takes over.
	MaxRetryAfter time.Duration
	// Targets says which URLs and addresses Send may call; the zero value
	// allows https to public addresses only.
	Targets WebhookTargets
}

// Webhook POSTs a notification as JSON to n.WebhookURL (or the configured
// DefaultURL), signed with HMAC-SHA256.
//
// Body:
//
//	{
//	  "text": "<one-line message>",          // Slack/Mattermost/Rocket.Chat style
//	  "msgtype": "text",                      // WeCom/DingTalk style type marker
//	  "msg_type": "text",                     // Feishu/Lark style type marker
//	  "content": {"text": "<one-line message>"},
//	  "notification": { …Notification… }
//	}
//
// Headers: Content-Type application/json, X-Caseflow-Delivery and
// Idempotency-Key (both n.ID, for de-duplication), X-Caseflow-Timestamp
// (unix seconds, fresh per attempt), X-Caseflow-Signature (see
// VerifySignature).
//
// Within one Send, network errors, 408, 429 and 5xx are retried with
// exponential backoff (github.com/cenkalti/backoff/v5), honouring ctx and
// Retry-After; when the attempts run out the error is transient. 2xx is
// delivered; any other status (3xx, 4xx) is permanent (ErrPermanent).
// Webhook is safe for concurrent use.
type Webhook struct {
	cfg    WebhookConfig
	client *http.Client
}

// NewWebhook returns the channel. client may be nil: then a client that does
// not follow redirects is used (a redirect turns a POST into a GET, which
// would look delivered without being delivered; a 3xx answer is permanent)
// and dials only addresses cfg.Targets allows. A given client dials as it
// is; Send still checks the URL.
func NewWebhook(cfg WebhookConfig, client *http.Client) *Webhook {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 4
	}
	if cfg.InitialBackoff <= 0 {
		cfg.InitialBackoff = 200 * time.Millisecond
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 5 * time.Second
	}
	if client == nil {
		client = &http.Client{
			Transport:     cfg.Targets.transport(),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	return &Webhook{cfg: cfg, client: client}
}

// Name implements Channel.
func (w *Webhook) Name() string { return "webhook" }

// WebhookPayload is the JSON body the Webhook channel posts.
type WebhookPayload struct {
	Text         string                 `json:"text"`
	MsgType      string                 `json:"msgtype"`
	MsgTypeLark  string                 `json:"msg_type"`
	Content      WebhookContent         `json:"content"`
	Notification complaint.Notification `json:"notification"`
}

// WebhookContent is the "content" object of WebhookPayload.
type WebhookContent struct {
	Text string `json:"text"`
}

// StatusError is a non-2xx answer of a webhook receiver.
type StatusError struct {
	StatusCode int
	Body       string // the first 512 bytes of the answer
}

func (e *StatusError) Error() string {
	msg := "HTTP " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode)
	if b := oneLine(e.Body); b != "" {
		msg += ": " + b
	}
	return msg
}

// Sign returns the X-Caseflow-Signature value for timestamp and body.
func Sign(secret, timestamp string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(timestamp))
	mac.Write([]byte{'.'})
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks an X-Caseflow-Signature header value the way a
// receiver should: HMAC-SHA256 over timestamp + "." + body, compared in
// constant time. Receivers should also reject timestamps too far from their
// clock (e.g. more than 5 minutes) to limit replays, and de-duplicate by
// X-Caseflow-Delivery.
func VerifySignature(secret string, timestamp string, body []byte, signature string) bool {
	got, ok := strings.CutPrefix(strings.TrimSpace(signature), "sha256=")
	if !ok || timestamp == "" {
		return false
	}
	gotMAC, err := hex.DecodeString(got)
	if err != nil {
		return false
	}
	want, _ := hex.DecodeString(strings.TrimPrefix(Sign(secret, timestamp, body), "sha256="))
	return hmac.Equal(gotMAC, want)
}

// Send implements Channel.
func (w *Webhook) Send(ctx context.Context, n complaint.Notification) error {
	raw := n.WebhookURL
	if raw == "" {
		raw = w.cfg.DefaultURL
	}
	if raw == "" {
		return fmt.Errorf("notify: webhook: notification %s: recipient %q has no webhook URL and no default is configured: %w", n.ID, n.Recipient, ErrNotApplicable)
	}
	// Checked again here: the URL may predate the rules, or the rules changed.
	if err := w.cfg.Targets.CheckURL(raw); err != nil {
		return fmt.Errorf("notify: webhook: notification %s: webhook URL %s: %w: %w", n.ID, redactURLString(raw), err, ErrPermanent)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("notify: webhook: notification %s: unparsable webhook URL: %w", n.ID, ErrPermanent)
	}
	where := redactURL(u)

	line := Summary(n)
	body, err := json.Marshal(WebhookPayload{
		Text:         line,
		MsgType:      "text",
		MsgTypeLark:  "text",
		Content:      WebhookContent{Text: line},
		Notification: n,
	})
	if err != nil {
		return fmt.Errorf("notify: webhook: notification %s: encode: %v: %w", n.ID, err, ErrPermanent)
	}

	attempts := 0
	var lastErr error
	op := func() (struct{}, error) {
		attempts++
		err := w.attempt(ctx, u.String(), n.ID, body)
		lastErr = err
		return struct{}{}, err
	}
	b := &backoff.ExponentialBackOff{
		InitialInterval:     w.cfg.InitialBackoff,
		RandomizationFactor: 0.2,
		Multiplier:          2,
		MaxInterval:         8 * w.cfg.InitialBackoff,
	}
	_, err = backoff.Retry(ctx, op,
		backoff.WithBackOff(b),
		backoff.WithMaxTries(uint(w.cfg.MaxAttempts)),
		backoff.WithMaxElapsedTime(0),
	)
	if err == nil {
		return nil
	}
	if cerr := context.Cause(ctx); cerr != nil && lastErr != nil && errors.Is(err, cerr) && !errors.Is(lastErr, cerr) {
		// backoff returns only ctx's cause when ctx ends between attempts;
		// keep what the receiver said.
		err = fmt.Errorf("%w (last attempt: %w)", err, lastErr)
	}
	return fmt.Errorf("notify: webhook: notification %s to %s: %d attempt(s): %w", n.ID, where, attempts, err)
}

// attempt makes one POST. It returns nil on 2xx, a backoff.Permanent error to
// stop the in-call retries (wrapping ErrPermanent when the failure is
// permanent for the caller too), or a plain error to retry.
func (w *Webhook) attempt(ctx context.Context, target, id string, body []byte) error {
	actx, cancel := context.WithTimeout(ctx, w.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return backoff.Permanent(fmt.Errorf("%v: %w", err, ErrPermanent))
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "caseflow-notify/1")
	req.Header.Set(HeaderDelivery, id)
	req.Header.Set("Idempotency-Key", id)
	req.Header.Set(HeaderTimestamp, ts)
	if w.cfg.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(w.cfg.Secret, ts, body))
	}

	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			ue.URL = redactURLString(ue.URL) // webhook URLs often carry a key in the query
		}
		if ctx.Err() != nil {
			return backoff.Permanent(err) // the caller gave up; not ErrPermanent
		}
		if errors.Is(err, ErrForbiddenDestination) {
			return backoff.Permanent(fmt.Errorf("%w: %w", err, ErrPermanent))
		}
		return err
	}
	defer resp.Body.Close()
	snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused

	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	serr := &StatusError{StatusCode: code, Body: string(snippet)}
	if code != http.StatusRequestTimeout && code != http.StatusTooManyRequests && code < 500 {
		return backoff.Permanent(fmt.Errorf("%w: %w", serr, ErrPermanent))
	}
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
		if d > w.cfg.MaxRetryAfter {
			// Too long to wait inside one call; transient for the caller.
			return backoff.Permanent(fmt.Errorf("%w (retry after %s)", serr, d.Round(time.Second)))
		}
		return fmt.Errorf("%w (%w)", serr, &backoff.RetryAfterError{Duration: d})
	}
	return serr
}

// retryAfter parses a Retry-After header (delay-seconds or HTTP-date).
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// redactURL drops user info, query and fragment, which often hold secrets.
func redactURL(u *url.URL) string {
	r := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	s := r.String()
	if u.RawQuery != "" {
		s += "?…"
	}
	return s
}

func redactURLString(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return redactURL(u)
}
