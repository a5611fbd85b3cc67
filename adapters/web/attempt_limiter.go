package web

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// attemptLimiter is a token bucket per key (golang.org/x/time/rate): a key
// may make burst attempts at once, then one per interval. It reads the
// time from now, so a test moves it with its clock.
type attemptLimiter struct {
	every rate.Limit
	burst int
	now   func() time.Time

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

func newAttemptLimiter(interval time.Duration, burst int, now func() time.Time) *attemptLimiter {
	return &attemptLimiter{every: rate.Every(interval), burst: burst, now: now, buckets: make(map[string]*rate.Limiter)}
}

// take uses one attempt of key's. When none is left it uses nothing and
// returns false with how long until one is.
func (l *attemptLimiter) take(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= maxThrottleKeys {
			l.sweep(now)
		}
		b = rate.NewLimiter(l.every, l.burst)
		l.buckets[key] = b
	}
	res := b.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute // burst 0: never; newAttemptLimiter's callers pass at least 1
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// sweep forgets the keys whose buckets have filled up again: a new bucket
// is the same.
func (l *attemptLimiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
}
