package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/pgtest"
)

func TestNewDatabaseIsFreshAndDroppedAfterwards(t *testing.T) {
	ctx := context.Background()
	var url, name string
	t.Run("use", func(t *testing.T) {
		url = pgtest.NewDatabase(t)
		conn, err := pgx.Connect(ctx, url)
		require.NoError(t, err)
		defer conn.Close(ctx)
		require.NoError(t, conn.QueryRow(ctx, "SELECT current_database()").Scan(&name))
		assert.Regexp(t, `^crm_test_[0-9a-f]{16}$`, name)
		var tables int
		require.NoError(t, conn.QueryRow(ctx,
			"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables))
		assert.Zero(t, tables)
		// An open connection must not stop the cleanup's DROP.
		_, err = pgx.Connect(ctx, url)
		require.NoError(t, err)
	})
	if t.Skipped() || name == "" {
		return
	}
	conn, err := pgx.Connect(ctx, os.Getenv(pgtest.URLEnv))
	require.NoError(t, err)
	defer conn.Close(ctx)
	var exists bool
	require.NoError(t, conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists))
	assert.False(t, exists, "the test database is dropped after the test")
}
