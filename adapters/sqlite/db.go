// Package sqlite opens and migrates the embedded SQLite database
// (modernc.org/sqlite: pure Go, no cgo). The storage ports themselves are
// adapters/sqlstore, with its SQLite dialect.
//
// Every transaction that writes starts with BEGIN IMMEDIATE, so writers
// queue on SQLite's lock (under busy_timeout) instead of failing with
// SQLITE_BUSY when a read transaction tries to become a write one.
package sqlite

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// busyTimeout is how long a writer waits for another one before SQLite
// gives up with SQLITE_BUSY.
const busyTimeout = 30 * time.Second

// Connections is how many connections Open's pool keeps: readers run side
// by side under WAL, writers take turns on the write lock, and a few are
// plenty for an embedded database.
func Connections() int { return max(4, runtime.GOMAXPROCS(0)) }

// Open opens (creating it if need be) the SQLite database at path, with WAL
// journaling, foreign keys, synchronous=NORMAL, a busy timeout and
// IMMEDIATE write transactions on every connection, and checks that it
// answers. path is a file name; it must not be ":memory:", since every
// connection of the pool would see its own empty database.
func Open(ctx context.Context, path string) (*sqlx.DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open sqlite: need a file, got %q", path)
	}
	configure()
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
	n := Connections()
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	if err := db.PingContext(ctx); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}
