// Package bench measures the real application — the `crm` binary built
// from this module and run as `crm serve`, real storage, real HTTP over
// keep-alive connections — loaded with `crm demo --tickets N --users M`,
// and compares each page with the bare net/http limit measured beside it.
// It holds benchmarks and one quick smoke test; the tests of `go test ./...`
// never assert timings. Run the benchmarks with
//
//	go test -run '^$' -bench . ./test/bench/
//
// (PostgreSQL too when CRM_TEST_POSTGRES_URL is set), or test/bench/run.sh,
// whose header shows runs at 1,000 to 1,000,000 tickets.
package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crm/bootstrap"
)

// Knobs of a benchmark run, after -args: go test -bench . ./test/bench/ -args -load.tickets=2000
var (
	loadTickets = flag.Int("load.tickets", 10000, "tickets `crm demo` loads before measuring")
	loadUsers   = flag.Int("load.users", 200, "people `crm demo` makes to own those tickets")
	loadReuse   reuseFlag
	clients     = flag.Int("clients", 32, "parallel clients (connections) of the read benchmarks")
	// The searches' defaults are terms `crm demo` puts in a known share of
	// its tickets.
	searchCommon = flag.String("search.common", bootstrap.DemoCommonTerm, "a search that matches many tickets")
	searchPrefix = flag.String("search.prefix", bootstrap.DemoPrefixTerm, "a search that matches some tickets by a word's prefix")
	searchRare   = flag.String("search.rare", bootstrap.DemoRareTerm, "a search that matches very few tickets")
)

func init() {
	flag.Var(&loadReuse, "load.reuse", "a database to keep across runs, `sqlite:PATH or postgres://URL` "+
		"(once per dialect): loaded on the first run, used as it is by later ones (PostgreSQL: created if missing)")
}

// BenchmarkApp starts the application once per database, loads it
// (-load.tickets from -load.users, or -load.reuse) and measures each page
// and action over HTTP, each preceded by the bare limit (NAME/bare). Those
// that write run after those that only read. Pick some with -bench, e.g.
// -bench 'App/sqlite/Search'; the loading happens anyway.
func BenchmarkApp(b *testing.B) {
	for _, db := range databases {
		b.Run(db.name, func(b *testing.B) {
			srv := startServer(b, db.location(b), setup{tickets: *loadTickets, users: *loadUsers})
			runAll(b, srv)
		})
	}
}

func runAll(b *testing.B, srv *server) {
	b.Run("Memory/after-load", func(b *testing.B) { reportMemory(b, srv) })
	for _, sc := range scenarios(srv) {
		stop := func() {}
		if sc.during != nil {
			stop = sc.during()
		}
		srv.page(b, sc.name, sc.clients, sc.fn, sc.then...)
		stop()
	}
	b.Run("Memory/after-run", func(b *testing.B) { reportMemory(b, srv) })
	if n, _ := srv.logs.counts(); n > 0 {
		b.Logf("the server logged %d warnings or errors; the first: %q", n, srv.logs.firstProblems())
	}
}

// scenario is one page or action measured.
type scenario struct {
	name    string
	clients int
	fn      op
	then    []func(*testing.B, round) // more figures of a round
	// during, when set, starts what runs beside the benchmark (and its
	// bare round) and returns what stops it.
	during func() (stop func())
}

