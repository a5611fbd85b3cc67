package delivery

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// Config tunes the dispatcher; zero fields take the defaults.
type Config struct {
	// PollInterval is how often the dispatcher looks for new events and
	// due deliveries when nobody wakes it (default 500ms): the longest a
	// change made by another replica waits.
	PollInterval time.Duration
	// WakeGap is the least time between the starts of two rounds when
	// commits wake the dispatcher (default 20ms): wakes sent meanwhile
	// are taken together by one round.
	WakeGap time.Duration
	// Workers is how many deliveries are made at once (default 16).
	Workers int
	// Lease is how long a claimed delivery belongs to this process before
	// another may take it, should this one die (default 2 minutes). An
	// attempt that takes half of it is abandoned and retried.
	Lease time.Duration
	// BackoffMin and BackoffMax bound the wait before a retry: it doubles
	// from BackoffMin with every failed attempt (defaults 1s and 5 minutes).
	BackoffMin, BackoffMax time.Duration
	// GiveUpAfter is how long a delivery is retried before it is marked
	// failed (default 24 hours).
	GiveUpAfter time.Duration
	// CommitWindow is the longest a transaction that stores events may
	// take (default 5 minutes). Events are looked for this far behind the
	// newest one, since a PostgreSQL sequence hands out ids before commit.
	CommitWindow time.Duration
	// KeyInterval is the least time between two sent deliveries of one key
	// (default 1s: Telegram's limit per chat); negative for none.
	KeyInterval time.Duration
	// FanOutBatch is how many events are read at a time (default 500).
	FanOutBatch int
	// RecordRetry is the wait before storing an attempt's outcome again
	// when storage refused it; the second wait is twice as long (default
	// 200ms).
	RecordRetry time.Duration
	// Owner names this process in leases (default a random id).
	Owner string
}

func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.PollInterval, 500*time.Millisecond)
	def(&c.WakeGap, 20*time.Millisecond)
	def(&c.Lease, 2*time.Minute)
	def(&c.BackoffMin, time.Second)
	def(&c.BackoffMax, 5*time.Minute)
	def(&c.GiveUpAfter, 24*time.Hour)
	def(&c.CommitWindow, 5*time.Minute)
	def(&c.RecordRetry, 200*time.Millisecond)
	if c.KeyInterval == 0 {
		c.KeyInterval = time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 16
	}
	if c.FanOutBatch <= 0 {
		c.FanOutBatch = 500
	}
	if c.Owner == "" {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		c.Owner = hex.EncodeToString(b)
	}
	return c
}
