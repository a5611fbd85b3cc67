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
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "crm.db"))
		require.NoError(t, err)
		t.Cleanup(func() { _ = db.Close() })
		require.NoError(t, sqlite.MigrateUp(db))
		st := sqlstore.New(db, sqlstore.SQLite)
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
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(t.Context(), url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, postgres.MigrateUp(db))
	runAll(t, func(t *testing.T) contract.Store {
		require.NoError(t, truncate(t.Context(), db))
		st := sqlstore.New(db, sqlstore.Postgres)
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
