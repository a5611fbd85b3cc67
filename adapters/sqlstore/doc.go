// Package sqlstore implements the application's storage ports once, in SQL
// that SQLite and PostgreSQL both run. Every query is written here, with
// "?" placeholders, and rebound to the dialect's form when it is first
// prepared.
//
// What truly differs between the two databases is one value of type
// Dialect per database (dialect_sqlite.go, dialect_postgres.go): the
// placeholder style, how a time is stored, row locking, the outbox claim,
// full-text search and the error codes. Opening a database, its pragmas or
// pool, its migrations, LISTEN/NOTIFY and the poller's advisory lock stay in
// adapters/sqlite and adapters/postgres.
//
// Statements are prepared once per query text and reused (database/sql
// keeps one prepared copy per connection); a single read runs without an
// explicit transaction; every write runs in one transaction with the events
// it records (the transactional outbox).
package sqlstore
