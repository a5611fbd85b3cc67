package web

import (
	"sync"
	"time"
)

// throttle counts events per key in fixed windows: the login guard counts
// wrong passwords with it. It lives in the process, so each replica counts
// on its own.
type throttle struct {
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

func newThrottle(window time.Duration, now func() time.Time) *throttle {
	return &throttle{window: window, now: now, hits: make(map[string]*throttleWindow)}
}

// count returns how many events key has in its window, and how long the
// window lasts yet (0 and 0 for a key without one).
func (t *throttle) count(key string) (int, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w, ok := t.hits[key]
	if !ok {
		return 0, 0
	}
	left := w.start.Add(t.window).Sub(t.now())
	if left <= 0 {
		delete(t.hits, key)
		return 0, 0
	}
	return w.count, left
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

// reset forgets key.
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
