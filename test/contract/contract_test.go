package contract_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/postgres"
	"crm/adapters/sqlite"
	"crm/adapters/sqlstore"
	"crm/test/contract"
	"crm/test/pgtest"
)

// runAll runs every port's suite against one backend.
func runAll(t *testing.T, newStore contract.Factory) {
	t.Run("Users", func(t *testing.T) { contract.Users(t, newStore) })
	t.Run("Tickets", func(t *testing.T) { contract.Tickets(t, newStore) })
	t.Run("Search", func(t *testing.T) { contract.Search(t, newStore) })
	t.Run("Sessions", func(t *testing.T) { contract.Sessions(t, newStore) })
	t.Run("EventLog", func(t *testing.T) { contract.EventLog(t, newStore) })
}

func TestMemory(t *testing.T) {
	t.Parallel()
	runAll(t, func(t *testing.T) contract.Store {
		s := memory.NewStore()
		return contract.Store{Users: s.Users, Tickets: s.Tickets, Sessions: s.Sessions, Events: s.Events}
	})
}

// TestSQLite gives every test a migrated database file of its own.
func TestSQLite(t *testing.T) {
	t.Parallel()
	runAll(t, func(t *testing.T) contract.Store {
		st := sqliteStore(t)
		return contract.Store{
			Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st),
			Sessions: sqlstore.NewSessions(st), Events: sqlstore.NewEventLog(st),
		}
	})
}

// TestPostgres migrates one fresh database and empties its tables before
// every test; the tests run one after another.
func TestPostgres(t *testing.T) {
	t.Parallel()
	freshStore := postgresStores(t)
	runAll(t, func(t *testing.T) contract.Store {
		st := freshStore(t)
		return contract.Store{
			Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st),
			Sessions: sqlstore.NewSessions(st), Events: sqlstore.NewEventLog(st),
		}
	})
}

// truncate empties every table but the migrations' own and restarts the
// ids, so each test starts as on a fresh database.
func truncate(ctx context.Context, db *sqlx.DB) error {
	const q = `SELECT coalesce(string_agg(format('%I', tablename), ', '), '') FROM pg_tables
		WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`
	var tables string
	if err := db.GetContext(ctx, &tables, q); err != nil {
		return err
	}
	if tables == "" {
		return nil
	}
	_, err := db.ExecContext(ctx, "TRUNCATE "+tables+" RESTART IDENTITY CASCADE")
	return err
}

// sqliteStore is a store over a migrated SQLite file of the test's own.
func sqliteStore(t *testing.T) *sqlstore.Store {
	t.Helper()
	return sqlstore.New(sqliteDB(t), sqlstore.SQLite)
}

// sqliteDB opens a migrated SQLite file of the test's own.
func sqliteDB(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, sqlite.MigrateUp(db))
	return db
}

// postgresDB opens a fresh migrated PostgreSQL database of the test's own.
func postgresDB(t *testing.T) *sqlx.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), pgtest.NewDatabase(t))
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, postgres.MigrateUp(db))
	return db
}

// postgresStores migrates one fresh PostgreSQL database for t and returns
// what empties it (as new, ids restarted) and gives a store over it, for
// each test of a suite; the tests run one after another.
func postgresStores(t *testing.T) func(t *testing.T) *sqlstore.Store {
	t.Helper()
	db := postgresDB(t)
	return func(t *testing.T) *sqlstore.Store {
		t.Helper()
		require.NoError(t, truncate(t.Context(), db))
		return sqlstore.New(db, sqlstore.Postgres)
	}
}
