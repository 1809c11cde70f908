// Package loadgen drives a caseflow API with full complaint lifecycles and,
// on request, the bare Temporal calls under them against the same server,
// and reports latencies, throughput, errors and their ratios.
package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"time"

	"go.temporal.io/sdk/client"

	"github.com/caseflow/caseflow/accounts"
)

// Bounds of one run: a load tool must not run away.
const (
	MaxCount    = 100000
	MaxDuration = time.Hour
)

// Config is one run.
type Config struct {
	// APIURL is the caseflow API's base URL, e.g. http://127.0.0.1:8080.
	APIURL string
	// Tokens are bearer tokens keyed by "department/role" (see Key).
	Tokens map[string]string
	// Concurrency is the number of lifecycles in flight at once.
	Concurrency int
	// Rate starts at most this many lifecycles per second; 0 means as fast
	// as Concurrency allows.
	Rate float64
	// Count and Duration bound the run; at least one is set, and the run
	// ends at whichever comes first.
	Count    int
	Duration time.Duration
	// Bare runs the bare Temporal counterparts against TemporalAddress and
	// Namespace after the lifecycles (and after the deadlines, bare timers).
	Bare            bool
	TemporalAddress string
	Namespace       string
	// Dial, when set, connects the bare client to TemporalAddress and
	// Namespace (caseflow passes its own dial, with the TLS and API key
	// it is configured with); nil dials them in plain text.
	Dial func(ctx context.Context) (client.Client, error)
	// Deadlines, when above 0, registers that many more cases whose
	// response deadlines fall at one instant DeadlineLead ahead (0: 30 s and
	// 120 ms a case) and measures how late they are escalated.
	Deadlines    int
	DeadlineLead time.Duration
	// DeadlineSpread, when above 0, spreads the deadlines (and the bare
	// timers) evenly over this long after the first instead.
	DeadlineSpread time.Duration
	// Settle is the pause before each phase after the first, so that what
	// the last one left running (the cases' coalesced store writes, their
	// deliveries) does not weigh on the next.
	Settle time.Duration
	// AllowRemote permits API and Temporal addresses off loopback.
	AllowRemote bool
	// Progress, when set, hears when each phase ends.
	Progress io.Writer
}

// dueAt is when the nth of the deadlines falls, the first at first.
func (c Config) dueAt(first time.Time, n int) time.Time {
	if c.DeadlineSpread <= 0 || c.Deadlines <= 1 {
		return first
	}
	return first.Add(c.DeadlineSpread * time.Duration(n) / time.Duration(c.Deadlines-1))
}

// settle waits Settle, or until ctx ends.
func (c Config) settle(ctx context.Context) {
	if c.Settle <= 0 {
		return
	}
	t := time.NewTimer(c.Settle)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

func (c Config) progress(format string, args ...any) {
	if c.Progress != nil {
		fmt.Fprintf(c.Progress, "loadgen: "+format+"\n", args...)
	}
}

// Key is how Tokens names a department's role.
func Key(department, role string) string { return department + "/" + role }

// TokensFromDemoUsers keys the demo users' tokens for Config.Tokens; a user
// with one role only, as `caseflow dev` seeds them.
func TokensFromDemoUsers(users []accounts.DemoUser) map[string]string {
	tokens := map[string]string{}
	for _, u := range users {
		if len(u.Roles) == 1 {
			tokens[Key(u.Department, u.Roles[0])] = u.Token
		}
	}
	return tokens
}

// ReadDevUsers reads the dev-users.json that `caseflow dev` writes in its
// data dir.
func ReadDevUsers(path string) (map[string]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var users []accounts.DemoUser
	if err := json.Unmarshal(raw, &users); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return TokensFromDemoUsers(users), nil
}

// Check refuses a run that is unbounded, too large, lacks a user the
// lifecycle needs or leaves loopback without AllowRemote.
func (c Config) Check() error {
	var errs []error
	if c.Count <= 0 && c.Duration <= 0 {
		errs = append(errs, errors.New("set a count, a duration or both"))
	}
	if c.Count > MaxCount {
		errs = append(errs, fmt.Errorf("count %d is over %d", c.Count, MaxCount))
	}
	if c.Duration > MaxDuration {
		errs = append(errs, fmt.Errorf("duration %s is over %s", c.Duration, MaxDuration))
	}
	if c.Concurrency < 1 || c.Concurrency > 1000 {
		errs = append(errs, fmt.Errorf("concurrency %d: want 1 to 1000", c.Concurrency))
	}
	if c.Rate < 0 {
		errs = append(errs, fmt.Errorf("rate %g is negative", c.Rate))
	}
	if c.Deadlines < 0 || c.Deadlines > MaxCount {
		errs = append(errs, fmt.Errorf("deadlines %d: want 0 to %d", c.Deadlines, MaxCount))
	}
	if c.DeadlineLead < 0 || c.DeadlineLead > MaxDuration {
		errs = append(errs, fmt.Errorf("deadline lead %s: want up to %s", c.DeadlineLead, MaxDuration))
	}
	if c.Settle < 0 || c.Settle > time.Minute {
		errs = append(errs, fmt.Errorf("settle %s: want up to 1m", c.Settle))
	}
	if c.DeadlineSpread < 0 || c.DeadlineSpread > MaxDuration {
		errs = append(errs, fmt.Errorf("deadline spread %s: want up to %s", c.DeadlineSpread, MaxDuration))
	}
	users := lifecycleUsers()
	if c.Deadlines > 0 {
		users = append(users, Key("after_sales", "supervisor"))
	}
	for _, k := range users {
		if c.Tokens[k] == "" {
			errs = append(errs, fmt.Errorf("no token for %s", k))
		}
	}
	u, err := url.Parse(c.APIURL)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		errs = append(errs, fmt.Errorf("API URL %q: want http(s)://host:port", c.APIURL))
	case !c.AllowRemote && !loopback(u.Hostname()):
		errs = append(errs, fmt.Errorf("API URL %q is not on loopback (allow it explicitly)", c.APIURL))
	}
	if c.Bare {
		host, _, err := net.SplitHostPort(c.TemporalAddress)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("Temporal address %q: want host:port", c.TemporalAddress))
		case !c.AllowRemote && !loopback(host):
			errs = append(errs, fmt.Errorf("Temporal address %q is not on loopback (allow it explicitly)", c.TemporalAddress))
		}
		if c.Namespace == "" {
			errs = append(errs, errors.New("no Temporal namespace"))
		}
	}
	return errors.Join(errs...)
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
