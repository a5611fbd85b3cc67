package sqlite

import (
	"sync"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// statementJournalSpill is how large a statement journal grows in memory
// before SQLite moves it to a temporary file (SQLite's default: 64 KiB).
//
// The store commits the writes that wait for the write lock together, each
// under a savepoint of its own, and a savepoint journals every page its
// write changes: a new ticket touches a few dozen (the table's and its
// indexes' last leaves, the full-text index), which passed 64 KiB within
// the first writes of a batch, after which every page went to a temporary
// file, one pwrite each. That had cost an eighth of the server's CPU under
// 32 writers, in the one goroutine that holds the write lock. 16 MiB holds
// a batch of 64 writes several times over; a statement that changes more
// (a migration rewriting a table) still spills, so memory stays bounded.
const statementJournalSpill = 16 << 20

var configureOnce sync.Once

// configure sets SQLite's process-wide options. sqlite3_config works only
// before SQLite initializes, which its first connection does: it runs
// before the first Open, and later calls do nothing. Should another
// package have opened a connection first, the default stands (slower, not
// wrong).
func configure() {
	configureOnce.Do(func() {
		tls := libc.NewTLS()
		defer tls.Close()
		args := libc.Xmalloc(tls, 8)
		if args == 0 {
			return
		}
		defer libc.Xfree(tls, args)
		_ = sqlite3.Xsqlite3_config(tls, sqlite3.SQLITE_CONFIG_STMTJRNL_SPILL, libc.VaList(args, int32(statementJournalSpill)))
	})
}