// scenarios are the pages and actions measured, in order: those that
// write after those that only read.
func scenarios(srv *server) []scenario {
	n := *clients
	sc := []scenario{
		{name: "Healthz", clients: n, fn: healthz},
		{name: "ListMyTickets", clients: n, fn: listMyTickets},
		{name: "ShowTicket", clients: n, fn: showTicket},
		{name: "Queue", clients: n, fn: queue(nil)},
		{name: "Queue/status=open", clients: n, fn: queue(url.Values{"status": {"open"}})},
		{name: "Queue/status=closed,type=repair", clients: n, fn: queue(url.Values{"status": {"closed"}, "type": {"repair"}})},
		{name: "Search/common", clients: n, fn: queue(url.Values{"q": {*searchCommon}})},
		{name: "Search/prefix", clients: n, fn: queue(url.Values{"q": {*searchPrefix}})},
		{name: "Search/rare", clients: n, fn: queue(url.Values{"q": {*searchRare}})},
	}
	// Logins hash with the production argon2id parameters. They are bound
	// by hashing, which takes turns on GOMAXPROCS−1 cores: more clients
	// would only queue (and, past CRM_HASH_QUEUE, be refused).
	sc = append(sc, scenario{name: "Login", clients: runtime.GOMAXPROCS(0), fn: logIn})
	// The same logins, each from an address of its own, while one address
	// floods the login form with wrong passwords for unknown users from 40
	// clients: the flood must not take the hashing from real logins.
	sc = append(sc, scenario{name: "Login/under-flood", clients: runtime.GOMAXPROCS(0), fn: logIn,
		during: func() func() { return srv.app.flood(40, floodAddr) }})
	// Writers: one at a time, then many at once. On SQLite they queue for
	// the one write lock; a "database is locked" would answer 500, count
	// in errors and in locked.
	for _, c := range []int{1, 32} {
		sc = append(sc, scenario{name: "SubmitTicket/clients=" + strconv.Itoa(c), clients: c, fn: submit,
			then: []func(*testing.B, round){srv.reportLocked}})
	}
	// A busy desk: one request in four submits a ticket, the others read
	// a list or a ticket; reads and writes are reported apart.
	return append(sc, scenario{name: "Mixed/clients=32", clients: 32, fn: mixed,
		then: []func(*testing.B, round){srv.reportMixed}})
}

// page measures fn from clients clients as the benchmark name, right after
// name/bare: the same requests from the same clients to the bare server
// mimicking the page's answers (probed once before). Besides measure's
// figures it reports the page's throughput as a percentage of the bare
// one's last round (pct-of-bare), that rate (bare-req/s), the CPU time
// stolen from the machine during it (bare-steal-pct) and the mean size of
// the page's answers (page-B); then adds figures of its own.
func (s *server) page(b *testing.B, name string, clients int, fn op, then ...func(*testing.B, round)) {
	var (
		seen      *answers
		bare      float64
		bareSteal = -1.0
	)
	b.Run(name+"/bare", func(b *testing.B) {
		if seen == nil {
			var err error
			if seen, err = s.probe(fn); err != nil {
				b.Fatal(err)
			}
			s.bare.mimic(seen)
		}
		r := s.measureOn(b, s.bare.target, clients, fn)
		bare, bareSteal = r.rate, r.steal
	})
	b.Run(name, func(b *testing.B) {
		r := s.measure(b, clients, fn)
		if bare > 0 {
			b.ReportMetric(100*r.rate/bare, "pct-of-bare")
			b.ReportMetric(bare, "bare-req/s")
		}
		if bareSteal >= 0 {
			b.ReportMetric(bareSteal, "bare-steal-pct")
		}
		if seen != nil {
			b.ReportMetric(seen.size(), "page-B")
		}
		for _, f := range then {
			f(b, r)
		}
	})
}

// The requests measured. Each one's answer must have the status a browser
// expects.

// healthz is an answer without session, storage or template.
func healthz(w *worker) error {
	res, err := w.get("", "/healthz")
	return expect(res, err, http.StatusOK)
}

// listMyTickets opens the first page of the worker's /tickets.
func listMyTickets(w *worker) error {
	res, err := w.get(w.me.cookie, "/tickets")
	return expect(res, err, http.StatusOK)
}

// showTicket opens one of the worker's tickets, in turn.
func showTicket(w *worker) error {
	ids := w.me.tickets
	res, err := w.get(w.me.cookie, "/tickets/"+strconv.FormatInt(ids[w.n%len(ids)], 10))
	return expect(res, err, http.StatusOK)
}

// queue opens the first page of the staff queue with filters (nil: none;
// q searches).
func queue(filters url.Values) op {
	path := "/admin/tickets"
	if len(filters) > 0 {
		path += "?" + filters.Encode()
	}
	return func(w *worker) error {
		res, err := w.get(w.srv.staff.cookie, path)
		return expect(res, err, http.StatusOK)
	}
}

// floodAddr is the flood benchmark's one address (a documentation range).
const floodAddr = "203.0.113.66"

