package sqlite_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/adapters/sqlstore"
	"crm/domain"
)

func TestBackup(t *testing.T) {
	db := open(t)
	require.NoError(t, sqlite.MigrateUp(db))
	u, err := domain.NewUser("alice", "hash", domain.RoleUser, time.Now())
	require.NoError(t, err)
	require.NoError(t, sqlstore.NewUsers(sqlstore.New(db, sqlstore.SQLite)).Add(t.Context(), u))
	dir := t.TempDir()

	t.Run("the copy is the database, and nothing else is left beside it", func(t *testing.T) {
		path := filepath.Join(dir, "copy.db")
		require.NoError(t, sqlite.Backup(t.Context(), db, path))
		assert.Empty(t, partials(t, dir))

		cp, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		defer cp.Close()
		var check, name string
		require.NoError(t, cp.Get(&check, "PRAGMA integrity_check"))
		assert.Equal(t, "ok", check)
		require.NoError(t, cp.Get(&name, "SELECT username FROM users"))
		assert.Equal(t, "alice", name)
		v, _, err := sqlite.MigrationVersion(cp)
		require.NoError(t, err)
		assert.Equal(t, latest(t), v)
	})

	t.Run("an existing file is refused and kept as it was", func(t *testing.T) {
		path := filepath.Join(dir, "taken.db")
		require.NoError(t, os.WriteFile(path, []byte("precious"), 0o600))
		err := sqlite.Backup(t.Context(), db, path)
		assert.ErrorIs(t, err, fs.ErrExist)
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, "precious", string(got))
		assert.Empty(t, partials(t, dir))
	})

	t.Run("a missing directory is named in the error", func(t *testing.T) {
		err := sqlite.Backup(t.Context(), db, filepath.Join(dir, "missing", "copy.db"))
		require.Error(t, err)
		assert.ErrorIs(t, err, fs.ErrNotExist)
		assert.Contains(t, err.Error(), filepath.Join(dir, "missing"))
	})
}

// partials lists the partial copies left in dir.
func partials(t *testing.T, dir string) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, ".*.partial-*"))
	require.NoError(t, err)
	return names
}
