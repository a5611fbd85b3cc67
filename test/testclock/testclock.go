// Package testclock holds the clocks tests give to the application in
// place of the wall clock: one that stands still until the test moves it,
// and one that runs with real time from a fixed date and can be moved
// forward. Both are safe for use from several goroutines.
package testclock

import (
	"sync"
	"time"
)

// Manual stands at the time it was set to until the test sets or
// advances it.
type Manual struct {
	mu  sync.Mutex
	now time.Time
}

// NewManual returns a Manual clock at t.
func NewManual(t time.Time) *Manual { return &Manual{now: t} }

func (c *Manual) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set moves the clock to t, backwards too.
func (c *Manual) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock forward by d.
func (c *Manual) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Running runs with real time from base (so timers and timeouts in the
// code under test behave as in production), and the test can move it
// forward by hand to make hours pass at once.
type Running struct {
	mu     sync.Mutex
	base   time.Time
	start  time.Time
	offset time.Duration
}

// NewRunning returns a Running clock that reads base now.
func NewRunning(base time.Time) *Running { return &Running{base: base, start: time.Now()} }

func (c *Running) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Since(c.start) + c.offset)
}

// Advance moves the clock forward by d.
func (c *Running) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
