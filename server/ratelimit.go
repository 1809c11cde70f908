package server

import (
	"math"
	"sync"
	"time"
)

// keyedLimiter is a token bucket per key (a survey token's hash, a client
// address): each key may take burst requests at once and one more every
// 1/rate seconds. Buckets that have filled up again are dropped once the
// map grows, so a stream of new keys costs memory only while they are
// being limited.
type keyedLimiter struct {
	mu      sync.Mutex
	rate    float64 // tokens per second
	burst   float64
	now     func() time.Time
	buckets map[string]*bucket
	// sweepAt is the size at which full buckets are dropped next.
	sweepAt int
}

type bucket struct {
	tokens float64
	at     time.Time
}

// minSweep is the fewest buckets kept before full ones are dropped.
const minSweep = 1024

func newKeyedLimiter(every time.Duration, burst int, now func() time.Time) *keyedLimiter {
	return &keyedLimiter{rate: 1 / every.Seconds(), burst: float64(burst), now: now,
		buckets: map[string]*bucket{}, sweepAt: minSweep}
}

// allow takes a token of key's bucket; with none left it answers false and
// how long until the next one.
func (l *keyedLimiter) allow(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.sweepAt {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, at: now}
		l.buckets[key] = b
	}
	b.tokens = l.refilled(b, now)
	b.at = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration((1 - b.tokens) / l.rate * float64(time.Second))
	return false, wait
}

func (l *keyedLimiter) refilled(b *bucket, now time.Time) float64 {
	elapsed := now.Sub(b.at).Seconds()
	if elapsed < 0 {
		elapsed = 0
	}
	return math.Min(l.burst, b.tokens+elapsed*l.rate)
}

// sweep drops the buckets that are full again: forgetting them changes
// nothing. The next sweep waits until the map has doubled.
func (l *keyedLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if l.refilled(b, now) >= l.burst {
			delete(l.buckets, k)
		}
	}
	l.sweepAt = max(minSweep, 2*len(l.buckets))
}

// retryAfterSeconds is a wait as Retry-After says it: whole seconds, at
// least one.
func retryAfterSeconds(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
