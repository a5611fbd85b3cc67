package sqlite

import (
	"fmt"

	"github.com/golang-migrate/migrate/v4"
	migratesqlite "github.com/golang-migrate/migrate/v4/database/sqlite"
	"github.com/golang-migrate/migrate/v4/source"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jmoiron/sqlx"

	"crm/migrations"
)

// MigrateUp applies every migration not yet applied.
func MigrateUp(db *sqlx.DB) error { return withMigrate(db, migrations.Up) }

// MigrateDown reverts every applied migration.
func MigrateDown(db *sqlx.DB) error { return withMigrate(db, migrations.Down) }

// MigrationVersion returns the version applied last and whether it failed
// halfway (dirty); 0, false when none is applied.
func MigrationVersion(db *sqlx.DB) (version uint, dirty bool, err error) {
	err = withMigrate(db, func(m *migrate.Migrate) error {
		version, dirty, err = migrations.Version(m)
		return err
	})
	return version, dirty, err
}

// withMigrate runs fn with a migrator over db and the embedded SQLite
// migrations. The migrator is not closed, since closing it would close db;
// only its source is.
func withMigrate(db *sqlx.DB, fn func(m *migrate.Migrate) error) error {
	src, err := iofs.New(migrations.SQLite, "sqlite")
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	defer func(src source.Driver) { _ = src.Close() }(src)
	driver, err := migratesqlite.WithInstance(db.DB, &migratesqlite.Config{})
	if err != nil {
		return fmt.Errorf("migration driver: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "sqlite", driver)
	if err != nil {
		return fmt.Errorf("migrator: %w", err)
	}
	return fn(m)
}
