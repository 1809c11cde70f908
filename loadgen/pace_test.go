package loadgen

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func drain(next <-chan int) []int {
	var got []int
	for n := range next {
		got = append(got, n)
	}
	return got
}

func TestPace(t *testing.T) {
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	for _, tc := range []struct {
		name     string
		ctx      context.Context
		count    int
		duration time.Duration
		rate     float64
		// want is the numbers handed out; nil checks only that they are
		// 0, 1, 2, … and end.
		want []int
	}{
		{"count", t.Context(), 4, 0, 0, []int{0, 1, 2, 3}},
		{"count at a rate", t.Context(), 3, 0, 1000, []int{0, 1, 2}},
		{"count ends before a long duration", t.Context(), 2, time.Hour, 0, []int{0, 1}},
		{"duration ends an endless count", t.Context(), 0, 20 * time.Millisecond, 200, nil},
		{"an ended context ends the numbers", cancelled, 5, 0, 0, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := drain(pace(tc.ctx, tc.count, tc.duration, tc.rate))
			if tc.want != nil {
				require.Equal(t, tc.want, got)
				return
			}
			for i, n := range got {
				require.Equal(t, i, n)
			}
			require.Less(t, len(got), 1000)
		})
	}
}
