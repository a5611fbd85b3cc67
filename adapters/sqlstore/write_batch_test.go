package sqlstore

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/dbtest"
)

// batchStore is a SQLite store with a scratch table of unique numbers.
func batchStore(t *testing.T) *Store {
	db := dbtest.SQLite(t)
	_, err := db.Exec(`CREATE TABLE scratch (v INTEGER NOT NULL UNIQUE)`)
	require.NoError(t, err)
	return New(db, SQLite)
}

// queued waits until n writes wait in s's queue.
func queued(t *testing.T, s *Store, n int) {
	t.Helper()
	require.Eventually(t, func() bool {
		s.queue.mu.Lock()
		defer s.queue.mu.Unlock()
		return len(s.queue.pending) == n
	}, 10*time.Second, time.Millisecond, "%d writes queued", n)
}

func stored(t *testing.T, s *Store) []int {
	var vs []int
	require.NoError(t, s.db.Select(&vs, `SELECT v FROM scratch ORDER BY v`))
	return vs
}

// Writes queued behind the lock run in one transaction; one that fails,
// by its own error or a constraint, is rolled back alone.
func TestQueuedWritesShareATransactionAndFailAlone(t *testing.T) {
	s := batchStore(t)
	ctx := t.Context()
	unlock, err := s.lockWrites(ctx)
	require.NoError(t, err)

	refused := errors.New("refused")
	var mu sync.Mutex
	txs := map[*sqlx.Tx]bool{}
	write := func(v int, fail error) func(tx *sqlx.Tx) error {
		return func(tx *sqlx.Tx) error {
			mu.Lock()
			txs[tx] = true
			mu.Unlock()
			if _, err := tx.Exec(`INSERT INTO scratch (v) VALUES (?)`, v); err != nil {
				return err
			}
			return fail
		}
	}
	fns := []func(tx *sqlx.Tx) error{
		write(1, nil), write(2, nil), write(3, refused), write(1, nil), write(5, nil),
	}
	errs := make([]error, len(fns))
	var wg sync.WaitGroup
	for i, fn := range fns {
		wg.Go(func() { errs[i] = s.inTx(ctx, fn) })
		queued(t, s, i+1) // queue them in order
	}
	unlock()
	wg.Wait()

	assert.NoError(t, errs[0])
	assert.NoError(t, errs[1])
	assert.ErrorIs(t, errs[2], refused)
	assert.Error(t, errs[3], "a duplicate breaks the unique constraint")
	assert.NoError(t, errs[4])
	assert.Equal(t, []int{1, 2, 5}, stored(t, s), "the failed writes left nothing")
	assert.Len(t, txs, 1, "the five ran in one transaction")
}

// A write whose context ends while it waits is not run.
func TestAQueuedWriteWhoseContextEndsIsNotRun(t *testing.T) {
	s := batchStore(t)
	unlock, err := s.lockWrites(t.Context())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	ran := false
	done := make(chan error)
	go func() {
		done <- s.inTx(ctx, func(tx *sqlx.Tx) error {
			ran = true
			_, err := tx.Exec(`INSERT INTO scratch (v) VALUES (1)`)
			return err
		})
	}()
	queued(t, s, 1)
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	queued(t, s, 0)
	unlock()

	require.NoError(t, s.inTx(t.Context(), func(tx *sqlx.Tx) error {
		_, err := tx.Exec(`INSERT INTO scratch (v) VALUES (2)`)
		return err
	}))
	assert.False(t, ran)
	assert.Equal(t, []int{2}, stored(t, s))
}

// A write that panics panics in its own caller; the others of its batch
// fail, store nothing, and the lock is free again.
func TestAPanickingWriteAbortsItsBatchAndPanicsInItsCaller(t *testing.T) {
	s := batchStore(t)
	ctx := t.Context()
	unlock, err := s.lockWrites(ctx)
	require.NoError(t, err)

	insert := func(tx *sqlx.Tx) error {
		_, err := tx.Exec(`INSERT INTO scratch (v) VALUES (1)`)
		return err
	}
	var plain error
	var panicked any
	var wg sync.WaitGroup
	wg.Go(func() { plain = s.inTx(ctx, insert) })
	queued(t, s, 1)
	wg.Go(func() {
		defer func() { panicked = recover() }()
		_ = s.inTx(ctx, func(*sqlx.Tx) error { panic("boom") })
	})
	queued(t, s, 2)
	unlock()
	wg.Wait()

	assert.Equal(t, "boom", panicked, "the panic reaches the caller whose write panicked")
	assert.ErrorIs(t, plain, errBatchAborted)
	assert.Empty(t, stored(t, s), "nothing of the batch was committed")
	require.NoError(t, s.inTx(ctx, insert), "the lock was given back")
	assert.Equal(t, []int{1}, stored(t, s))
}
