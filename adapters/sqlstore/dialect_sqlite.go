package sqlstore

import (
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// SQLite is the dialect of modernc.org/sqlite. Times are INTEGER unix
// microseconds in UTC. Write transactions begin IMMEDIATE (the DSN's
// _txlock), so writers take turns and need no row locks. Search reads the
// FTS5 table tickets_fts, kept in step with tickets at commit (see
// sqliteSearch and indexPendingTickets).
var SQLite = &Dialect{
	Name:         "sqlite",
	bindType:     sqlx.QUESTION,
	encodeTime:   func(t time.Time) any { return t.UnixMicro() },
	oneWriter:    true,
	lockRow:      "",
	lockKeyShare: "",
	skipLocked:   "",
	pendingOrder: " INDEXED BY deliveries_pending_order",
	beforeCommit: indexPendingTickets,
	readTx:       &sql.TxOptions{ReadOnly: true},
	uniqueViolation: func(err error) string {
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code() != sqlite3.SQLITE_CONSTRAINT_UNIQUE {
			return ""
		}
		// "constraint failed: UNIQUE constraint failed: users.username_key (2067)"
		_, after, _ := strings.Cut(se.Error(), "UNIQUE constraint failed: ")
		name, _, _ := strings.Cut(after, " ")
		return name
	},
	unavailable: func(err error) bool {
		var se *sqlite.Error
		if !errors.As(err, &se) {
			return false
		}
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_READONLY, // a read-only file, directory or connection
			sqlite3.SQLITE_FULL,     // the disk is full
			sqlite3.SQLITE_BUSY,     // another writer held the lock past busy_timeout
			sqlite3.SQLITE_IOERR,    // the disk failed us
			sqlite3.SQLITE_CANTOPEN: // the file (or its journal) cannot be opened
			return true
		}
		return false
	},
	constraints: map[string]string{
		"users.username":      "users.username_key",
		"users.telegram_chat": "users.telegram_chat_id",
	},
	searchTickets: sqliteSearch,
	bulkInsert:    sqliteBulkInsert,
	searchMerge:   sqliteSearchMerge,
}

// indexPendingTickets brings tickets_fts up to date with the tickets the
// transaction changed, which the triggers noted in tickets_fts_pending
// with the text indexed before (migration 0019): FTS5 writes a segment of
// its index at the end of every savepoint, and indexing at commit makes
// that one a batch of writes instead of one a ticket. A ticket's row in
// tickets_fts has the rowid -id (migration 0025), and they are written in
// ascending rowid order, newest ticket first: FTS5 writes what it holds out
// as a segment whenever a rowid comes lower than the one before, which in
// id order would be a segment a ticket again.
var indexPendingTickets = &commitWork{
	check: `SELECT EXISTS (SELECT 1 FROM tickets_fts_pending)`,
	run: []string{
		`INSERT INTO tickets_fts (tickets_fts, rowid, search)
			SELECT 'delete', -id, old_search FROM tickets_fts_pending WHERE old_search IS NOT NULL
			ORDER BY id DESC`,
		`INSERT INTO tickets_fts (rowid, search)
			SELECT -t.id, t.search FROM tickets_fts_pending p JOIN tickets t ON t.id = p.id
			ORDER BY p.id DESC`,
		`DELETE FROM tickets_fts_pending`,
	},
}
