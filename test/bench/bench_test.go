package bench

import (
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkApp starts the application once per database, loads it
// (-load.tickets from -load.users) and measures each page and action over
// HTTP. Those that write run after those that only read. Pick some with
// -bench, e.g. -bench 'App/sqlite/Search'; the loading happens anyway.
func BenchmarkApp(b *testing.B) {
	for _, db := range databases {
		b.Run(db.name, func(b *testing.B) {
			srv := startServer(b, db.url(b), setup{tickets: *loadTickets, users: *loadUsers})
			b.Logf("%s: loaded %d tickets from %d users in %s", db.name, *loadTickets, *loadUsers,
				srv.loadTime.Round(time.Millisecond))
			runAll(b, srv)
		})
	}
}

func runAll(b *testing.B, srv *server) {
	clients := defaultClients()

	b.Run("Memory/after-load", func(b *testing.B) { reportMemory(b, srv) })

	b.Run("Healthz", func(b *testing.B) { srv.measure(b, clients, healthz) })
	b.Run("ListMyTickets", func(b *testing.B) { srv.measure(b, clients, listMyTickets) })
	b.Run("ShowTicket", func(b *testing.B) { srv.measure(b, clients, showTicket) })
	b.Run("Queue", func(b *testing.B) { srv.measure(b, clients, queue) })
	for _, s := range searches {
		b.Run("Search/"+s.name, func(b *testing.B) { srv.measure(b, clients, search(s.q)) })
	}
	// The server's CRM_BCRYPT_COST is the production default, 11; bcrypt
	// checks a password at the cost stored in its hash, so bench_cost4
	// shows what a login costs besides the hashing.
	for _, cost := range []int{11, 4} {
		b.Run("Login/cost="+strconv.Itoa(cost), func(b *testing.B) { srv.measure(b, clients, logIn(cost)) })
	}

	b.Run("SubmitTicket", func(b *testing.B) {
		srv.measure(b, clients, submit)
		srv.reportLocked(b)
	})
	// Many writers at once: on SQLite they queue for the one write lock; a
	// "database is locked" would answer 500, count in errors and in locked.
	b.Run("SubmitTicket/clients=32", func(b *testing.B) {
		srv.measure(b, 32, submit)
		srv.reportLocked(b)
	})
	// A busy desk: one request in four submits a ticket, the others read
	// a list or a ticket; reads and writes are reported apart.
	b.Run("Mixed/clients=32", func(b *testing.B) { srv.measureMixed(b, 32) })

	b.Run("Memory/after-run", func(b *testing.B) { reportMemory(b, srv) })

	if n, _ := srv.logs.counts(); n > 0 {
		b.Logf("the server logged %d warnings or errors; the first: %q", n, srv.logs.firstProblems())
	}
}

// The requests measured. Each one's answer must have the status a browser
// expects.

// healthz is the floor: an answer without session, storage or template.
func healthz(w *worker) error {
	res, err := w.srv.get("", "/healthz")
	return expect(res, err, http.StatusOK)
}

// listMyTickets opens the first page of the worker's /tickets.
func listMyTickets(w *worker) error {
	res, err := w.srv.get(w.me.cookie, "/tickets")
	return expect(res, err, http.StatusOK)
}

// showTicket opens one of the worker's tickets, in turn.
func showTicket(w *worker) error {
	ids := w.me.tickets
	res, err := w.srv.get(w.me.cookie, "/tickets/"+strconv.FormatInt(ids[w.n%len(ids)], 10))
	return expect(res, err, http.StatusOK)
}

// queue opens the first page of the staff queue, unfiltered.
func queue(w *worker) error {
	res, err := w.srv.get(w.srv.staff.cookie, "/admin/tickets")
	return expect(res, err, http.StatusOK)
}

// searches are the queue searches measured: one that every load ticket
// matches (the page fills from the newest rows; the counts per status still
// read every ticket) and one that a single ticket matches (the page and the
// counts read every ticket).
var searches = []struct{ name, q string }{
	{"common", "synthetic request"},
	{"rare", "number 4242 from"},
}

// search searches the staff queue for q.
func search(q string) op {
	path := "/admin/tickets?" + url.Values{"q": {q}}.Encode()
	return func(w *worker) error {
		res, err := w.srv.get(w.srv.staff.cookie, path)
		return expect(res, err, http.StatusOK)
	}
}

// logIn logs in as bench_cost<cost>, whose hash was made at that cost; each
// login starts a new session.
func logIn(cost int) op {
	form := url.Values{"username": {"bench_cost" + strconv.Itoa(cost)}, "password": {benchPassword}}
	return func(w *worker) error {
		res, err := w.srv.post("", "/login", form)
		return expect(res, err, http.StatusSeeOther)
	}
}

// ticketSeq numbers the tickets the benchmarks submit.
var ticketSeq atomic.Int64

// submit files a ticket as the worker's person.
func submit(w *worker) error {
	n := ticketSeq.Add(1)
	types := [...]string{"consultation", "repair", "service"}
	res, err := w.srv.post(w.me.cookie, "/tickets", url.Values{
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

// measureMixed measures mixed from clients clients and reports, besides
// measure's figures, the percentiles of reads and writes apart, writes/s
// and lock failures.
func (s *server) measureMixed(b *testing.B, clients int) {
	workers := s.measure(b, clients, mixed)
	var reads, writes latencies
	for _, w := range workers {
		reads.d = append(reads.d, w.reads...)
		writes.d = append(writes.d, w.writes...)
	}
	reads.reportPercentiles(b, "read-")
	writes.reportPercentiles(b, "write-")
	if el := b.Elapsed(); el > 0 {
		b.ReportMetric(float64(len(writes.d))/el.Seconds(), "writes/s")
	}
	s.reportLocked(b)
}

// reportMemory reports the process's memory after a full collection (the
// server's, with the small share of the benchmark client in the same
// process) and the load time. Its ns/op is the time of a forced full
// collection.
func reportMemory(b *testing.B, srv *server) {
	for b.Loop() {
		runtime.GC()
	}
	m := readMemory()
	b.ReportMetric(mb(m.heapAlloc), "heap-MB")
	b.ReportMetric(mb(m.heapSys), "heapsys-MB")
	b.ReportMetric(mb(m.sys), "sys-MB")
	if m.rss > 0 {
		b.ReportMetric(mb(m.rss), "rss-MB")
		b.ReportMetric(mb(m.rssPeak), "rsspeak-MB")
	}
	b.ReportMetric(srv.loadTime.Seconds(), "load-s")
	b.Logf("heap %.1f MB (from the OS %.1f MB), runtime total %.1f MB, RSS %.1f MB (peak %.1f MB); "+
		"load %s (crm demo %s, tickets %s)",
		mb(m.heapAlloc), mb(m.heapSys), mb(m.sys), mb(m.rss), mb(m.rssPeak), srv.loadTime.Round(time.Millisecond),
		srv.usersTime.Round(time.Millisecond), (srv.loadTime - srv.usersTime).Round(time.Millisecond))
}
