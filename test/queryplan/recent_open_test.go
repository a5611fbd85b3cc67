package queryplan

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
	"crm/application"
	"crm/domain"
)

// recentOpen is how many open tickets checkRecentOpen puts on top of the
// desk: a busy week's worth, none of them closed yet.
const recentOpen = 20_000

// checkRecentOpen fails when a page of closed repairs, on a desk whose
// newest tickets are all open (as they are on any desk: tickets close
// later), reads the newest tickets one by one looking for closed ones
// instead of reading its index on (status, type, id). The planner, which
// takes matches to be spread evenly, chose that at PostgreSQL's default
// random_page_cost; postgres.Open sets 1.1. The open tickets are added in a
// transaction that is rolled back, so the other checks see the desk as
// loaded.
func checkRecentOpen(t *testing.T, db *sqlx.DB) {
	st := sqlstore.New(db, sqlstore.Postgres)
	t.Cleanup(func() { _ = st.Close() })
	var ran capture
	st.OnQuery(ran.add)
	const limit = 50
	_, err := sqlstore.NewTickets(st).Search(t.Context(), application.TicketFilter{
		Status: domain.StatusClosed, Type: domain.TypeRepair, Page: application.Page{Limit: limit},
	})
	require.NoError(t, err)
	queries := ran.take()
	require.NotEmpty(t, queries)
	page := queries[0] // the page's query; the counts read ticket_counts

	ctx := t.Context()
	conn, err := db.Connx(ctx)
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	tx, err := conn.BeginTxx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	_, err = tx.ExecContext(ctx, `INSERT INTO tickets (owner_id, owner_name, title, text, type, status, search,
			created_at, updated_at)
		SELECT owner_id, owner_name, 'Принтер', 'Замяло бумагу', type, 'open', 'принтер замяло бумагу', now(), now()
		FROM (SELECT owner_id, owner_name, type FROM tickets ORDER BY id LIMIT 1000) o, generate_series(1, $1 / 1000)`,
		recentOpen)
	require.NoError(t, err)
	_, err = tx.ExecContext(ctx, `ANALYZE tickets`)
	require.NoError(t, err)

	_, err = tx.ExecContext(ctx, "PREPARE recent AS "+page.text)
	require.NoError(t, err, page.text)
	var out string
	require.NoError(t, tx.GetContext(ctx, &out, "EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE recent"+literals(t, page.args)))
	var plans []struct {
		Plan node `json:"Plan"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &plans))
	require.Len(t, plans, 1)
	t.Logf("%s\n  args %v\n  plan: %s", oneLine(page.text), page.args, plans[0].Plan.shape())
	read := plans[0].Plan.readFromTickets()
	assert.Less(t, read, float64(10*limit), "rows of tickets read for a page of %d: %s", limit, plans[0].Plan.shape())
	_, _ = tx.ExecContext(context.WithoutCancel(ctx), "DEALLOCATE recent")
}

// readFromTickets is how many rows the scans of tickets in the tree read:
// those they returned and those their filters dropped.
func (n node) readFromTickets() float64 {
	read := 0.0
	if n.Relation == "tickets" {
		read += n.ActualRows + n.RemovedByFilter
	}
	for _, c := range n.Plans {
		read += c.readFromTickets()
	}
	return read
}
