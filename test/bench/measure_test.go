package bench

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// worker is one client of a benchmark, acting as one of the logged-in
// people.
type worker struct {
	srv  *server
	to   *target // the application, or the bare server
	id   int
	me   session
	n    int // requests made so far
	errs int // answers other than the expected one
	// reads and writes are latencies an op sorts by kind itself (the mixed
	// benchmark); measure keeps every request's latency anyway.
	reads, writes []time.Duration
}

func (w *worker) get(cookie, path string) (*http.Response, error) { return w.to.get(cookie, path) }

func (w *worker) post(cookie, path string, form url.Values) (*http.Response, error) {
	return w.to.post(cookie, path, form)
}

// op is one request of a benchmark; an error is an unexpected answer.
type op func(w *worker) error

// tally is what one benchmark saw over all its rounds (the testing package
// calls a benchmark function several times, raising b.N), so that a
// failure during the ramp-up is not lost.
type tally struct {
	requests, errors int
	lockedAtStart    int
}

// tally returns the tally of the benchmark b is a round of.
func (s *server) tally(b *testing.B) *tally {
	s.talliesMu.Lock()
	defer s.talliesMu.Unlock()
	if s.tallies == nil {
		s.tallies = map[string]*tally{}
	}
	t := s.tallies[b.Name()]
	if t == nil {
		_, locked := s.logs.counts()
		t = &tally{lockedAtStart: locked}
		s.tallies[b.Name()] = t
	}
	return t
}

// round is what one round of a benchmark measured.
type round struct {
	rate    float64 // requests per second
	steal   float64 // the machine's CPU time stolen, per cent (stealPct)
	workers []*worker
}

// measure makes b.N requests (fn) to the application from exactly clients
// goroutines, each with a keep-alive connection of its own, and reports
// besides ns/op (wall time per request): req/s, p50/p95/p99 latency in ms
// of this round, the clients, the server's CPU time per request
// (srvcpu-us/op), on PostgreSQL its backends' (dbcpu-us/op, see dbCPU),
// the time its queries waited for a free database connection per request
// (poolwait-us/op, from its /metrics),
// resident memory at the end (rss-MB), and errors:
// answers other than the expected one in every round of this benchmark
// (the first is logged).
func (s *server) measure(b *testing.B, clients int, fn op) round {
	var backends map[int]time.Duration
	if s.db != nil {
		backends = s.db.sample()
	}
	wait := s.app.poolWait()
	cpu := s.proc.cpu()
	r := s.measureOn(b, s.app, clients, fn)
	if b.N > 0 {
		b.ReportMetric(float64((s.app.poolWait()-wait).Microseconds())/float64(b.N), "poolwait-us/op")
		b.ReportMetric(float64((s.proc.cpu()-cpu).Microseconds())/float64(b.N), "srvcpu-us/op")
		if s.db != nil {
			b.ReportMetric(float64(s.db.since(backends).Microseconds())/float64(b.N), "dbcpu-us/op")
		}
	}
	if rss, _ := s.proc.memory(); rss > 0 {
		b.ReportMetric(mb(rss), "rss-MB")
	}
	return r
}

// measureOn is measure against to, the application or the bare server,
// without the server's figures.
func (s *server) measureOn(b *testing.B, to *target, clients int, fn op) round {
	var (
		next    atomic.Int64
		first   atomic.Value
		wg      sync.WaitGroup
		workers = make([]*worker, clients)
		lat     = make([][]time.Duration, clients)
		total   = int64(b.N)
	)
	for i := range workers {
		workers[i] = &worker{srv: s, to: to, id: i, me: s.users[i%len(s.users)]}
		lat[i] = make([]time.Duration, 0, b.N/clients+1)
	}
	cpuBefore, cpuKnown := readCPUTimes()
	b.ResetTimer()
	start := time.Now()
	for i, w := range workers {
		wg.Go(func() {
			for next.Add(1) <= total {
				t0 := time.Now()
				err := fn(w)
				lat[i] = append(lat[i], time.Since(t0))
				w.n++
				if err != nil {
					w.errs++
					first.CompareAndSwap(nil, err.Error())
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	steal := -1.0
	if cpuAfter, ok := readCPUTimes(); ok && cpuKnown {
		steal = stealPct(cpuBefore, cpuAfter)
	}

	t := s.tally(b)
	var all latencies
	for i, w := range workers {
		t.requests += w.n
		t.errors += w.errs
		all.d = append(all.d, lat[i]...)
	}
	rate := float64(len(all.d)) / elapsed.Seconds()
	b.ReportMetric(rate, "req/s")
	all.reportPercentiles(b, "")
	b.ReportMetric(float64(clients), "clients")
	b.ReportMetric(float64(t.errors), "errors")
	if steal >= 0 {
		b.ReportMetric(steal, "steal-pct")
	}
	if e := first.Load(); e != nil {
		b.Logf("%d of %d requests failed in all rounds; first of this round: %s", t.errors, t.requests, e)
	}
	return round{rate: rate, steal: steal, workers: workers}
}

// latencies are per-request durations.
type latencies struct{ d []time.Duration }

// percentile returns the q-quantile (0 < q ≤ 1) by the nearest-rank method.
func (l *latencies) percentile(q float64) time.Duration {
	if len(l.d) == 0 {
		return 0
	}
	slices.Sort(l.d)
	i := int(math.Ceil(q*float64(len(l.d)))) - 1
	return l.d[max(0, min(i, len(l.d)-1))]
}

// reportPercentiles reports p50/p95/p99 in ms, their units prefixed.
func (l *latencies) reportPercentiles(b *testing.B, prefix string) {
	for _, p := range []struct {
		q    float64
		unit string
	}{{0.50, "p50-ms"}, {0.95, "p95-ms"}, {0.99, "p99-ms"}} {
		b.ReportMetric(float64(l.percentile(p.q).Microseconds())/1000, prefix+p.unit)
	}
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
