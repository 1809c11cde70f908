package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// The deadline cases belong to a customer of their own under a policy of
// their own, so their clocks are loadgen's alone.
const (
	deadlinePolicy   = "loadgen-deadlines"
	deadlineCustomer = "C-LOADGEN-DEADLINES"
	deadlineTarget   = 24 * time.Hour
	// escalationWait bounds the wait for the escalations once they are due.
	escalationWait = 10 * time.Minute
)

// The deadline calls, as the report names them.
const (
	DeadlineRegister = "deadline register"
	DeadlineWithdraw = "deadline withdraw"
)

// Deadlines is how late the response deadlines of many cases, all due at
// one instant or spread over Spread after it, were escalated: by the
// workflow's clock when its timer fired (the notification's created_at)
// less the deadline (its due_at).
type Deadlines struct {
	Cases     int       `json:"cases"`
	DueAt     time.Time `json:"due_at"`
	Spread    float64   `json:"spread_seconds,omitempty"`
	Escalated int       `json:"escalated"`
	Lateness  OpStats   `json:"lateness"`
	Register  OpStats   `json:"register"`
	Withdraw  OpStats   `json:"withdraw"`
	// With Bare, as many bare timers due at one later instant, and the
	// ratio of the cases' lateness p99 to theirs.
	BareDueAt    time.Time `json:"bare_due_at,omitzero"`
	BareLateness *OpStats  `json:"bare_lateness,omitempty"`
	P99ToBare    float64   `json:"lateness_p99_to_bare_p99,omitempty"`
}

// deadlineLead is how far ahead the deadline lies when cfg does not say:
// time to register every case at ten or so per second on a busy machine.
func deadlineLead(cfg Config) time.Duration {
	if cfg.DeadlineLead > 0 {
		return cfg.DeadlineLead
	}
	return 30*time.Second + time.Duration(cfg.Deadlines)*120*time.Millisecond
}

// runDeadlines registers cfg.Deadlines cases whose response deadlines fall
// at one instant, waits for their escalations, reads them from the API as an
// after-sales supervisor and withdraws the cases again.
func runDeadlines(ctx context.Context, cfg Config, api *apiLoad) (Deadlines, error) {
	supervisor := cfg.Tokens[Key("after_sales", "supervisor")]
	agent := cfg.Tokens[Key("after_sales", "agent")]
	if err := api.put(ctx, supervisor, "/api/v1/sla-policies/"+deadlinePolicy, map[string]any{
		"response": deadlineTarget.String(), "onsite": "48h", "resolution": "72h",
		"warning_points": []float64{0.999},
		"escalation": []map[string]any{{"level": 1, "after": "0s",
			"recipients": []map[string]any{{"role": "supervisor", "department": "after_sales"}}}},
	}); err != nil {
		return Deadlines{}, err
	}
	if err := api.put(ctx, supervisor, "/api/v1/customers/"+deadlineCustomer,
		map[string]any{"name": "Load Generator Deadlines", "sla_policy": deadlinePolicy}); err != nil {
		return Deadlines{}, err
	}

	due := time.Now().Add(deadlineLead(cfg)).Truncate(time.Second).UTC()
	report := Deadlines{Cases: cfg.Deadlines, DueAt: due, Spread: cfg.DeadlineSpread.Seconds()}
	ids := make([]string, cfg.Deadlines)
	registered := phase(pace(ctx, cfg.Deadlines, 0, cfg.Rate), cfg.Concurrency, func(n int) bool {
		body := lifecycle(n, time.Now())[0].body
		body["customer_id"], body["category"] = deadlineCustomer, "non_quality"
		body["received_at"] = cfg.dueAt(due, n).Add(-deadlineTarget).Format(time.RFC3339Nano)
		ids[n] = api.register(ctx, DeadlineRegister, agent, fmt.Sprintf("loadgen-%s-deadline-%d", api.run, n), body)
		return ids[n] != ""
	})
	report.Register = api.rec.stats(DeadlineRegister, registered.elapsed())
	cfg.progress("%d cases registered with response deadlines at %s", registered.Completed, due.Format(time.RFC3339))
	var err error
	if time.Now().After(due) { // the first deadline
		// The cases are withdrawn all the same.
		err = fmt.Errorf("registering %d cases outlasted their deadline: give them a longer lead", cfg.Deadlines)
	} else {
		var lateness []time.Duration
		lateness, err = awaitEscalations(ctx, api, supervisor, due, cfg.DeadlineSpread, nonEmpty(ids))
		report.Escalated = len(lateness)
		report.Lateness = summarise("response deadline lateness", lateness, 0)
		cfg.progress("%d of %d escalations read", report.Escalated, registered.Completed)
	}

	withdrawn := api.withdrawAll(ctx, cfg, DeadlineWithdraw, agent, "deadline", ids)
	report.Withdraw = api.rec.stats(DeadlineWithdraw, withdrawn.elapsed())
	return report, err
}

