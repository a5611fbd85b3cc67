package bench

import (
	"bytes"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// worker is one client of a parallel benchmark: a goroutine of
// b.RunParallel, acting as one of the logged-in people.
type worker struct {
	srv  *server
	id   int
	me   session
	n    int // requests made so far
	errs int // answers other than the expected one
	// reads and writes are latencies an op sorts by kind itself (the mixed
	// benchmark); measure keeps every request's latency anyway.
	reads, writes []time.Duration
}

// op is one request of a benchmark; an error is an unexpected answer.
type op func(w *worker) error

// defaultClients is the -clients flag, or GOMAXPROCS (b.RunParallel's
// default).
func defaultClients() int {
	if *readClients > 0 {
		return *readClients
	}
	return runtime.GOMAXPROCS(0)
}

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

// measure runs fn from clients parallel clients (rounded up to a multiple
// of GOMAXPROCS, as b.RunParallel starts goroutines) and reports, besides
// ns/op (wall time per request): req/s and p50/p95/p99 latency in ms of
// this round, the clients, and errors: answers other than the expected one
// in every round of this benchmark (the first is logged). It returns the
// round's workers with what fn kept in them.
func (s *server) measure(b *testing.B, clients int, fn op) []*worker {
	procs := runtime.GOMAXPROCS(0)
	par := (clients + procs - 1) / procs
	b.SetParallelism(par)
	var (
		mu      sync.Mutex
		all     latencies
		workers []*worker
		first   atomic.Value
		nextID  atomic.Int64
	)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		id := int(nextID.Add(1) - 1)
		w := &worker{srv: s, id: id, me: s.users[id%len(s.users)]}
		lat := make([]time.Duration, 0, 256)
		for pb.Next() {
			t0 := time.Now()
			err := fn(w)
			lat = append(lat, time.Since(t0))
			w.n++
			if err != nil {
				w.errs++
				first.CompareAndSwap(nil, err.Error())
			}
		}
		mu.Lock()
		all.d = append(all.d, lat...)
		workers = append(workers, w)
		mu.Unlock()
	})
	b.StopTimer()

	t := s.tally(b)
	for _, w := range workers {
		t.requests += w.n
		t.errors += w.errs
	}
	all.report(b)
	b.ReportMetric(float64(par*procs), "clients")
	b.ReportMetric(float64(t.errors), "errors")
	if e := first.Load(); e != nil {
		b.Logf("%d of %d requests failed in all rounds; first of this round: %s", t.errors, t.requests, e)
	}
	return workers
}

// reportLocked reports how many "database is locked" (SQLITE_BUSY) errors
// the server logged during every round of b so far.
func (s *server) reportLocked(b *testing.B) {
	_, locked := s.logs.counts()
	b.ReportMetric(float64(locked-s.tally(b).lockedAtStart), "locked")
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

// report adds req/s and the latency percentiles to b's result.
func (l *latencies) report(b *testing.B) {
	if el := b.Elapsed(); el > 0 {
		b.ReportMetric(float64(len(l.d))/el.Seconds(), "req/s")
	}
	l.reportPercentiles(b, "")
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

// logSink is where the server logs: it keeps the first warnings and errors
// and counts SQLite lock failures, so that benchmarks can report them.
type logSink struct {
	mu     sync.Mutex
	kept   []string
	errors int
	locked int
}

// Write takes one record; slog's handlers write a record per call.
func (l *logSink) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if bytes.Contains(p, []byte("level=ERROR")) || bytes.Contains(p, []byte("level=WARN")) {
		l.errors++
		if len(l.kept) < 5 {
			l.kept = append(l.kept, strings.TrimSpace(string(p)))
		}
	}
	if bytes.Contains(p, []byte("database is locked")) || bytes.Contains(p, []byte("SQLITE_BUSY")) {
		l.locked++
	}
	return len(p), nil
}

// counts returns how many warnings and errors, and how many lock failures,
// were logged so far.
func (l *logSink) counts() (errors, locked int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.errors, l.locked
}

// firstProblems returns the first warnings and errors logged.
func (l *logSink) firstProblems() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.kept)
}

// memory is the process's memory, read after a full collection.
type memory struct {
	heapAlloc, heapSys, sys uint64 // runtime.MemStats, bytes
	rss, rssPeak            uint64 // /proc/self/status VmRSS and VmHWM, bytes (0 off Linux)
}

// readMemory collects garbage and reads the runtime's and the kernel's
// figures. The benchmark client lives in the same process; its share is
// small (idle connections and their buffers).
func readMemory() memory {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	m := memory{heapAlloc: ms.HeapAlloc, heapSys: ms.HeapSys, sys: ms.Sys}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return m
	}
	for _, line := range strings.Split(string(status), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseUint(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			m.rss = kb << 10
		case "VmHWM:":
			m.rssPeak = kb << 10
		}
	}
	return m
}

func mb(n uint64) float64 { return float64(n) / (1 << 20) }
