package postgres_test

import (
	"context"
	"io/fs"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/postgres"
	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/migrations"
	"crm/test/pgtest"
)

func open(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), pgtest.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// latest is the highest migration version embedded.
func latest(t *testing.T) uint {
	t.Helper()
	entries, err := fs.ReadDir(migrations.Postgres, "postgres")
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
	names := []string{}
	require.NoError(t, db.Select(&names,
		`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations' ORDER BY tablename`))
	return names
}

func TestOpenFailsFastOnAnUnreachableServer(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2")
	assert.Error(t, err)
}

// Connections keep PostgreSQL's plan_cache_mode (auto: the store plans the
// queries built from a filter on every run itself, see sqlstore's
// planEachRunMark), and a setting in the URL wins.
func TestOpenKeepsThePlanCacheModeOfTheURL(t *testing.T) {
	url := pgtest.NewDatabase(t)
	for _, tc := range []struct{ url, want string }{
		{url, "auto"},
		{url + "&plan_cache_mode=force_custom_plan", "force_custom_plan"},
	} {
		db, err := postgres.Open(t.Context(), tc.url)
		require.NoError(t, err)
		var got string
		require.NoError(t, db.GetContext(t.Context(), &got, "SHOW plan_cache_mode"))
		assert.Equal(t, tc.want, got)
		require.NoError(t, db.Close())
	}
}

func TestMigrations(t *testing.T) {
	db := open(t)
	v, dirty, err := postgres.MigrationVersion(db)
	require.NoError(t, err)
	assert.Zero(t, v, "nothing applied yet")
	assert.False(t, dirty)

	require.NoError(t, postgres.MigrateUp(db))
	require.NoError(t, postgres.MigrateUp(db), "up again is a no-op")
	v, dirty, err = postgres.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, latest(t), v)
	assert.False(t, dirty)
	assert.Subset(t, tables(t, db), []string{"events", "sessions", "ticket_comments", "ticket_history", "tickets", "users"})

	require.NoError(t, postgres.MigrateDown(db))
	v, _, err = postgres.MigrationVersion(db)
	require.NoError(t, err)
	assert.Zero(t, v)
	assert.Empty(t, tables(t, db))
	require.NoError(t, postgres.MigrateDown(db), "down again is a no-op")

	require.NoError(t, postgres.MigrateUp(db))
	v, _, err = postgres.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, latest(t), v)

	require.NoError(t, db.Ping(), "migrating leaves the database open")
	assert.Zero(t, db.Stats().InUse, "migrating holds no connection of the pool")
}

func TestConcurrentMigratorsTakeTurns(t *testing.T) {
	db := open(t)
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- postgres.MigrateUp(db) }()
	}
	for range 4 {
		require.NoError(t, <-errs)
	}
	v, dirty, err := postgres.MigrationVersion(db)
	require.NoError(t, err)
	assert.Equal(t, latest(t), v)
	assert.False(t, dirty)
}

func TestSchemaRefusesWhatTheDomainCannotHold(t *testing.T) {
	db := open(t)
	require.NoError(t, postgres.MigrateUp(db))
	u, err := domain.NewUser("alice", "hash", domain.RoleUser, time.Now())
	require.NoError(t, err)
	st := sqlstore.New(db, sqlstore.Postgres)
	require.NoError(t, sqlstore.NewUsers(st).Add(t.Context(), u))

	for name, q := range map[string]string{
		"unknown role":   `UPDATE users SET role = 'root'`,
		"unknown status": `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (1, 'alice', 't', 't', 'repair', 'lost', '', now(), now())`,
		"unknown type":   `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (1, 'alice', 't', 't', 'other', 'open', '', now(), now())`,
		"unknown owner":  `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search, created_at, updated_at) VALUES (99, 'x', 't', 't', 'repair', 'open', '', now(), now())`,
		"session owner":  `INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ('h', 99, now(), now())`,
		"bad payload":    `INSERT INTO events (kind, stream, payload, created_at) VALUES ('k', 's', 'not json', now())`,
	} {
		_, err := db.Exec(q)
		assert.Error(t, err, name)
	}
}

// The functions the triggers on tickets and their history run hold only
// static SQL, which PL/pgSQL plans once per connection: an EXECUTE parses
// and plans its text on every ticket written, and the report trigger's
// two EXECUTEs had cost more of the server's time than the rest of
// POST /tickets (migration 0023).
func TestTicketTriggersRunNoDynamicSQL(t *testing.T) {
	db := open(t)
	require.NoError(t, postgres.MigrateUp(db))
	var fns []struct {
		Name   string `db:"name"`
		Source string `db:"source"`
	}
	require.NoError(t, db.Select(&fns, `SELECT DISTINCT p.proname AS name, p.prosrc AS source
		FROM pg_trigger g JOIN pg_proc p ON p.oid = g.tgfoid
		WHERE NOT g.tgisinternal AND g.tgrelid IN ('tickets'::regclass, 'ticket_history'::regclass)`))
	require.NotEmpty(t, fns)
	for _, f := range fns {
		assert.NotContains(t, strings.ToUpper(f.Source), "EXECUTE ", "trigger function %s", f.Name)
	}
}
