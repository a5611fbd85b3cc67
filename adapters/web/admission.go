package web

import (
	"net/http"
	"runtime"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultReadConcurrency is how many GET and HEAD requests run their
// handlers at once when Options.ReadConcurrency is zero: four per CPU the
// Go runtime uses. A page spends most of its time on the CPU (SQLite runs
// in the process; PostgreSQL answers within a fraction of a millisecond),
// so a few per core keep every core busy while one waits on the database.
var DefaultReadConcurrency = 4 * runtime.GOMAXPROCS(0)

// admission lets at most cap(slots) reads run their handlers at once; the
// others wait in line, first come first served (a goroutine blocked on a
// full channel is woken in the order it came). Under a burst every page
// would run at once and each of its statements wait for a database
// connection, which database/sql hands to a waiting query at random, so
// some pages lose the draw again and again; waiting in line costs the same
// on average and the same for everyone, so the slowest answers come closer
// to the typical one (at a million tickets with 32 clients, p99 5-10 %
// lower on SQLite and 20-25 % on PostgreSQL: README, Figures), and less
// memory is live at once.
//
// Only reads wait: a form post or an upload reads its body inside the
// handler, and a client sending it slowly must not hold a slot. A read
// gives its slot back when it starts writing its answer (a page is written
// from a buffer, once it is complete), so a client that reads its answer
// slowly does not hold one either, and a stream (live events, a CSV
// export, a file) holds it only until its first bytes. Health probes, the
// metrics and the live event stream do not wait at all.
type admission struct {
	slots  chan struct{}
	queued atomic.Int64 // reads waiting for a slot
}

// newAdmission returns an admission of n slots; nil (no limit) for n < 1.
func newAdmission(n int) *admission {
	if n < 1 {
		return nil
	}
	return &admission{slots: make(chan struct{}, n)}
}

// bypasses reports whether r runs without waiting for a slot.
func bypasses(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return true
	}
	switch r.URL.Path {
	case "/events", "/healthz", "/readyz", "/metrics":
		return true
	}
	return false
}

// limit runs next for reads once a slot is free. A read whose client goes
// away while it waits is dropped: nobody would read its answer. It is
// answered 503 all the same, so that the request log and the metrics do
// not count it as served.
func (a *admission) limit(next http.Handler) http.Handler {
	if a == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bypasses(r) {
			next.ServeHTTP(w, r)
			return
		}
		a.queued.Add(1)
		select {
		case a.slots <- struct{}{}:
			a.queued.Add(-1)
		case <-r.Context().Done():
			a.queued.Add(-1)
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		sw := &slotWriter{ResponseWriter: w, slots: a.slots}
		defer sw.release()
		next.ServeHTTP(sw, r)
	})
}

// collectors report how many reads wait for a slot
// (crm_http_reads_waiting) and how many slots there are
// (crm_http_read_slots); without a limit, no reads wait and slots are 0.
func (a *admission) collectors() []prometheus.Collector {
	slots := 0
	if a != nil {
		slots = cap(a.slots)
	}
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "crm_http_reads_waiting",
			Help: "GET requests waiting for a free slot (CRM_READ_CONCURRENCY).",
		}, func() float64 { return float64(a.waiting()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "crm_http_read_slots",
			Help: "GET requests that may run at once (CRM_READ_CONCURRENCY); 0: no limit.",
		}, func() float64 { return float64(slots) }),
	}
}

// waiting returns how many reads wait for a slot now.
func (a *admission) waiting() int {
	if a == nil {
		return 0
	}
	return int(a.queued.Load())
}

// inUse returns how many slots are taken now.
func (a *admission) inUse() int { return len(a.slots) }

// slotWriter gives its request's slot back at the first byte or status
// written, or when the handler returns.
type slotWriter struct {
	http.ResponseWriter
	slots    chan struct{}
	released bool
}

func (s *slotWriter) release() {
	if !s.released {
		s.released = true
		<-s.slots
	}
}

func (s *slotWriter) WriteHeader(code int) {
	s.release()
	s.ResponseWriter.WriteHeader(code)
}

func (s *slotWriter) Write(b []byte) (int, error) {
	s.release()
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (s *slotWriter) Unwrap() http.ResponseWriter { return s.ResponseWriter }
