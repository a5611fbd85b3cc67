package bench

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// bareServer is the limit a page is compared with: a plain net/http
// server in the harness process that answers every request with a static
// page of the size the application's answer had, without session, storage
// or template. The load generator drives it with the same requests at the
// same concurrency as the page.
type bareServer struct {
	*target
	page atomic.Pointer[mimicry]
}

// startBare starts a bare server on a free port; it stops when tb ends.
func startBare(tb testing.TB) *bareServer {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	b := &bareServer{target: newTarget("http://" + ln.Addr().String())}
	hs := &http.Server{Handler: b, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(ln) }()
	tb.Cleanup(func() {
		b.client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	})
	return b
}

// ServeHTTP answers with what the application answered to a request of
// the same method (mimic).
func (b *bareServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	m := b.page.Load()
	a := m.byMethod[r.Method]
	if a == nil {
		http.Error(w, "the bare server mimics no "+r.Method, http.StatusNotImplemented)
		return
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	h["Content-Length"] = a.length
	w.WriteHeader(a.status)
	_, _ = w.Write(a.body)
}

// mimic makes the bare server answer like seen.
func (b *bareServer) mimic(seen *answers) { b.page.Store(seen.mimicry()) }

// answers are the application's answers to a page's requests, seen by
// the probe.
type answers struct {
	byMethod map[string]*seenAnswer
}

type seenAnswer struct {
	status       int
	header       http.Header
	bytes, count int64
}

func (a *answers) add(method string, res *http.Response, n int64) {
	if a.byMethod == nil {
		a.byMethod = map[string]*seenAnswer{}
	}
	s := a.byMethod[method]
	if s == nil {
		s = &seenAnswer{}
		a.byMethod[method] = s
	}
	s.status, s.header = res.StatusCode, res.Header.Clone()
	s.bytes += n
	s.count++
}

// size returns the mean body size over every answer seen, in bytes.
func (a *answers) size() float64 {
	var bytes, count int64
	for _, s := range a.byMethod {
		bytes, count = bytes+s.bytes, count+s.count
	}
	if count == 0 {
		return 0
	}
	return float64(bytes) / float64(count)
}

// mimicry is what the bare server answers: per method, the last status and
// headers seen (but Date and Content-Length, which net/http writes) and a
// body of the mean size seen.
type mimicry struct {
	byMethod map[string]*bareAnswer
}

type bareAnswer struct {
	status int
	header http.Header
	length []string
	body   []byte
}

func (a *answers) mimicry() *mimicry {
	m := &mimicry{byMethod: map[string]*bareAnswer{}}
	for method, s := range a.byMethod {
		h := s.header.Clone()
		h.Del("Date")
		h.Del("Content-Length")
		h.Del("Transfer-Encoding")
		n := int(s.bytes / s.count)
		body := bytes.Repeat([]byte("<p>bare net/http</p>\n"), n/21+1)[:n]
		m.byMethod[method] = &bareAnswer{status: s.status, header: h, length: []string{strconv.Itoa(n)}, body: body}
	}
	return m
}

// probeCalls is how many times probe calls an op: four covers the kinds of
// the mixed one.
const probeCalls = 4

// probe calls fn a few times against the application, as the first client,
// and returns its answers.
func (s *server) probe(fn op) (*answers, error) {
	seen := &answers{}
	t := *s.app
	t.seen = seen
	w := &worker{srv: s, to: &t, me: s.users[0]}
	for range probeCalls {
		if err := fn(w); err != nil {
			return nil, err
		}
		w.n++
	}
	if len(seen.byMethod) == 0 {
		return nil, errors.New("probe: the op made no request")
	}
	return seen, nil
}
