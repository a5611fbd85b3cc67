package sqlstore_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/domain"
	"crm/test/dbtest"
)

// After a bulk load SettleBulkLoad leaves PostgreSQL knowing the loaded
// tickets: the planner's row count is theirs, and their pages are marked
// visible to all (so index-only scans need not visit them), which only a
// vacuum does. On SQLite it does nothing, and fails nothing.
func TestSettleBulkLoad(t *testing.T) {
	t.Parallel()
	load := func(t *testing.T, st *sqlstore.Store) {
		owner := addOwner(t, st, "alice")
		ts := make([]*domain.Ticket, 300)
		for i := range ts {
			var err error
			ts[i], err = domain.NewTicket(owner, fmt.Sprintf("Printer %d", i), "Please help", domain.TypeRepair.String(), ownerAt)
			require.NoError(t, err)
		}
		require.NoError(t, sqlstore.NewTickets(st).AddMany(t.Context(), ts))
	}

	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		db := dbtest.Postgres(t)
		st := sqlstore.New(db, sqlstore.Postgres)
		load(t, st)
		var rows float64
		var pages, visible int
		stats := `SELECT reltuples, relpages, relallvisible FROM pg_class WHERE oid = 'tickets'::regclass`
		require.NoError(t, db.QueryRow(stats).Scan(&rows, &pages, &visible))
		require.Zero(t, visible, "no page is marked visible to all before a vacuum")

		require.NoError(t, st.SettleBulkLoad(t.Context()))
		require.NoError(t, db.QueryRow(stats).Scan(&rows, &pages, &visible))
		assert.Equal(t, float64(300), rows, "the planner's row count")
		assert.Positive(t, pages)
		assert.Equal(t, pages, visible, "pages visible to all")
	})

	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		st := sqlstore.New(dbtest.SQLite(t), sqlstore.SQLite)
		load(t, st)
		require.NoError(t, st.SettleBulkLoad(t.Context()))
	})
}
