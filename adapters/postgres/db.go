// Package postgres implements the application's storage ports on
// PostgreSQL through pgx/v5's database/sql driver and sqlx.
//
// Times are timestamptz, written truncated to microseconds (PostgreSQL's
// precision; it would round otherwise) and read back in UTC. Update locks
// the row with SELECT … FOR UPDATE, so concurrent updates of one aggregate
// take turns and none is lost.
package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/jmoiron/sqlx"
)

// Pool limits.
const (
	maxOpenConns    = 20
	maxIdleConns    = 10
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

// inTx runs fn in a transaction and commits it. An error from fn rolls back
// and is returned as is; otherwise the commit's error is returned.
func inTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit; covers a panic in fn
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inReadTx runs fn in a read-only REPEATABLE READ transaction, so that the
// queries it makes see one snapshot.
func inReadTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit read: %w", err)
	}
	return nil
}

// isUniqueViolation reports whether err is a unique violation (23505) of
// the named constraint.
func isUniqueViolation(err error, constraint string) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == constraint
}

// ts is the stored form of a time: UTC, whole microseconds.
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// likePattern matches query anywhere in a lower-cased column, taking % and
// _ in query literally (ESCAPE '\').
func likePattern(query string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(query))
	return "%" + escaped + "%"
}

// nullID stores 0 (no id) as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// filter collects the conditions of a WHERE clause and their arguments,
// numbering the placeholders $1, $2, … in order.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition in which each "?" stands for one of args.
func (f *filter) add(cond string, args ...any) {
	for _, a := range args {
		f.args = append(f.args, a)
		cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(f.args)), 1)
	}
	f.conds = append(f.conds, cond)
}

// arg adds one argument without a condition and returns its placeholder.
func (f *filter) arg(a any) string {
	f.args = append(f.args, a)
	return fmt.Sprintf("$%d", len(f.args))
}

// where returns the WHERE clause, or "" when there is no condition.
func (f *filter) where() string {
	if len(f.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(f.conds, " AND ")
}

// clone returns an independent copy of f, to add conditions to.
func (f *filter) clone() *filter {
	return &filter{conds: append([]string(nil), f.conds...), args: append([]any(nil), f.args...)}
}
