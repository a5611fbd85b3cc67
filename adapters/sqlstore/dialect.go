package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"crm/domain"
)

// Dialect is what differs between the SQL databases the store runs on:
// SQLite and Postgres are the two there are. Everything else is written
// once, in this package.
type Dialect struct {
	// Name is "sqlite" or "postgres".
	Name string
	// bindType is sqlx's placeholder style (sqlx.QUESTION, sqlx.DOLLAR).
	bindType int
	// encodeTime is the stored form of a time that is not zero (a zero
	// time is stored as NULL).
	encodeTime func(time.Time) any
	// oneWriter: the database runs one write transaction at a time (SQLite).
	// The store then queues its writers in the process, where a waiting
	// writer wakes the moment the last one commits, rather than in the
	// database's busy handler, which sleeps and retries.
	oneWriter bool
	// lockRow ends a SELECT of a row the transaction will update
	// (" FOR UPDATE"); "" where a write transaction already excludes
	// every other writer.
	lockRow string
	// lockKeyShare ends a SELECT of rows that must not change until
	// commit but that new rows may still reference.
	lockKeyShare string
	// skipLocked ends the outbox claim's SELECT: rows another process is
	// claiming are passed over, not waited for.
	skipLocked string
	// beforeCommit is work every write transaction does last, if any.
	beforeCommit *commitWork
	// pendingOrder follows "FROM deliveries x" in the outbox claim's walk
	// over the queues' heads, to make it read the partial index
	// deliveries_pending_order where the planner would not by itself.
	pendingOrder string
	// readTx are the options of a transaction of several reads that must
	// see one snapshot.
	readTx *sql.TxOptions
	// uniqueViolation returns the name the database gives to the unique
	// constraint err violates, "" when err is no unique violation.
	uniqueViolation func(err error) string
	// unavailable reports whether err says the database cannot serve any
	// request now (out of reach, read-only, full, busy past its timeout)
	// rather than that this request is wrong. The store wraps such errors
	// with application.ErrStorageUnavailable.
	unavailable func(err error) bool
	// constraints maps the store's names of unique constraints
	// ("users.username") to the database's.
	constraints map[string]string
	// searchTickets says how to read the tickets t whose search text has
	// a word starting with each of terms: the FROM clause (which may join
	// a search index), the condition and its arguments, and the column to
	// order by, newest first, so that the index hands rows out in page
	// order where it can. It may ask the database (s) which index to read.
	searchTickets func(ctx context.Context, s *Store, terms []string) (ticketSearch, error)
	// planEachRun, when not nil, are the leading arguments that make the
	// driver run a statement unprepared, so that the database plans it
	// for its arguments every time: the statements built from a filter
	// (planEachRunMark). Nil: every statement is prepared (SQLite plans
	// a prepared statement for each run's arguments anyway).
	planEachRun []any
	// bulkInsert, when not nil, is how Tickets.AddMany stores new tickets
	// with their history and comments in one transaction and sets their
	// ids (Postgres: COPY); nil means multi-row INSERTs.
	bulkInsert func(ctx context.Context, s *Store, ts []*domain.Ticket) error
	// bulkWriters is how many AddMany calls a bulk load had best run at
	// once (Tickets.BulkWriters); 0 means one.
	bulkWriters int
	// addTicket, when not nil, may store a new ticket with its events in
	// fewer round trips than Tickets.Add's transaction (Postgres: one
	// statement); it reports false, having done nothing, for a ticket it
	// does not take. It runs outside the write queue and commit work of
	// inTx: a oneWriter dialect, or one with beforeCommit, must not have one.
	addTicket func(ctx context.Context, s *Store, t *domain.Ticket) (bool, error)
	// searchMerge, when not nil, is how Store.MergeSearchIndex merges a
	// full-text index kept in segments (SQLite's FTS5).
	searchMerge *searchMerge
	// afterBulkLoad are statements Store.SettleBulkLoad runs, one by one
	// and outside a transaction, after a bulk load.
	afterBulkLoad []string
}

// ticketSearch is how a search reads tickets; see Dialect.searchTickets.
type ticketSearch struct {
	from, cond string
	args       []any
	// newest orders the matches newest first (an ORDER BY list, with its
	// direction); before, a condition with one argument, keeps those
	// older than the ticket of that id (the pages after the first).
	newest, before string
	// countOrder is the order in which the capped count reads matches
	// ("" for none): see Tickets.countCapped.
	countOrder string
	// countNewest: countOrder reads the newest matches first, those of
	// the first page, so the count may start where that page ends.
	countNewest bool
	// samePlan: with no other filter, the best plan of the search does
	// not depend on its terms, so its queries may run prepared (see
	// planEachRunMark).
	samePlan bool
}

// isUnique reports whether err violates the unique constraint the store
// calls name.
func (d *Dialect) isUnique(err error, name string) bool {
	got := d.uniqueViolation(err)
	return got != "" && got == d.constraints[name]
}

// timeArg is the stored form of t: NULL when t is zero.
func (d *Dialect) timeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.encodeTime(t)
}
