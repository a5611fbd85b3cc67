package bootstrap

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/fx"

	"crm/adapters/postgres"
	"crm/adapters/sqlite"
	"crm/application"
)

// Storage is the opened database with its dialect's migrations.
type Storage struct {
	DB      *sqlx.DB
	Dialect string

	up      func(*sqlx.DB) error
	down    func(*sqlx.DB) error
	version func(*sqlx.DB) (uint, bool, error)
}

// MigrateUp applies every migration not yet applied.
func (s *Storage) MigrateUp() error { return s.up(s.DB) }

// MigrateDown reverts every migration.
func (s *Storage) MigrateDown() error { return s.down(s.DB) }

// Version returns the applied migration version and whether it is dirty.
func (s *Storage) Version() (uint, bool, error) { return s.version(s.DB) }

// Ping reports whether the database answers.
func (s *Storage) Ping(ctx context.Context) error { return s.DB.PingContext(ctx) }

// storageModule picks the module of the configured database.
func storageModule(c Config) fx.Option {
	if c.Database.Dialect == "postgres" {
		return postgresModule
	}
	return sqliteModule
}

// sqliteModule binds the embedded SQLite adapters to the storage ports.
var sqliteModule = fx.Module("sqlite",
	fx.Provide(
		openSQLite,
		fx.Annotate(sqlite.NewUsers, fx.As(new(application.Users))),
		fx.Annotate(sqlite.NewTickets, fx.As(new(application.Tickets))),
		fx.Annotate(sqlite.NewSessions, fx.As(new(application.Sessions))),
		fx.Annotate(sqlite.NewEventLog, fx.As(new(application.EventLog))),
		fx.Annotate(sqlite.NewLinkTokens, fx.As(new(application.LinkTokens))),
		fx.Annotate(sqlite.NewAPITokens, fx.As(new(application.APITokens))),
		fx.Annotate(sqlite.NewOutbox, fx.As(new(application.Outbox)), fx.As(new(application.Deliveries))),
		// One process owns an SQLite file: it may always poll Telegram.
		func() application.PollLock { return application.LocalPollLock{} },
	),
)

// postgresModule binds the PostgreSQL adapters to the storage ports.
var postgresModule = fx.Module("postgres",
	fx.Provide(
		openPostgres,
		fx.Annotate(postgres.NewUsers, fx.As(new(application.Users))),
		fx.Annotate(postgres.NewTickets, fx.As(new(application.Tickets))),
		fx.Annotate(postgres.NewSessions, fx.As(new(application.Sessions))),
		fx.Annotate(postgres.NewEventLog, fx.As(new(application.EventLog))),
		fx.Annotate(postgres.NewLinkTokens, fx.As(new(application.LinkTokens))),
		fx.Annotate(postgres.NewAPITokens, fx.As(new(application.APITokens))),
		fx.Annotate(postgres.NewOutbox, fx.As(new(application.Outbox)), fx.As(new(application.Deliveries))),
		// Replicas share the database: an advisory lock elects the poller.
		func(c Config) application.PollLock { return postgres.NewPollLock(c.Database.DSN) },
	),
)

func openSQLite(lc fx.Lifecycle, c Config) (*Storage, *sqlx.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	db, err := sqlite.Open(ctx, c.Database.DSN)
	if err != nil {
		return nil, nil, fmt.Errorf("open SQLite database %s (CRM_DATABASE_URL): %w", c.Database.DSN, err)
	}
	lc.Append(fx.StopHook(db.Close))
	s := &Storage{DB: db, Dialect: "sqlite", up: sqlite.MigrateUp, down: sqlite.MigrateDown, version: sqlite.MigrationVersion}
	return s, db, nil
}

func openPostgres(lc fx.Lifecycle, c Config) (*Storage, *sqlx.DB, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, c.Database.DSN)
	if err != nil {
		return nil, nil, fmt.Errorf("open PostgreSQL (CRM_DATABASE_URL): %w", err)
	}
	lc.Append(fx.StopHook(db.Close))
	s := &Storage{DB: db, Dialect: "postgres", up: postgres.MigrateUp, down: postgres.MigrateDown, version: postgres.MigrationVersion}
	return s, db, nil
}
