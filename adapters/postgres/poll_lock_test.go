package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/postgres"
	"crm/test/pgtest"
)

// TryAcquire tells "another replica holds the lock" (false, no error) from
// "the database cannot be reached" (an error), which the poller logs
// differently.
func TestPollLockTellsAnotherHolderFromAnUnreachableDatabase(t *testing.T) {
	url := pgtest.NewDatabase(t)
	ctx := t.Context()
	holder, standby := postgres.NewPollLock(url), postgres.NewPollLock(url)
	t.Cleanup(func() {
		_ = holder.Release(context.Background())
		_ = standby.Release(context.Background())
	})

	held, err := holder.TryAcquire(ctx)
	require.NoError(t, err)
	assert.True(t, held)
	held, err = standby.TryAcquire(ctx)
	require.NoError(t, err, "another holder is not an error")
	assert.False(t, held)

	unreachable := postgres.NewPollLock("postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	held, err = unreachable.TryAcquire(tctx)
	require.Error(t, err, "an unreachable database is not another holder")
	assert.False(t, held)
	assert.Contains(t, err.Error(), "poll lock: connect")

	// The holder's connection dies: it learns it lost the lock, and the
	// standby takes it.
	db, err := postgres.Open(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	var killed int
	require.NoError(t, db.GetContext(ctx, &killed, `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		 WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid = x'43524d'::int AND objid = 1
		   AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`))
	require.Equal(t, 1, killed)
	assert.Error(t, holder.Check(ctx))
	// pg_terminate_backend only signals: the lock is free once that
	// backend has exited, a moment later.
	require.Eventually(t, func() bool {
		held, err := standby.TryAcquire(ctx)
		return err == nil && held
	}, 10*time.Second, 20*time.Millisecond, "the standby takes the lock the dead holder left")
	held, err = holder.TryAcquire(ctx)
	require.NoError(t, err, "the database answers again: another holder, not an error")
	assert.False(t, held)
}
