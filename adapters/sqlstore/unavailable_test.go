package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlite"
	"crm/application"
	"crm/domain"
)

func TestPostgresUnavailableErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, refused := pgconn.Connect(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	require.Error(t, refused)

	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"connection refused", refused, true},
		{"connection lost", &pgconn.PgError{Code: "08006"}, true},
		{"server shutting down", fmt.Errorf("select: %w", &pgconn.PgError{Code: "57P01"}), true},
		{"server starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"disk full", &pgconn.PgError{Code: "53100"}, true},
		{"too many connections", &pgconn.PgError{Code: "53300"}, true},
		{"read-only transaction (a standby)", &pgconn.PgError{Code: "25006"}, true},
		{"lock timeout", &pgconn.PgError{Code: "55P03"}, true},
		{"a network error", &net.OpError{Op: "read", Err: errors.New("reset")}, true},
		{"a closed connection", pgconn.ErrConnClosed, true},
		{"a bad connection", driver.ErrBadConn, true},
		{"a connection cut short", io.ErrUnexpectedEOF, true},
		{"unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"NUL in text", &pgconn.PgError{Code: "22021"}, false},
		{"syntax error", &pgconn.PgError{Code: "42601"}, false},
		{"no rows", sql.ErrNoRows, false},
		{"a domain error", domain.ErrTicketNotFound, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Postgres.unavailable(c.err), "%v", c.err)
		})
	}
}

// A read-only SQLite database: writes fail with an error the store marks
// unavailable, reads work, and Ready says it cannot take writes.
func TestSQLiteReadOnlyIsUnavailableForWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	require.NoError(t, sqlite.MigrateUp(db))
	s := New(db, SQLite)
	require.NoError(t, s.Ready(t.Context()), "a writable database is ready")
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	u, err := domain.NewUser("alice", "hash", domain.RoleUser, now)
	require.NoError(t, err)
	require.NoError(t, NewUsers(s).Add(t.Context(), u))
	require.NoError(t, db.Close())

	for _, dsn := range []string{"file:" + path + "?mode=ro", path + "?_pragma=query_only(1)"} {
		t.Run(dsn, func(t *testing.T) {
			db, err := sqlite.Open(t.Context(), dsn)
			require.NoError(t, err)
			t.Cleanup(func() { _ = db.Close() })
			s := New(db, SQLite)
			users := NewUsers(s)

			err = s.Ready(t.Context())
			assert.ErrorIs(t, err, application.ErrStorageUnavailable, "%v", err)

			got, err := users.GetByUsername(t.Context(), "alice")
			require.NoError(t, err, "reads are served")
			assert.Equal(t, "alice", got.Username())

			bob, err := domain.NewUser("bob", "hash", domain.RoleUser, now)
			require.NoError(t, err)
			err = users.Add(t.Context(), bob)
			assert.ErrorIs(t, err, application.ErrStorageUnavailable, "%v", err)

			_, err = users.GetByUsername(t.Context(), "nobody")
			assert.ErrorIs(t, err, domain.ErrUserNotFound, "not found stays not found")
			assert.NotErrorIs(t, err, application.ErrStorageUnavailable)
		})
	}
}

func TestSQLiteUnavailableCodes(t *testing.T) {
	// A unique violation is the caller's mistake, not an outage.
	path := filepath.Join(t.TempDir(), "crm.db")
	db, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	t.Cleanup(func() { _ = db.Close() })
	require.NoError(t, sqlite.MigrateUp(db))
	s := New(db, SQLite)
	users := NewUsers(s)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 2 {
		u, err := domain.NewUser("same", "hash", domain.RoleUser, now)
		require.NoError(t, err)
		err = users.Add(t.Context(), u)
		assert.NotErrorIs(t, err, application.ErrStorageUnavailable)
	}
	assert.False(t, SQLite.unavailable(sql.ErrNoRows))
	assert.False(t, SQLite.unavailable(errors.New("anything")))
}
