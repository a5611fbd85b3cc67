// Package sqlite implements the application's storage ports on SQLite
// through modernc.org/sqlite (pure Go, no cgo) and sqlx.
//
// Times are stored as INTEGER unix microseconds in UTC, so they round-trip
// exactly at the precision every adapter keeps. Every transaction that
// writes starts with BEGIN IMMEDIATE, so writers queue on SQLite's lock
// (under busy_timeout) instead of failing with SQLITE_BUSY when a read
// transaction tries to become a write one.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// busyTimeout is how long a writer waits for another one before SQLite
// gives up with SQLITE_BUSY.
const busyTimeout = 30 * time.Second

// Open opens (creating it if need be) the SQLite database at path, with WAL
// journaling, foreign keys, synchronous=NORMAL, a busy timeout and
// IMMEDIATE write transactions on every connection, and checks that it
// answers. path is a file name; it must not be ":memory:", since every
// connection of the pool would see its own empty database.
func Open(ctx context.Context, path string) (*sqlx.DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open sqlite: need a file, got %q", path)
	}
	params := "_txlock=immediate" +
		fmt.Sprintf("&_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()) +
		"&_pragma=journal_mode(WAL)" +
		"&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)"
	sep := "?"
	if strings.ContainsRune(path, '?') {
		sep = "&"
	}
	db, err := sqlx.Open("sqlite", path+sep+params)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	// Readers run side by side under WAL; writers take turns on the write
	// lock. A few connections are plenty for an embedded database.
	n := max(4, runtime.GOMAXPROCS(0))
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// inTx runs fn in a write transaction (BEGIN IMMEDIATE) and commits it. An
// error from fn rolls back and is returned as is; otherwise the commit's
// error is returned.
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

// inReadTx runs fn in a read-only (deferred) transaction, so that the
// queries it makes see one snapshot.
func inReadTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, &sql.TxOptions{ReadOnly: true})
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

// isUniqueViolation reports whether err is a UNIQUE constraint failure on
// column (e.g. "users.username_key").
func isUniqueViolation(err error, column string) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE &&
		strings.Contains(se.Error(), column)
}

// toMicros is the stored form of a time: unix microseconds, UTC.
func toMicros(t time.Time) int64 { return t.UnixMicro() }

// fromMicros reads a stored time back.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// likePattern matches query anywhere in a lower-cased column, taking % and
// _ in query literally (ESCAPE '\').
func likePattern(query string) string {
	escaped := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(query))
	return "%" + escaped + "%"
}

// nullID stores 0 (no id) as NULL.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

// placeholders returns "?, ?, ?" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// filter collects the conditions of a WHERE clause and their arguments.
type filter struct {
	conds []string
	args  []any
}

// add appends a condition in which each "?" stands for one of args.
func (f *filter) add(cond string, args ...any) {
	f.conds = append(f.conds, cond)
	f.args = append(f.args, args...)
}

// arg adds one argument without a condition and returns its placeholder.
func (f *filter) arg(a any) string {
	f.args = append(f.args, a)
	return "?"
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
