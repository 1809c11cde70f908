package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiLoad walks cases through the API and records every call.
type apiLoad struct {
	base   string
	tokens map[string]string
	client *http.Client
	// run makes this run's Idempotency-Keys unique.
	run string
	rec *recorder
}

// lifecycle walks case n from registration to closure and reports whether
// it got there; it stops at the first refused call, whose status it records.
func (l *apiLoad) lifecycle(ctx context.Context, n int) bool {
	var id string
	for i, c := range lifecycle(n, time.Now()) {
		path, want := "/api/v1/complaints", http.StatusCreated
		if c.step != Register {
			path, want = "/api/v1/complaints/"+id+"/"+c.step, http.StatusOK
		}
		key := fmt.Sprintf("loadgen-%s-%d-%d", l.run, n, i)
		started := time.Now()
		status, raw, err := l.post(ctx, path, l.tokens[Key(c.department, c.role)], key, c.body)
		elapsed := time.Since(started)
		switch {
		case err != nil:
			l.rec.failed(c.step, "transport")
			return false
		case status != want:
			l.rec.failed(c.step, strconv.Itoa(status))
			return false
		}
		l.rec.ok(c.step, elapsed)
		if c.step == Register {
			var created struct{ ID string }
			if err := json.Unmarshal(raw, &created); err != nil || created.ID == "" {
				l.rec.failed(c.step, "no case id")
				return false
			}
			id = created.ID
		}
	}
	return true
}

func (l *apiLoad) post(ctx context.Context, path, token, key string, body any) (int, []byte, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return 0, nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(l.base, "/")+path, bytes.NewReader(raw))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Idempotency-Key", key)
	resp, err := l.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	return resp.StatusCode, answer, err
}
