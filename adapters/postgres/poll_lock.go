package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"

	"crm/application"
)

// The advisory lock of the Telegram poller, in the two-key space so that it
// never meets golang-migrate's single-key lock.
const (
	pollLockClass  = 0x43524d // "CRM"
	pollLockObject = 1
)

// PollLock is a session-level PostgreSQL advisory lock on a connection of
// its own: one replica at a time holds it and polls Telegram. When the
// holder dies its connection closes, PostgreSQL releases the lock, and a
// standby replica gets it on its next try.
type PollLock struct {
	url string

	mu   sync.Mutex
	conn *pgx.Conn
	held bool
}

var _ application.PollLock = (*PollLock)(nil)

// NewPollLock returns the lock of the database at databaseURL; it connects
// on first use.
func NewPollLock(databaseURL string) *PollLock { return &PollLock{url: databaseURL} }

// TryAcquire takes the lock if it is free, or checks it is still ours.
func (l *PollLock) TryAcquire(ctx context.Context) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.held {
		if err := l.conn.Ping(ctx); err != nil {
			l.closeLocked()
			return false, fmt.Errorf("poll lock: connection lost: %w", err)
		}
		return true, nil
	}
	if l.conn == nil {
		conn, err := pgx.Connect(ctx, l.url)
		if err != nil {
			return false, fmt.Errorf("poll lock: connect: %w", err)
		}
		l.conn = conn
	}
	var ok bool
	if err := l.conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1, $2)`, pollLockClass, pollLockObject).Scan(&ok); err != nil {
		l.closeLocked()
		return false, fmt.Errorf("poll lock: try: %w", err)
	}
	l.held = ok
	return ok, nil
}

// Check returns nil while the lock is held: its connection still answers.
func (l *PollLock) Check(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.held {
		return errors.New("poll lock: not held")
	}
	if err := l.conn.Ping(ctx); err != nil {
		l.closeLocked()
		return fmt.Errorf("poll lock: connection lost: %w", err)
	}
	return nil
}

// Release unlocks and closes the connection.
func (l *PollLock) Release(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.conn == nil {
		return nil
	}
	var err error
	if l.held {
		_, err = l.conn.Exec(ctx, `SELECT pg_advisory_unlock($1, $2)`, pollLockClass, pollLockObject)
	}
	l.closeLocked() // closing the session releases the lock anyway
	if err != nil {
		return fmt.Errorf("poll lock: unlock: %w", err)
	}
	return nil
}

func (l *PollLock) closeLocked() {
	if l.conn != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		_ = l.conn.Close(ctx)
		cancel()
	}
	l.conn, l.held = nil, false
}
