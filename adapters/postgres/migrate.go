package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/golang-migrate/migrate/v4"
	migratepgx "github.com/golang-migrate/migrate/v4/database/pgx/v5"
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"crm/migrations"
)

// MigrateUp applies every migration not yet applied. Concurrent migrators
// take turns on an advisory lock.
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

// withMigrate runs fn with a migrator over the embedded PostgreSQL
// migrations. golang-migrate's driver holds a connection for its lock and
// closes the *sql.DB it is given, so it gets a private one-connection pool
// with db's connection settings rather than db itself.
func withMigrate(db *sqlx.DB, fn func(m *migrate.Migrate) error) error {
	private, err := privateDB(db)
	if err != nil {
		return err
	}
	src, err := iofs.New(migrations.Postgres, "postgres")
	if err != nil {
		_ = private.Close()
		return fmt.Errorf("read migrations: %w", err)
	}
	driver, err := migratepgx.WithInstance(private, &migratepgx.Config{})
	if err != nil {
		_ = src.Close()
		_ = private.Close()
		return fmt.Errorf("migration driver: %w", err)
	}
	m, err := migrate.NewWithInstance("iofs", src, "pgx5", driver)
	if err != nil {
		_ = src.Close()
		_ = driver.Close()
		return fmt.Errorf("migrator: %w", err)
	}
	err = fn(m)
	if srcErr, dbErr := m.Close(); err == nil && (srcErr != nil || dbErr != nil) {
		err = fmt.Errorf("close migrator: %w", errors.Join(srcErr, dbErr))
	}
	return err
}

// privateDB opens a new pool of one connection configured like db's.
func privateDB(db *sqlx.DB) (*sql.DB, error) {
	conn, err := db.Conn(context.Background())
	if err != nil {
		return nil, fmt.Errorf("connect for migrations: %w", err)
	}
	defer func() { _ = conn.Close() }()
	var cfg *pgx.ConnConfig
	if err := conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a pgx connection: %T", driverConn)
		}
		cfg = c.Conn().Config().Copy()
		return nil
	}); err != nil {
		return nil, fmt.Errorf("connect for migrations: %w", err)
	}
	private := stdlib.OpenDB(*cfg)
	private.SetMaxOpenConns(1)
	return private, nil
}
