package server

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// A bucket takes its burst at once, then one request per interval, and
// says how long until the next; keys do not share buckets.
func TestKeyedLimiterBurstAndRefill(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	l := newKeyedLimiter(10*time.Second, 3, func() time.Time { return now })
	for i := range 3 {
		ok, _ := l.allow("a")
		require.True(t, ok, "request %d", i)
	}
	ok, wait := l.allow("a")
	require.False(t, ok)
	require.Equal(t, 10*time.Second, wait)
	require.Equal(t, 10, retryAfterSeconds(wait))
	ok, _ = l.allow("b")
	require.True(t, ok, "another key has its own bucket")

	now = now.Add(4 * time.Second)
	ok, wait = l.allow("a")
	require.False(t, ok)
	require.Equal(t, 6*time.Second, wait.Round(time.Millisecond))
	now = now.Add(6 * time.Second)
	ok, _ = l.allow("a")
	require.True(t, ok, "one request more after the interval")
	ok, _ = l.allow("a")
	require.False(t, ok)

	now = now.Add(time.Hour)
	for i := range 3 {
		ok, _ := l.allow("a")
		require.True(t, ok, "full again after a long pause: request %d", i)
	}
	require.Equal(t, 1, retryAfterSeconds(time.Millisecond), "Retry-After is at least one second")
}

// Buckets that filled up again are forgotten once the map grows: a stream
// of new keys keeps only those still being limited.
func TestKeyedLimiterForgetsFullBuckets(t *testing.T) {
	now := time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	l := newKeyedLimiter(time.Second, 2, func() time.Time { return now })
	for i := range minSweep - 1 {
		l.allow(fmt.Sprint("old-", i))
	}
	l.allow("busy")
	l.allow("busy")
	require.Equal(t, minSweep, len(l.buckets))
	now = now.Add(time.Second) // every old bucket is full again; busy is not
	l.allow("new")
	require.Equal(t, 2, len(l.buckets), "the full buckets are dropped, busy is kept, new is added")
	require.Contains(t, l.buckets, "busy")
	require.Equal(t, minSweep, l.sweepAt)
}
