package sqlstore

import (
	"context"
	"strings"
	"time"
)

// writerWait bounds the wait for the in-process write lock. Past it the
// writer goes ahead and meets the database's own lock and busy timeout, as
// it would without the queue: a write made while the same goroutine holds
// the lock (which no store method does) fails there instead of hanging.
const writerWait = 30 * time.Second

// lockWrites takes the in-process write lock, where the dialect has one,
// and returns what gives it back.
func (s *Store) lockWrites(ctx context.Context) (unlock func(), err error) {
	if s.writer == nil {
		return func() {}, nil
	}
	t := time.NewTimer(writerWait)
	defer t.Stop()
	select {
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-t.C:
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// isWrite reports whether q changes data (and so, outside a transaction,
// takes the write lock).
func isWrite(q string) bool {
	q = strings.TrimSpace(q)
	for _, verb := range []string{"INSERT", "UPDATE", "DELETE"} {
		if len(q) >= len(verb) && strings.EqualFold(q[:len(verb)], verb) {
			return true
		}
	}
	return false
}
