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

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
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
	db, err := sqlx.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
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