// flood sends wrong passwords for unknown users from addr, from n clients,
// until the returned function is called.
func (t *target) flood(n int, addr string) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			form := url.Values{"username": {fmt.Sprintf("nobody_%d", i)}, "password": {"wrong-password-1"}}
			for ctx.Err() == nil {
				req, err := t.formRequest(ctx, "/login", form)
				if err != nil {
					return
				}
				req.Header.Set("X-Forwarded-For", addr)
				_, _ = t.do(req, "", io.Discard) // 401 or 429: either is the flood's lot
			}
		})
	}
	return func() {
		cancel()
		wg.Wait()
	}
}

// logIn logs in as benchLogin, each time from a new client address (as
// many people logging in would); each login starts a new session.
func logIn(w *worker) error {
	form := url.Values{"username": {benchLogin}, "password": {benchPassword}}
	res, err := w.to.postFrom(nextAddr(), "", "/login", form)
	return expect(res, err, http.StatusSeeOther)
}

// ticketSeq numbers the tickets the benchmarks submit.
var ticketSeq atomic.Int64

// submit files a ticket as the worker's person.
func submit(w *worker) error {
	n := ticketSeq.Add(1)
	types := [...]string{"consultation", "repair", "service"}
	res, err := w.post(w.me.cookie, "/tickets", url.Values{
		"title": {"Benchmark ticket " + strconv.FormatInt(n, 10)},
		"text":  {"The printer on the third floor jams on every second page; request " + strconv.FormatInt(n, 10) + "."},
		"type":  {types[n%3]},
	})
	return expect(res, err, http.StatusSeeOther)
}

// mixed is one request of a busy desk: a submission every fourth request,
// otherwise a list or a ticket. It keeps read and write latencies apart.
func mixed(w *worker) error {
	t0 := time.Now()
	var err error
	switch w.n % 4 {
	case 0:
		err = submit(w)
		w.writes = append(w.writes, time.Since(t0))
	case 1:
		err = listMyTickets(w)
		w.reads = append(w.reads, time.Since(t0))
	default:
		err = showTicket(w)
		w.reads = append(w.reads, time.Since(t0))
	}
	return err
}

// reportLocked reports how many "database is locked" (SQLITE_BUSY) errors
// the server logged during every round of b so far.
func (s *server) reportLocked(b *testing.B, _ round) {
	_, locked := s.logs.counts()
	b.ReportMetric(float64(locked-s.tally(b).lockedAtStart), "locked")
}

// reportMixed reports, of a round of mixed, the percentiles of reads and
// writes apart, writes/s and lock failures.
func (s *server) reportMixed(b *testing.B, r round) {
	var reads, writes latencies
	for _, w := range r.workers {
		reads.d = append(reads.d, w.reads...)
		writes.d = append(writes.d, w.writes...)
	}
	reads.reportPercentiles(b, "read-")
	writes.reportPercentiles(b, "write-")
	if el := b.Elapsed(); el > 0 {
		b.ReportMetric(float64(len(writes.d))/el.Seconds(), "writes/s")
	}
	s.reportLocked(b, r)
}

// reportMemory reports the server process's resident memory now and at
// its peak, the time it took to start, the load time (0 when a reused
// database was not loaded) and the tickets loaded. Its ns/op is the time
// to read /proc.
func reportMemory(b *testing.B, srv *server) {
	var rss, peak uint64
	for b.Loop() {
		rss, peak = srv.proc.memory()
	}
	b.ReportMetric(mb(rss), "rss-MB")
	b.ReportMetric(mb(peak), "rsspeak-MB")
	b.ReportMetric(srv.startTime.Seconds(), "start-s")
	b.ReportMetric(srv.loadTime.Seconds(), "load-s")
	b.ReportMetric(float64(srv.tickets), "tickets")
	load := fmt.Sprintf("loaded %d tickets from %d people in %s", srv.tickets, *loadUsers, srv.loadTime.Round(time.Millisecond))
	if !srv.loaded {
		load = fmt.Sprintf("reused %s with %d tickets, not loaded", srv.where, srv.tickets)
	}
	b.Logf("server RSS %.1f MB (peak %.1f MB); started in %s; %s",
		mb(rss), mb(peak), srv.startTime.Round(time.Millisecond), load)
}
