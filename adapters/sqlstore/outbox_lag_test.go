package sqlstore_test

import (
	"testing"

	"crm/adapters/sqlstore"
	"crm/test/contract"
	"crm/test/dbtest"
)

// TestOutboxLagContract runs the OldestPendingAt contract against the SQL
// Outbox on SQLite and on PostgreSQL.
func TestOutboxLagContract(t *testing.T) {
	t.Parallel()
	store := func(st *sqlstore.Store) contract.Store {
		return contract.Store{Users: sqlstore.NewUsers(st), Tickets: sqlstore.NewTickets(st),
			Events: sqlstore.NewEventLog(st), Outbox: sqlstore.NewOutbox(st)}
	}
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		contract.OutboxLag(t, func(t *testing.T) contract.Store {
			return store(sqlstore.New(dbtest.SQLite(t), sqlstore.SQLite))
		})
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := dbtest.Postgres(t)
		contract.OutboxLag(t, func(t *testing.T) contract.Store {
			dbtest.Truncate(t, db)
			return store(sqlstore.New(db, sqlstore.Postgres))
		})
	})
}
