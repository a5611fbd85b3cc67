package sqlite_test

import (
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/migrations"
)

func open(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// latest is the highest migration version embedded.
func latest(t *testing.T) uint {
	t.Helper()
	entries, err := fs.ReadDir(migrations.SQLite, "sqlite")
	require.NoError(t, err)
	var v uint
	for _, e := range entries {
		n, err := strconv.ParseUint(strings.SplitN(e.Name(), "_", 2)[0], 10, 32)
		require.NoError(t, err, e.Name())
		v = max(v, uint(n))
	}
	return v
}

func tables(t *testing.T, db *sqlx.DB) []string {
	t.Helper()
	var names []string
	require.NoError(t, db.Select(&names,
		`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name`))
	return names
}

func TestOpenConfiguresEveryConnection(t *testing.T) {
	db := open(t)
	// Take several connections at once so that more than the first is checked.
	conns := make([]*sqlx.Conn, 3)
	for i := range conns {
		c, err := db.Connx(t.Context())
		require.NoError(t, err)
		defer c.Close()
		conns[i] = c
	}
	for _, c := range conns {
		for pragma, want := range map[string]string{
			"journal_mode": "wal",
			"foreign_keys": "1",
			"synchronous":  "1", // NORMAL
			"busy_timeout": "30000",
		} {
			var got string
			require.NoError(t, c.GetContext(t.Context(), &got, "PRAGMA "+pragma))
			assert.Equal(t, want, got, pragma)
		}
	}
}

func TestOpenRefusesAnInMemoryDatabase(t *testing.T) {
	_, err := sqlite.Open(t.Context(), ":memory:")
	assert.Error(t, err)
	_, err = sqlite.Open(t.Context(), "")
	assert.Error(t, err)
}

func TestMigrations(t *testing.T) {
	db := open(t)
	v, dirty, err := sqlite.MigrationVersion(db)
	require.NoError(t, err)
	assert.Zero(t, v, "nothing applied yet")
	assert.False(t, dirty)

	require.NoError(t, sqlite.MigrateUp(db))
	require.NoError(t, sqlite.MigrateUp(db), "up again is a no-op")
	v, dirty, err = sqlite.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, latest(t), v)
	assert.False(t, dirty)
	assert.Subset(t, tables(t, db), []string{"events", "sessions", "ticket_comments", "ticket_history", "tickets", "users"})

	require.NoError(t, sqlite.MigrateDown(db))
	v, _, err = sqlite.MigrationVersion(db)
	require.NoError(t, err)
	assert.Zero(t, v)
	assert.Empty(t, tables(t, db))
	require.NoError(t, sqlite.MigrateDown(db), "down again is a no-op")

	require.NoError(t, sqlite.MigrateUp(db))
	v, _, err = sqlite.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, latest(t), v)
	require.NoError(t, db.Ping(), "migrating leaves the database open")
}

// A database a newer build migrated further is refused with a message that
// says so, and left as it is.
func TestMigrateUpRefusesANewerDatabase(t *testing.T) {
	db := open(t)
	require.NoError(t, sqlite.MigrateUp(db))
	newer := latest(t) + 1
	_, err := db.Exec(`UPDATE schema_migrations SET version = ?`, newer)
	require.NoError(t, err)

	err = sqlite.MigrateUp(db)
	require.Error(t, err)
	assert.Contains(t, err.Error(), fmt.Sprintf("the database is at migration %d, which this build of crm does not have", newer))
	v, dirty, err := sqlite.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, newer, v)
	assert.False(t, dirty)
}

func TestSchemaRefusesWhatTheDomainCannotHold(t *testing.T) {
	db := open(t)
	require.NoError(t, sqlite.MigrateUp(db))
	u, err := domain.NewUser("alice", "hash", domain.RoleUser, time.Now())
	require.NoError(t, err)
	st := sqlstore.New(db, sqlstore.SQLite)
	require.NoError(t, sqlstore.NewUsers(st).Add(t.Context(), u))

	for name, q := range map[string]string{
		"unknown role":    `UPDATE users SET role = 'root'`,
		"unknown status":  `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (1, 'alice', 't', 't', 'repair', 'lost', '', 0, 0)`,
		"unknown type":    `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (1, 'alice', 't', 't', 'other', 'open', '', 0, 0)`,
		"unknown owner":   `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (99, 'x', 't', 't', 'repair', 'open', '', 0, 0)`,
		"session owner":   `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h', 99, 0, 0)`,
		"text for a time": `UPDATE users SET created_at = 'yesterday'`,
		"bad payload":     `INSERT INTO events (kind, stream, payload, created_at) VALUES ('k', 's', 'not json', 0)`,
	} {
		_, err := db.Exec(q)
		assert.Error(t, err, name)
	}
}
