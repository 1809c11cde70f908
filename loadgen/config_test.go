package loadgen

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func validConfig() Config {
	tokens := map[string]string{}
	for _, k := range lifecycleUsers() {
		tokens[k] = "token-" + k
	}
	return Config{APIURL: "http://127.0.0.1:8080", Tokens: tokens, Concurrency: 4, Count: 10,
		Bare: true, TemporalAddress: "127.0.0.1:7233", Namespace: "caseflow"}
}

func TestConfigCheck(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*Config)
		problem string // "" when the config is accepted
	}{
		{"valid", func(*Config) {}, ""},
		{"localhost and IPv6 loopback", func(c *Config) { c.APIURL = "http://localhost:1"; c.TemporalAddress = "[::1]:7233" }, ""},
		{"duration alone", func(c *Config) { c.Count = 0; c.Duration = time.Minute }, ""},
		{"unbounded", func(c *Config) { c.Count = 0 }, "set a count, a duration or both"},
		{"count over the bound", func(c *Config) { c.Count = MaxCount + 1 }, "count 100001 is over 100000"},
		{"duration over the bound", func(c *Config) { c.Duration = 2 * time.Hour }, "duration 2h0m0s is over 1h0m0s"},
		{"no concurrency", func(c *Config) { c.Concurrency = 0 }, "concurrency 0"},
		{"negative rate", func(c *Config) { c.Rate = -1 }, "rate -1 is negative"},
		{"a long settle", func(c *Config) { c.Settle = 2 * time.Minute }, "settle 2m0s: want up to 1m"},
		{"a missing user", func(c *Config) { delete(c.Tokens, Key("production", "approver")) }, "no token for production/approver"},
		{"remote API", func(c *Config) { c.APIURL = "http://10.0.0.1:8080" }, "is not on loopback"},
		{"remote Temporal", func(c *Config) { c.TemporalAddress = "temporal.example.com:7233" }, "is not on loopback"},
		{"remote allowed", func(c *Config) { c.APIURL = "https://caseflow.example.com"; c.AllowRemote = true }, ""},
		{"remote Temporal without --bare is not dialled", func(c *Config) { c.Bare = false; c.TemporalAddress = "x:1" }, ""},
		{"not a URL", func(c *Config) { c.APIURL = "127.0.0.1:8080" }, "want http(s)://host:port"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := validConfig()
			tc.change(&c)
			err := c.Check()
			if tc.problem == "" {
				require.NoError(t, err)
				return
			}
			require.ErrorContains(t, err, tc.problem)
		})
	}
}

func TestLifecycleUsersAndSteps(t *testing.T) {
	require.Equal(t, []string{Register, "contact", "confirm", "analysis", "proposals", "agreement", "approvals",
		"progress", "resolve", "close"}, Steps())
	require.ElementsMatch(t, []string{"after_sales/agent", "technical/agent", "production/agent",
		"quality/approver", "production/approver", "technical/engineer"}, lifecycleUsers())
}

func TestDeadlinesSpreadEvenly(t *testing.T) {
	first := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name   string
		cfg    Config
		n      int
		wantAt time.Duration
	}{
		{"one instant", Config{Deadlines: 1000}, 999, 0},
		{"spread: the first", Config{Deadlines: 1000, DeadlineSpread: time.Minute}, 0, 0},
		{"spread: the last at the end", Config{Deadlines: 1000, DeadlineSpread: time.Minute}, 999, time.Minute},
		{"spread: the middle", Config{Deadlines: 5, DeadlineSpread: time.Minute}, 2, 30 * time.Second},
		{"a single deadline", Config{Deadlines: 1, DeadlineSpread: time.Minute}, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, first.Add(tt.wantAt), tt.cfg.dueAt(first, tt.n))
		})
	}
}
