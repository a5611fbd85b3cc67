package bench

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHarness checks, in a few seconds, that the harness still drives the
// application: it builds crm, loads a small database with `crm demo`,
// starts `crm serve`, and every request of every scenario gets the answer
// the benchmarks expect, from the application and from the bare server
// mimicking it. Then it starts again on the same database as -load.reuse
// does, which must skip the load. SQLite always; PostgreSQL with
// CRM_TEST_POSTGRES_URL (required with CRM_TEST_REQUIRE_POSTGRES=1). It
// measures nothing.
func TestHarness(t *testing.T) {
	for _, db := range databases {
		t.Run(db.name, func(t *testing.T) {
			t.Parallel()
			s := setup{tickets: 60, users: 3, argon2Params: "m=64,t=1,p=1"}
			loc := location{url: db.fresh(t)}
			srv := startServer(t, loc, s)
			assert.True(t, srv.loaded, "a fresh database is loaded")
			assert.Positive(t, srv.startTime, "start-up time")

			for _, sc := range scenarios(srv) {
				t.Run(sc.name, func(t *testing.T) {
					seen, err := srv.probe(sc.fn) // the application's answers
					require.NoError(t, err)
					srv.bare.mimic(seen)
					w := &worker{srv: srv, to: srv.bare.target, me: srv.users[0]}
					for range probeCalls {
						require.NoError(t, sc.fn(w), "the bare server")
						w.n++
					}
				})
			}
			rss, peak := srv.proc.memory()
			assert.Positive(t, rss, "the server's RSS")
			assert.GreaterOrEqual(t, peak, rss)
			require.NoError(t, srv.proc.stop())
			n, _ := srv.logs.counts()
			assert.Zero(t, n, "warnings and errors the server logged: %q", srv.logs.firstProblems())

			again := startServer(t, location{url: loc.url, reused: true}, s)
			assert.False(t, again.loaded, "a reused database that holds tickets is not loaded again")
			assert.GreaterOrEqual(t, again.tickets, s.tickets)
		})
	}
}