// awaitEscalations waits for the first deadline, then reads the escalations
// since it every two seconds until every case has its first, or
// escalationWait has passed since the last deadline, and answers how late
// each case's first was.
func awaitEscalations(ctx context.Context, api *apiLoad, token string, due time.Time, spread time.Duration, ids []string) ([]time.Duration, error) {
	ours := map[string]bool{}
	for _, id := range ids {
		ours[id] = true
	}
	late := map[string]time.Duration{}
	giveUp := time.NewTimer(time.Until(due.Add(spread + escalationWait)))
	defer giveUp.Stop()
	poll := time.NewTimer(time.Until(due))
	defer poll.Stop()
	for len(late) < len(ids) {
		select {
		case <-ctx.Done():
			return durations(late), ctx.Err()
		case <-giveUp.C:
			return durations(late), fmt.Errorf("%d of %d cases escalated within %s of their deadline", len(late), len(ids), escalationWait)
		case <-poll.C:
		}
		if err := api.readEscalations(ctx, token, due, ours, late); err != nil {
			return durations(late), err
		}
		poll.Reset(2 * time.Second)
	}
	return durations(late), nil
}

// readEscalations pages through the response escalations recorded since due
// and notes the lateness of the first of each of our cases.
func (l *apiLoad) readEscalations(ctx context.Context, token string, due time.Time, ours map[string]bool, late map[string]time.Duration) error {
	cursor := ""
	for {
		q := url.Values{"kind": {"escalation"}, "since": {due.Format(time.RFC3339)}, "limit": {"200"}}
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		status, raw, err := l.do(ctx, http.MethodGet, "/api/v1/notifications?"+q.Encode(), token, "", nil)
		if err != nil {
			return err
		}
		if status != http.StatusOK {
			return fmt.Errorf("GET /api/v1/notifications: %d", status)
		}
		var page struct {
			Notifications []struct {
				ComplaintID string    `json:"complaint_id"`
				Clock       string    `json:"clock"`
				Level       int       `json:"level"`
				DueAt       time.Time `json:"due_at"`
				CreatedAt   time.Time `json:"created_at"`
			} `json:"notifications"`
			NextCursor string `json:"next_cursor"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return err
		}
		for _, n := range page.Notifications {
			// One escalation per recipient: the first written counts.
			if d, seen := late[n.ComplaintID]; ours[n.ComplaintID] && n.Clock == "response" && n.Level == 1 &&
				(!seen || n.CreatedAt.Sub(n.DueAt) < d) {
				late[n.ComplaintID] = n.CreatedAt.Sub(n.DueAt)
			}
		}
		if cursor = page.NextCursor; cursor == "" {
			return nil
		}
	}
}

// put stores a setting and expects 200.
func (l *apiLoad) put(ctx context.Context, token, path string, body any) error {
	status, _, err := l.do(ctx, http.MethodPut, path, token, "", body)
	if err != nil {
		return fmt.Errorf("PUT %s: %w", path, err)
	}
	if status != http.StatusOK {
		return fmt.Errorf("PUT %s: %s", path, strconv.Itoa(status))
	}
	return nil
}

func durations(m map[string]time.Duration) []time.Duration {
	out := make([]time.Duration, 0, len(m))
	for _, d := range m {
		out = append(out, d)
	}
	return out
}
