package contract_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/test/contract"
	"crm/test/dbtest"
)

// What outbox_test.go still uses until its suite moves into the package,
// as the other suites did, and the adapters run it with contract.Run.

type (
	telegramStore   = contract.Store
	telegramFactory = contract.Factory
)

var tgBase = time.Date(2024, 5, 1, 10, 0, 0, 987654321, time.UTC)

func tgAt(minutes int) time.Time { return tgBase.Add(time.Duration(minutes) * time.Minute) }

func tgMicro(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func tgUser(t *testing.T, s telegramStore, name string, role domain.Role) *domain.User {
	t.Helper()
	u, err := domain.NewUser(name, "hash", role, tgBase)
	require.NoError(t, err)
	require.NoError(t, s.Users.Add(t.Context(), u))
	return u
}

func forEachBackend(t *testing.T, suite func(t *testing.T, newStore contract.Factory)) {
	sql := func(st *sqlstore.Store) contract.Store {
		return contract.Store{Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st), Outbox: sqlstore.NewOutbox(st)}
	}
	t.Run("memory", func(t *testing.T) {
		t.Parallel()
		suite(t, func(t *testing.T) contract.Store {
			s := memory.NewStore()
			return contract.Store{Users: s.Users, Tickets: s.Tickets, Outbox: memory.NewOutbox(s.Events)}
		})
	})
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		suite(t, func(t *testing.T) contract.Store { return sql(sqlstore.New(dbtest.SQLite(t), sqlstore.SQLite)) })
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := dbtest.Postgres(t)
		suite(t, func(t *testing.T) contract.Store {
			dbtest.Truncate(t, db)
			return sql(sqlstore.New(db, sqlstore.Postgres))
		})
	})
}
