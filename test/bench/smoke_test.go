package bench

import (
	"path/filepath"
	"testing"
)

// TestHarness checks, in a second or so, that the harness still drives the
// application: it starts on a small SQLite database and every request the
// benchmarks make gets the answer they expect. It measures nothing.
func TestHarness(t *testing.T) {
	srv := startServer(t, "sqlite:"+filepath.Join(t.TempDir(), "crm.db"),
		setup{tickets: 60, users: 3, bcryptCost: "4"})
	ops := map[string]op{
		"healthz": healthz, "list my tickets": listMyTickets, "show ticket": showTicket,
		"queue": queue, "login": logIn(4), "submit": submit, "mixed": mixed,
	}
	for _, s := range searches {
		ops["search "+s.name] = search(s.q)
	}
	for name, fn := range ops {
		t.Run(name, func(t *testing.T) {
			w := &worker{srv: srv, me: srv.users[0]}
			for range 4 { // mixed goes round its kinds
				if err := fn(w); err != nil {
					t.Fatal(err)
				}
				w.n++
			}
		})
	}
	if n, _ := srv.logs.counts(); n > 0 {
		t.Errorf("the server logged %d warnings or errors: %q", n, srv.logs.firstProblems())
	}
}
