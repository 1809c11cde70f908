//go:build fault

package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// faultAnswer is one HTTP attempt as the client saw it.
type faultAnswer struct {
	op     string // "register" or the step
	key    string
	status int // 0: no answer (refused, reset, timed out)
}

// faultLedger keeps every answer of every client.
type faultLedger struct {
	mu      sync.Mutex
	answers []faultAnswer
}

func (l *faultLedger) add(a faultAnswer) {
	l.mu.Lock()
	l.answers = append(l.answers, a)
	l.mu.Unlock()
}

// byKey returns the statuses one key was answered with, in order.
func (l *faultLedger) byKey() map[string][]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string][]int{}
	for _, a := range l.answers {
		out[a.key] = append(out[a.key], a.status)
	}
	return out
}

// byStatus counts the answers by status ("none" for no answer).
func (l *faultLedger) byStatus() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int{}
	for _, a := range l.answers {
		s := "none"
		if a.status != 0 {
			s = strconv.Itoa(a.status)
		}
		out[s]++
	}
	return out
}

// carefulClient sends each request with an Idempotency-Key and repeats it,
// with the same key and body, after a 5xx, a timeout or a lost connection,
// honouring Retry-After, until it gets an answer that is the server's
// verdict (2xx or 4xx) or its patience runs out.
type carefulClient struct {
	base     string
	http     *http.Client
	ledger   *faultLedger
	patience time.Duration
	// slots bound the requests in flight, each with its retries.
	slots chan struct{}
	rng   *rand.Rand
	rngMu sync.Mutex
}

func newCarefulClient(base string, l *faultLedger, seed uint64, concurrency int) *carefulClient {
	return &carefulClient{base: base, ledger: l, patience: 3 * time.Minute, slots: make(chan struct{}, concurrency),
		// Longer than the API's own 30 s wait for a workflow.
		http: &http.Client{Timeout: 40 * time.Second},
		rng:  rand.New(rand.NewPCG(seed, seed+1))}
}

func (c *carefulClient) jitter(d time.Duration) time.Duration {
	c.rngMu.Lock()
	defer c.rngMu.Unlock()
	return d/2 + time.Duration(c.rng.Int64N(int64(d)))
}

// call returns the last status (0 if the server never answered) and body.
func (c *carefulClient) call(ctx context.Context, token, op, path, key string, body any) (int, map[string]any) {
	c.slots <- struct{}{}
	defer func() { <-c.slots }()
	raw, _ := json.Marshal(body)
	give := time.Now().Add(c.patience)
	backoff := 500 * time.Millisecond
	for {
		status, out, retryAfter := c.once(ctx, token, path, key, raw)
		c.ledger.add(faultAnswer{op: op, key: key, status: status})
		if (status >= 200 && status < 500) || time.Now().After(give) || ctx.Err() != nil {
			return status, out
		}
		wait := c.jitter(backoff)
		if retryAfter > 0 {
			wait = min(retryAfter, 5*time.Second)
		}
		backoff = min(2*backoff, 4*time.Second)
		select {
		case <-ctx.Done():
			return status, out
		case <-time.After(wait):
		}
	}
}

func (c *carefulClient) once(ctx context.Context, token, path, key string, raw []byte) (int, map[string]any, time.Duration) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, 0
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, 0 // cut mid-answer: no verdict
	}
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	retryAfter, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
	return resp.StatusCode, out, time.Duration(retryAfter) * time.Second
}

// faultPlannedStep is one step of a case as its client sends it. The key is also
// written into a text field of the body, so the timeline shows which keyed
// request was applied.
type faultPlannedStep struct {
	name, department, role string
	body                   func(marker string) map[string]any
}

// faultStraightThrough walks a minor case from registration to closed.
var faultStraightThrough = []faultPlannedStep{
	{"contact", "after_sales", "agent", func(m string) map[string]any { return note(m) }},
	{"confirm", "after_sales", "agent", func(m string) map[string]any {
		return map[string]any{"note": m, "order_number": "SO-2026-0042"}
	}},
	{"analysis", "production", "agent", func(m string) map[string]any {
		return map[string]any{"root_cause": m, "responsible_department": "production", "liability": "company"}
	}},
	{"agreement", "after_sales", "agent", func(m string) map[string]any {
		return map[string]any{"type": "credit", "description": m}
	}},
	{"progress", "technical", "engineer", func(m string) map[string]any { return note(m) }},
	{"corrective-actions", "quality", "agent", func(m string) map[string]any {
		return map[string]any{"action": m, "owner_department": "quality",
			"due_date": time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}
	}},
	{"resolve", "after_sales", "agent", func(m string) map[string]any { return note(m) }},
	{"close", "after_sales", "agent", func(m string) map[string]any {
		return map[string]any{"customer_confirmed": true, "satisfaction": 4, "note": m}
	}},
}

// faultCase is one case as its client drove it.
type faultCase struct {
	label      string
	fast       bool // under the policy of seconds, left to its clocks
	regKey     string
	receivedAt time.Time
	regStatus  int
	id         string
	steps      []faultSentStep
}

type faultSentStep struct {
	name, key string
	status    int // final
}

// drive registers the case and walks its steps. A fast case is contacted
// once every response-clock event is due, so its deadlines are met by
// steps and kills alike while its resolution clock runs on.
func (fc *faultCase) drive(ctx context.Context, c *carefulClient, tokens map[string]string) {
	body := validComplaint()
	body["category"], body["severity"] = "non_quality", "minor"
	body["received_at"] = fc.receivedAt.Format(time.RFC3339Nano)
	if fc.fast {
		body["customer_id"] = faultCustomer
	}
	status, got := c.call(ctx, tokens["after_sales/agent"], "register", "/api/v1/complaints", fc.regKey, body)
	fc.regStatus = status
	if status != http.StatusCreated {
		return
	}
	fc.id, _ = got["id"].(string)
	plan := faultStraightThrough
	if fc.fast {
		plan = plan[:1]
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(fc.receivedAt.Add(faultResponseDone))):
		}
	}
	for i, s := range plan {
		key := fmt.Sprintf("%s-%d-%s", fc.label, i, s.name)
		status, _ := c.call(ctx, tokens[s.department+"/"+s.role], s.name, "/api/v1/complaints/"+fc.id+"/"+s.name, key, s.body(key))
		fc.steps = append(fc.steps, faultSentStep{name: s.name, key: key, status: status})
		if status != http.StatusOK {
			return // the case cannot go on; the checks judge it
		}
	}
}
