package sqlstore

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jmoiron/sqlx"
)

// Postgres is the dialect of PostgreSQL through pgx. Times are timestamptz,
// written in UTC truncated to microseconds (PostgreSQL would round). Rows
// an update reads are locked (FOR UPDATE) and the outbox claim skips rows
// another replica holds. Search reads the table of words ticket_words
// or the GIN-indexed tsvector column search_vector, generated from the
// search text (see postgresSearch).
var Postgres = &Dialect{
	Name:         "postgres",
	bindType:     sqlx.DOLLAR,
	encodeTime:   func(t time.Time) any { return t.UTC().Truncate(time.Microsecond) },
	lockRow:      " FOR UPDATE",
	lockKeyShare: " FOR NO KEY UPDATE",
	skipLocked:   " FOR UPDATE OF d SKIP LOCKED",
	pendingOrder: "",
	readTx:       &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead},
	uniqueViolation: func(err error) string {
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "23505" {
			return ""
		}
		return pe.ConstraintName
	},
	unavailable: postgresUnavailable,
	constraints: map[string]string{
		"users.username":      "users_username_key_unique",
		"users.telegram_chat": "users_telegram_chat_id_unique",
	},
	searchTickets: postgresSearch,
	bulkInsert:    copyTickets,
	// Each backend does its load's share of the work (index upkeep, the
	// triggers' counts and word index) on a CPU of its own; two batches at
	// once stored 200,000 tickets in 29 s against 41 s one at a time on 2
	// CPUs. Two loads' triggers update their count rows in one order
	// (ORDER BY the key), so the second waits for the first's commit, no
	// deadlock.
	bulkWriters: 2,
	addTicket:   addTicketAtOnce,
	// The whole database, so that no table a load writes can be missed;
	// what the connecting role may not vacuum (the catalogs it does not
	// own) PostgreSQL skips with a warning.
	afterBulkLoad: []string{`VACUUM (ANALYZE)`},
	// pgx runs such a statement as PostgreSQL's unnamed statement, whose
	// plan is made for the arguments of each run, in the same one round
	// trip as a prepared one (its description is cached). A named
	// prepared statement may switch to a generic plan after five runs
	// (plan_cache_mode auto): right for the fixed statements, wrong for
	// a filter whose best index depends on its values, or a search for a
	// rare word (see planEachRunMark).
	planEachRun: []any{pgx.QueryExecModeCacheDescribe},
}

// postgresUnavailable reports whether err says PostgreSQL cannot serve
// requests now: no connection (refused, lost, closed, failed to open), a
// server shutting down or starting up (57P01–57P03), out of resources
// (class 53: disk full, too many connections), a read-only database or
// standby (25006), a disk error (58030), or a statement that waited past
// its timeout for a lock (55P03) or altogether (57014).
func postgresUnavailable(err error) bool {
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), strings.HasPrefix(pe.Code, "53"), strings.HasPrefix(pe.Code, "57P"):
			return true
		}
		switch pe.Code {
		case "25006", "58030", "55P03", "57014":
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, pgconn.ErrConnClosed) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, sql.ErrConnDone) || errors.Is(err, io.ErrUnexpectedEOF)
}
