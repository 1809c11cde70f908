package loadgen

import (
	"context"
	"time"
)

// pace hands out 0, 1, 2, … until count is reached (when count > 0), the
// duration has passed (when duration > 0) or ctx ends, at most rate per
// second when rate > 0. Whoever takes a number starts one unit of work.
func pace(ctx context.Context, count int, duration time.Duration, rate float64) <-chan int {
	next := make(chan int)
	go func() {
		defer close(next)
		var stop <-chan time.Time
		if duration > 0 {
			timer := time.NewTimer(duration)
			defer timer.Stop()
			stop = timer.C
		}
		var tick <-chan time.Time
		if rate > 0 {
			ticker := time.NewTicker(time.Duration(float64(time.Second) / rate))
			defer ticker.Stop()
			tick = ticker.C
		}
		for n := 0; count <= 0 || n < count; n++ {
			if tick != nil {
				select {
				case <-tick:
				case <-stop:
					return
				case <-ctx.Done():
					return
				}
			}
			select {
			case next <- n:
			case <-stop:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return next
}
