// Package postgres opens and migrates a PostgreSQL database through pgx/v5's
// database/sql driver and sqlx, and holds what only PostgreSQL does for the
// desk: LISTEN/NOTIFY to wake the dispatchers of every replica, and the
// advisory lock that elects one Telegram poller. The storage ports
// themselves are adapters/sqlstore, with its Postgres dialect.
package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
)

// Pool limits. Every open connection is also kept idle: under load a pool
// that keeps fewer idle than open closes connections after each burst and
// opens them again, each a new backend process on the server. Replicas
// times maxOpenConns must stay under the server's max_connections (100 by
// default).
const (
	maxOpenConns    = 20
	maxIdleConns    = maxOpenConns
	connMaxLifetime = 30 * time.Minute
	connMaxIdleTime = 5 * time.Minute
	pingTimeout     = 10 * time.Second
)

// Open connects to the PostgreSQL database at url (postgres://…), sets the
// pool limits and checks within a few seconds that the database answers.
func Open(ctx context.Context, url string) (*sqlx.DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// PostgreSQL's default plan_cache_mode (auto) lets a prepared
	// statement keep one generic plan once five runs showed it is no
	// worse, which spares planning the fixed statements every page runs
	// (the session, a person's list) on every request. The queries built
	// from a filter, whose best plan depends on the search words or the
	// filter values, are planned for their arguments on every run instead
	// (sqlstore's planEachRunMark).

	// The planner's cost of a random page read: PostgreSQL's default, 4,
	// is a spinning disk's. The desk's tables sit in memory or on SSD, and
	// at 4 the planner read the newest tickets one by one through the
	// primary key for status=closed&type=repair, passing every recent open
	// ticket (4.5 ms at 100,000 tickets with 20,000 open ones on top),
	// rather than the index on status, type and id (0.07 ms).
	if _, set := cfg.RuntimeParams["random_page_cost"]; !set {
		cfg.RuntimeParams["random_page_cost"] = "1.1"
	}
	db := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	db.SetMaxOpenConns(maxOpenConns)
	db.SetMaxIdleConns(maxIdleConns)
	db.SetConnMaxLifetime(connMaxLifetime)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}
