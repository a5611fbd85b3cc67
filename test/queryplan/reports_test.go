package queryplan

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/sqlstore"
)

// checkReportQueries fails unless the report reads the aggregates its
// triggers keep (report_days, report_durations), never the tickets: a
// month is a range of their primary keys, and a year no more than those
// small tables.
func checkReportQueries(t *testing.T, db *sqlx.DB) {
	st := sqlstore.New(db, sqlstore.Postgres)
	t.Cleanup(func() { _ = st.Close() })
	reports := sqlstore.NewReports(st)
	var ran capture
	st.OnQuery(ran.add)
	today := time.Now().UTC().Truncate(24 * time.Hour)

	for _, period := range []struct {
		name  string
		days  int
		keyed bool // must read the aggregates by key range
	}{{"a month", 30, true}, {"a year", 366, false}} {
		t.Run(period.name, func(t *testing.T) {
			ran.reset()
			f, err := reports.ReportFigures(t.Context(), today.AddDate(0, 0, 1-period.days), today)
			require.NoError(t, err)
			assert.NotEmpty(t, f.Days, "the load made tickets in the period")
			queries := ran.take()
			require.Len(t, queries, 3)
			for _, q := range queries {
				plan := explain(t, db, q)
				t.Logf("%s\n  plan: %s", oneLine(q.text), plan.shape())
				assert.Empty(t, plan.seqScans("tickets", false), "no report reads the tickets")
				if period.keyed {
					// (report_durations, empty here: the load records no
					// responses, is read alike by its key (day, …).)
					assert.Empty(t, plan.seqScans("report_days", false), "a month is a key range of report_days")
				}
			}
		})
	}
}

// explain plans q as the store runs it: a prepared statement, planned for
// its arguments.
func explain(t *testing.T, db *sqlx.DB, q query) node {
	t.Helper()
	ctx := t.Context()
	conn, err := db.Connx(ctx)
	require.NoError(t, err)
	defer func() { _ = conn.Close() }()
	_, err = conn.ExecContext(ctx, "PREPARE planned AS "+q.text)
	require.NoError(t, err, q.text)
	defer func() { _, _ = conn.ExecContext(context.WithoutCancel(ctx), "DEALLOCATE planned") }()
	var out string
	require.NoError(t, conn.GetContext(ctx, &out, "EXPLAIN (FORMAT JSON) EXECUTE planned"+literals(t, q.args)))
	var plans []struct {
		Plan node `json:"Plan"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &plans))
	require.Len(t, plans, 1)
	return plans[0].Plan
}
