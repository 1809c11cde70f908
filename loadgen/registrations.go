package loadgen

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"time"
)

// The calls of the registration phases, as the report names them. A
// lifecycle's registration runs at the pace of the eleven steps behind it,
// so its throughput is the lifecycles'; registrations alone, set against
// bare update-with-starts alone at the same concurrency, measure
// registration itself.
const (
	RegisterAlone = "register alone"
	BareUWSAlone  = "bare uws alone"
	// registerWithdraw withdraws the cases registered alone, untimed; only
	// its failures are reported.
	registerWithdraw = "register alone: withdraw"
)

// registrationsAlone registers n cases, concurrency at a time, and then
// withdraws them, untimed.
func (l *apiLoad) registrationsAlone(ctx context.Context, cfg Config, n int) OpStats {
	agent := cfg.Tokens[Key("after_sales", "agent")]
	ids := make([]string, n)
	registered := phase(pace(ctx, n, 0, cfg.Rate), cfg.Concurrency, func(i int) bool {
		ids[i] = l.register(ctx, RegisterAlone, agent, fmt.Sprintf("loadgen-%s-alone-%d", l.run, i), lifecycle(i, time.Now())[0].body)
		return ids[i] != ""
	})
	l.withdrawAll(ctx, cfg, registerWithdraw, agent, "alone", ids)
	stats := l.rec.stats(RegisterAlone, registered.elapsed())
	if w := l.rec.stats(registerWithdraw, 0); len(w.Errors) > 0 {
		stats.Errors = mergeCounts(stats.Errors, w.Errors, "withdraw ")
	}
	return stats
}

// uwsAlone runs n bare update-with-starts, concurrency at a time, and then
// ends their workflows, untimed.
func (b *bareLoad) uwsAlone(ctx context.Context, cfg Config, n int) OpStats {
	uws := b.startThenClose(ctx, cfg, n, BareUWSAlone, func(ctx context.Context, i int) string {
		id := fmt.Sprintf("loadgen-bare-alone-%s-%d", b.run, i)
		if !b.updateWithStart(ctx, BareUWSAlone, id) {
			return ""
		}
		return id
	})
	return b.rec.stats(BareUWSAlone, uws.elapsed())
}

// withdrawAll withdraws the cases of ids ("" skipped) as token,
// concurrency at a time, each recorded as op; name tells the phase's
// Idempotency-Keys apart.
func (l *apiLoad) withdrawAll(ctx context.Context, cfg Config, op, token, name string, ids []string) Phase {
	return phase(pace(ctx, len(ids), 0, 0), cfg.Concurrency, func(i int) bool {
		if ids[i] == "" {
			return false
		}
		_, ok := l.timed(ctx, op, "/api/v1/complaints/"+ids[i]+"/withdraw", token,
			fmt.Sprintf("loadgen-%s-%s-%d-withdraw", l.run, name, i), map[string]any{"note": "loadgen is done with it"}, http.StatusOK)
		return ok
	})
}

// mergeCounts adds more's counts to into's, their reasons prefixed.
func mergeCounts(into, more map[string]int, prefix string) map[string]int {
	out := maps.Clone(into)
	if out == nil {
		out = map[string]int{}
	}
	for k, v := range more {
		out[prefix+k] += v
	}
	return out
}
