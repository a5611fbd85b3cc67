// Package dbtest gives tests a migrated database of either dialect: a
// SQLite file or a fresh PostgreSQL database (test/pgtest) of their own,
// opened as the application opens it and migrated up.
package dbtest

import (
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"

	"crm/adapters/postgres"
	"crm/adapters/sqlite"
	"crm/test/pgtest"
)

// SQLite opens a migrated SQLite database in a file of the test's own.
func SQLite(t testing.TB) *sqlx.DB {
	t.Helper()
	return OpenSQLite(t, filepath.Join(t.TempDir(), "crm.db"))
}

// OpenSQLite opens the SQLite database at path, creating it if need be,
// and migrates it up; it is closed when the test ends. Several calls on
// one path are several processes on one database.
func OpenSQLite(t testing.TB, path string) *sqlx.DB {
	t.Helper()
	db, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	return migrated(t, db, sqlite.MigrateUp)
}

// Postgres opens a fresh migrated PostgreSQL database of the test's own,
// or skips the test as pgtest.NewDatabase does.
func Postgres(t testing.TB) *sqlx.DB {
	t.Helper()
	return OpenPostgres(t, pgtest.NewDatabase(t))
}

// OpenPostgres opens the PostgreSQL database at url and migrates it up; it
// is closed when the test ends. Several calls on one url are several
// processes on one database.
func OpenPostgres(t testing.TB, url string) *sqlx.DB {
	t.Helper()
	db, err := postgres.Open(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	return migrated(t, db, postgres.MigrateUp)
}

// migrated arranges db's closing and applies up to it.
func migrated(t testing.TB, db *sqlx.DB, up func(*sqlx.DB) error) *sqlx.DB {
	t.Helper()
	t.Cleanup(func() { _ = db.Close() })
	if err := up(db); err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	return db
}

// Truncate empties every table of the PostgreSQL database db but the
// migrations' own and restarts the ids, so that the next test starts as on
// a fresh database without the cost of creating and migrating one.
func Truncate(t testing.TB, db *sqlx.DB) {
	t.Helper()
	const q = `SELECT coalesce(string_agg(format('%I', tablename), ', '), '') FROM pg_tables
		WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'`
	var tables string
	if err := db.GetContext(t.Context(), &tables, q); err != nil {
		t.Fatalf("list tables: %v", err)
	}
	if tables == "" {
		return
	}
	if _, err := db.ExecContext(t.Context(), "TRUNCATE "+tables+" RESTART IDENTITY CASCADE"); err != nil {
		t.Fatalf("truncate: %v", err)
	}
}
