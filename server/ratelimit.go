package server

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// keyedLimiter is a token bucket per key (a survey token's hash, a client
// address), each a rate.Limiter: a key may take burst requests at once and
// one more every interval. Buckets that have filled up again are dropped
// once the map grows, so a stream of new keys costs memory only while they
// are being limited.
type keyedLimiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	now     func() time.Time
	buckets map[string]*rate.Limiter
	// sweepAt is the size at which full buckets are dropped next.
	sweepAt int
}

// minSweep is the fewest buckets kept before full ones are dropped.
const minSweep = 1024

func newKeyedLimiter(every time.Duration, burst int, now func() time.Time) *keyedLimiter {
	return &keyedLimiter{every: rate.Every(every), burst: burst, now: now, buckets: map[string]*rate.Limiter{},
		sweepAt: minSweep}
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
		b = rate.NewLimiter(l.every, l.burst)
		b.SetLimitAt(now, l.every) // its clock starts now, full
		l.buckets[key] = b
	}
	if b.AllowN(now, 1) {
		return true, 0
	}
	r := b.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now) // only asked how long: the token is not taken
	return false, wait
}

// sweep drops the buckets that are full again: forgetting them changes
// nothing. The next sweep waits until the map has doubled.
func (l *keyedLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
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
