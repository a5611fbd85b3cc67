package web

import (
	"sync"
	"time"
)

// throttle counts events per key in fixed windows. The login form uses it
// to slow down password guessing: after too many failures for one username,
// further attempts get the 429 page until the window ends. It lives in the
// process, so each replica counts on its own: enough to make guessing slow,
// not a global lock-out.
type throttle struct {
	limit  int
	window time.Duration
	now    func() time.Time

	mu   sync.Mutex
	hits map[string]*throttleWindow
}

type throttleWindow struct {
	start time.Time
	count int
}

// maxThrottleKeys bounds memory: past it, ended windows are swept.
const maxThrottleKeys = 10_000

func newThrottle(limit int, window time.Duration, now func() time.Time) *throttle {
	return &throttle{limit: limit, window: window, now: now, hits: make(map[string]*throttleWindow)}
}

// blocked reports whether key has used up its window, and for how long.
func (t *throttle) blocked(key string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, ok := t.hits[key]
	if !ok {
		return false, 0
	}
	left := w.start.Add(t.window).Sub(t.now())
	if left <= 0 {
		delete(t.hits, key)
		return false, 0
	}
	return w.count >= t.limit, left
}

// add counts one event for key.
func (t *throttle) add(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	w, ok := t.hits[key]
	if !ok || now.Sub(w.start) >= t.window {
		if len(t.hits) >= maxThrottleKeys {
			t.sweep(now)
		}
		w = &throttleWindow{start: now}
		t.hits[key] = w
	}
	w.count++
}

// reset forgets key, after a successful login.
func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.hits, key)
}

func (t *throttle) sweep(now time.Time) {
	for k, w := range t.hits {
		if now.Sub(w.start) >= t.window {
			delete(t.hits, k)
		}
	}
}
