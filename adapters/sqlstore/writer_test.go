package sqlstore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On SQLite writers queue in the process, one at a time; a writer waiting
// gives up when its context ends. On PostgreSQL nobody waits.
func TestWritersTakeTurnsOnSQLiteOnly(t *testing.T) {
	s := New(nil, SQLite)
	unlock, err := s.lockWrites(t.Context())
	require.NoError(t, err)

	ctx, cancel := context.WithCancel(t.Context())
	waited := make(chan error)
	go func() {
		_, err := s.lockWrites(ctx)
		waited <- err
	}()
	cancel()
	assert.ErrorIs(t, <-waited, context.Canceled, "the lock is held: only the context can end the wait")

	unlock()
	again, err := s.lockWrites(t.Context())
	require.NoError(t, err, "given back, the lock is free")
	again()

	p := New(nil, Postgres)
	first, err := p.lockWrites(t.Context())
	require.NoError(t, err)
	second, err := p.lockWrites(t.Context())
	require.NoError(t, err, "PostgreSQL writers do not queue in the process")
	first()
	second()

	assert.True(t, isWrite("  insert INTO x VALUES (1) RETURNING id"))
	assert.True(t, isWrite("UPDATE link_tokens SET used_at = ?"))
	assert.False(t, isWrite("SELECT 1"))
}
