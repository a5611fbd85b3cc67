package bootstrap

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"go.uber.org/fx"

	"crm/adapters/postgres"
	"crm/adapters/sqlite"
	"crm/adapters/sqlstore"
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

// storageModule binds the SQL store to the storage ports, over the
// configured database: the embedded SQLite file or PostgreSQL.
func storageModule(c Config) fx.Option {
	open, pollLock := openSQLite, func(Config) application.PollLock {
		// One process owns an SQLite file: it may always poll Telegram.
		return application.LocalPollLock{}
	}
	if c.Database.Dialect == "postgres" {
		// Replicas share the database: an advisory lock elects the poller.
		open, pollLock = openPostgres, func(c Config) application.PollLock { return postgres.NewPollLock(c.Database.DSN) }
	}
	return fx.Module("storage",
		fx.Provide(
			open,
			newStore,
			fx.Annotate(sqlstore.NewUsers, fx.As(new(application.Users))),
			fx.Annotate(sqlstore.NewTickets, fx.As(new(application.Tickets))),
			fx.Annotate(sqlstore.NewAttachments, fx.As(new(application.Attachments))),
			fx.Annotate(sqlstore.NewFiles, fx.As(new(application.Files))),
			fx.Annotate(sqlstore.NewSessions, fx.As(new(application.Sessions))),
			fx.Annotate(sqlstore.NewEventLog, fx.As(new(application.EventLog))),
			fx.Annotate(sqlstore.NewLinkTokens, fx.As(new(application.LinkTokens))),
			fx.Annotate(sqlstore.NewBotChats, fx.As(new(application.BotChats))),
			fx.Annotate(sqlstore.NewAPITokens, fx.As(new(application.APITokens))),
			fx.Annotate(sqlstore.NewPasswordResets, fx.As(new(application.PasswordResets))),
			fx.Annotate(sqlstore.NewSavedReplies, fx.As(new(application.SavedReplies))),
			fx.Annotate(sqlstore.NewReports, fx.As(new(application.Reports))),
			fx.Annotate(sqlstore.NewOutbox, fx.As(new(application.Outbox)), fx.As(new(application.Deliveries))),
			fx.Annotate(sqlstore.NewSLAPolicies, fx.As(new(application.SLAPolicies))),
			pollLock,
		),
	)
}

// newStore is the SQL store over the opened database, in its dialect.
func newStore(lc fx.Lifecycle, s *Storage) *sqlstore.Store {
	d := sqlstore.SQLite
	if s.Dialect == "postgres" {
		d = sqlstore.Postgres
	}
	st := sqlstore.New(s.DB, d)
	lc.Append(fx.StopHook(st.Close))
	return st
}

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
