package application

import "context"

// PollLock lets one replica at a time receive Telegram updates by long
// polling: Telegram answers 409 Conflict to a second poller.
type PollLock interface {
	// TryAcquire takes the lock if it is free (or already ours) and
	// reports whether this replica holds it: false without an error means
	// another replica holds it. An error means it could not tell (the
	// database is out of reach), and the lock is not held.
	TryAcquire(ctx context.Context) (bool, error)
	// Check returns nil while the lock is held, and an error once it is
	// lost (e.g. the database connection that held it is gone).
	Check(ctx context.Context) error
	// Release gives the lock up; releasing a lock not held is not an error.
	Release(ctx context.Context) error
}

// LocalPollLock is the PollLock of a single process (SQLite, memory): it is
// always granted.
type LocalPollLock struct{}

var _ PollLock = LocalPollLock{}

func (LocalPollLock) TryAcquire(context.Context) (bool, error) { return true, nil }

func (LocalPollLock) Check(context.Context) error { return nil }

func (LocalPollLock) Release(context.Context) error { return nil }
