package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// maxBatch bounds how many writes share one transaction, so that the first
// of them does not wait behind an endless queue.
const maxBatch = 64

// errBatchAborted is what the writes of a batch get when another write of
// the same batch panicked: none of them was committed.
var errBatchAborted = errors.New("write batch aborted: another write in it panicked")

// writePanic carries a write's panic to its own caller, who panics with
// it: the write ran in the goroutine of whoever held the lock.
type writePanic struct{ value any }

func (p writePanic) Error() string { return fmt.Sprintf("write panicked: %v", p.value) }

// outcome returns err, or panics with the value of a write that did.
func outcome(err error) error {
	var p writePanic
	if errors.As(err, &p) {
		panic(p.value)
	}
	return err
}

// pendingWrite is one inTx call waiting for a transaction.
type pendingWrite struct {
	ctx  context.Context
	fn   func(tx *sqlx.Tx) error
	done chan error // receives the write's outcome once
}

// writeQueue holds the writes waiting for the in-process write lock of a
// oneWriter dialect (SQLite). Whoever takes the lock runs every write
// queued by then in one transaction, each under a savepoint of its own:
// a write that fails rolls back to its savepoint and fails alone, and
// the rest commit together. On SQLite most of a small write's cost is
// the commit (the WAL frames of every page it touched and the full-text
// index flushing its segment), so 32 writers at once commit a few times
// instead of 32 times, and each is still atomic with its events.
type writeQueue struct {
	mu      sync.Mutex
	pending []*pendingWrite
}

func (q *writeQueue) push(w *pendingWrite) {
	q.mu.Lock()
	q.pending = append(q.pending, w)
	q.mu.Unlock()
}

// take removes and returns up to maxBatch queued writes, oldest first.
func (q *writeQueue) take() []*pendingWrite {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := min(len(q.pending), maxBatch)
	batch := q.pending[:n:n]
	q.pending = q.pending[n:]
	if len(q.pending) == 0 {
		q.pending = nil
	}
	return batch
}

// withdraw removes w if it is still queued, and reports whether it was.
func (q *writeQueue) withdraw(w *pendingWrite) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i, p := range q.pending {
		if p == w {
			q.pending = append(q.pending[:i:i], q.pending[i+1:]...)
			return true
		}
	}
	return false
}

// inBatchedTx is inTx for a oneWriter dialect: it queues fn and either
// runs the queue as the holder of the write lock, or finds fn run by the
// holder before it.
func (s *Store) inBatchedTx(ctx context.Context, fn func(tx *sqlx.Tx) error) error {
	w := &pendingWrite{ctx: ctx, fn: fn, done: make(chan error, 1)}
	s.queue.push(w)
	unlock, err := s.waitTurn(ctx, w)
	if unlock == nil {
		return outcome(err)
	}
	defer s.prepareLater(ctx)
	defer unlock()
	// Holding the lock: run what is queued until our own write has run
	// (it is among the first maxBatch unless more were queued before it).
	for {
		batch := s.queue.take()
		if len(batch) > 0 {
			s.runBatch(batch)
		}
		select {
		case err := <-w.done:
			return outcome(err)
		default:
		}
		if len(batch) == 0 { // cannot happen: w is queued or done
			return errors.New("write queue lost a write")
		}
	}
}

// waitTurn waits until another holder of the write lock has run w (nil
// unlock, w's outcome) or this caller holds the lock (its unlock).
func (s *Store) waitTurn(ctx context.Context, w *pendingWrite) (unlock func(), err error) {
	t := time.NewTimer(writerWait)
	defer t.Stop()
	select {
	case err := <-w.done:
		return nil, err
	case s.writer <- struct{}{}:
		return func() { <-s.writer }, nil
	case <-t.C: // the lock is stuck: run alone, as lockWrites does
		if s.queue.withdraw(w) {
			return nil, s.runTx(ctx, nil, w.fn)
		}
		return nil, <-w.done
	case <-ctx.Done():
		if s.queue.withdraw(w) {
			return nil, ctx.Err()
		}
		return nil, <-w.done // a holder is running it: its outcome stands
	}
}

// runBatch runs batch in one transaction and tells each write its outcome.
func (s *Store) runBatch(batch []*pendingWrite) {
	if len(batch) == 1 { // alone: no savepoint needed
		w := batch[0]
		w.done <- s.runTx(w.ctx, nil, func(tx *sqlx.Tx) error { return callSafely(w.fn, tx) })
		return
	}
	outcomes := make([]error, len(batch))
	// The transaction outlives any one caller: a caller whose context ends
	// fails its own statements, not the others' commit.
	ctx := context.WithoutCancel(batch[0].ctx)
	err := s.runTx(ctx, nil, func(tx *sqlx.Tx) error {
		for i, w := range batch {
			var broken error
			outcomes[i], broken = s.runSaved(tx, w)
			if broken != nil {
				return broken
			}
		}
		return nil
	})
	for i, w := range batch {
		if err != nil && outcomes[i] == nil {
			outcomes[i] = err // the transaction failed: none of them was stored
		}
		w.done <- outcomes[i]
	}
}

// runSaved runs w under a savepoint of tx, rolled back if w fails. broken
// is set when the transaction itself can no longer be used (the database
// rolled it back, say): then no write of the batch may commit.
func (s *Store) runSaved(tx *sqlx.Tx, w *pendingWrite) (err, broken error) {
	if err := w.ctx.Err(); err != nil {
		return err, nil
	}
	if _, err := tx.Exec("SAVEPOINT write"); err != nil {
		return nil, fmt.Errorf("savepoint: %w", err)
	}
	if err = callSafely(w.fn, tx); err != nil {
		if errors.As(err, new(writePanic)) { // what it left undone is unknown
			return err, errBatchAborted
		}
		if _, rbErr := tx.Exec("ROLLBACK TO write"); rbErr != nil {
			return s.fault(err), fmt.Errorf("rollback to savepoint: %w", rbErr)
		}
	}
	if _, relErr := tx.Exec("RELEASE write"); relErr != nil {
		return s.fault(err), fmt.Errorf("release savepoint: %w", relErr)
	}
	return s.fault(err), nil
}

// callSafely calls fn, returning a panic as a writePanic.
func callSafely(fn func(tx *sqlx.Tx) error, tx *sqlx.Tx) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = writePanic{value: v}
		}
	}()
	return fn(tx)
}
