package delivery

import (
	"context"
	mrand "math/rand/v2"
	"time"
)

// backoff is the wait after the attempt numbered attempts (from 0) failed:
// least doubled per attempt, capped at most, less up to a tenth at random
// so that retries spread out.
func backoff(least, most time.Duration, attempts int) time.Duration {
	d := least
	for i := 0; i < attempts && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d - time.Duration(mrand.Int64N(int64(d)/10+1))
}

// wait waits for d to pass or ctx to end, and reports whether d passed.
func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
