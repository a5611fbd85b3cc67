// Package migrations holds the SQL migrations of both dialects, embedded, in
// golang-migrate's file naming (NNNN_name.up.sql / NNNN_name.down.sql). The
// storage adapters apply them; every version exists in both dialects.
package migrations

import "embed"

// SQLite holds the migrations for SQLite, under "sqlite".
//
//go:embed sqlite/*.sql
var SQLite embed.FS

// Postgres holds the migrations for PostgreSQL, under "postgres".
//
//go:embed postgres/*.sql
var Postgres embed.FS
