package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gate is a handler whose requests report that they started, then wait
// until the test lets the request of their method and path go on, then
// write an answer.
type gate struct {
	started chan string // the path of each request whose handler runs
	mu      sync.Mutex
	proceed map[string]chan struct{} // by method and path
}

func newGate() *gate {
	return &gate{started: make(chan string, 16), proceed: map[string]chan struct{}{}}
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.started <- r.URL.Path
	<-g.turn(r.Method, r.URL.Path)
	_, _ = w.Write([]byte("ok"))
}

// turn is the channel on which the request of method and path waits.
func (g *gate) turn(method, path string) chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	k := method + " " + path
	if g.proceed[k] == nil {
		g.proceed[k] = make(chan struct{})
	}
	return g.proceed[k]
}

// let lets the running request of method and path answer.
func (g *gate) let(method, path string) { g.turn(method, path) <- struct{}{} }

// waitStarted returns the path of the next request whose handler ran.
func (g *gate) waitStarted(t *testing.T) string {
	t.Helper()
	select {
	case p := <-g.started:
		return p
	case <-time.After(10 * time.Second):
		t.Fatal("no handler started")
		return ""
	}
}

// notStarted fails t if a handler is running that the test has not seen.
func (g *gate) notStarted(t *testing.T) {
	t.Helper()
	select {
	case p := <-g.started:
		t.Fatalf("%s ran although every slot was taken", p)
	default:
	}
}

// serve runs h for a GET of path in a goroutine; the returned channel is
// closed when the answer is complete.
func serve(h http.Handler, method, path string) (*httptest.ResponseRecorder, chan struct{}) {
	return serveCtx(context.Background(), h, method, path)
}

func serveCtx(ctx context.Context, h http.Handler, method, path string) (*httptest.ResponseRecorder, chan struct{}) {
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		h.ServeHTTP(rec, httptest.NewRequestWithContext(ctx, method, path, nil))
	}()
	return rec, done
}

// waitQueued waits until n requests wait for a slot of a.
func waitQueued(t *testing.T, a *admission, n int) {
	t.Helper()
	require.Eventually(t, func() bool { return a.waiting() == n }, 10*time.Second, time.Millisecond,
		"%d requests waiting for a slot", n)
}

func TestReadsBeyondTheLimitWaitAndRunInTheOrderTheyCame(t *testing.T) {
	a := newAdmission(1)
	g := newGate()
	h := a.limit(g)

	_, first := serve(h, http.MethodGet, "/first")
	assert.Equal(t, "/first", g.waitStarted(t))
	var done []chan struct{}
	for _, p := range []string{"/second", "/third", "/fourth"} {
		_, d := serve(h, http.MethodGet, p)
		done = append(done, d)
		waitQueued(t, a, len(done)) // each waits before the next comes
	}
	g.notStarted(t)

	// Each answer frees the slot for the one that came next.
	g.let(http.MethodGet, "/first")
	<-first
	for i, want := range []string{"/second", "/third", "/fourth"} {
		assert.Equal(t, want, g.waitStarted(t))
		g.notStarted(t)
		g.let(http.MethodGet, want)
		<-done[i]
	}
}

func TestPostsProbesAndTheLiveStreamDoNotWaitForASlot(t *testing.T) {
	a := newAdmission(1)
	g := newGate()
	h := a.limit(g)

	_, held := serve(h, http.MethodGet, "/tickets")
	require.Equal(t, "/tickets", g.waitStarted(t))
	for _, r := range []struct{ method, path string }{
		{http.MethodPost, "/tickets"}, {http.MethodGet, "/events"}, {http.MethodGet, "/healthz"},
		{http.MethodGet, "/readyz"}, {http.MethodGet, "/metrics"},
	} {
		_, d := serve(h, r.method, r.path)
		assert.Equal(t, r.path, g.waitStarted(t), "%s %s runs while the slot is held", r.method, r.path)
		g.let(r.method, r.path)
		<-d
	}
	// A HEAD is a read like a GET.
	_, head := serve(h, http.MethodHead, "/tickets")
	waitQueued(t, a, 1)
	g.notStarted(t)
	g.let(http.MethodGet, "/tickets")
	<-held
	assert.Equal(t, "/tickets", g.waitStarted(t))
	g.let(http.MethodHead, "/tickets")
	<-head
}

func TestAReadGivesItsSlotBackWhenItStartsAnswering(t *testing.T) {
	a := newAdmission(1)
	wrote := make(chan struct{})
	finish := make(chan struct{})
	streaming := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/export.csv" {
			_, _ = w.Write([]byte("id\n")) // the first bytes of a long answer
			close(wrote)
			<-finish
			return
		}
		_, _ = w.Write([]byte("page"))
	})
	h := a.limit(streaming)

	_, export := serve(h, http.MethodGet, "/export.csv")
	<-wrote
	rec, page := serve(h, http.MethodGet, "/tickets")
	select {
	case <-page:
	case <-time.After(10 * time.Second):
		t.Fatal("a page waited for an answer already being written")
	}
	assert.Equal(t, "page", rec.Body.String())
	close(finish)
	<-export
	assert.Equal(t, 0, a.inUse(), "every slot given back")
}

func TestAReadWhoseClientLeavesWhileWaitingDoesNotRun(t *testing.T) {
	a := newAdmission(1)
	g := newGate()
	h := a.limit(g)

	_, held := serve(h, http.MethodGet, "/tickets")
	require.Equal(t, "/tickets", g.waitStarted(t))
	ctx, cancel := context.WithCancel(context.Background())
	rec, gone := serveCtx(ctx, h, http.MethodGet, "/gone")
	waitQueued(t, a, 1)
	cancel()
	<-gone
	assert.Empty(t, rec.Body.String(), "nothing answered to a client that left")
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code, "not counted as served")

	g.let(http.MethodGet, "/tickets")
	<-held
	g.notStarted(t)
	assert.Equal(t, 0, a.inUse(), "the slot is free again")
}

func TestASlotIsGivenBackWhenTheHandlerAnswersNothingOrPanics(t *testing.T) {
	a := newAdmission(1)
	h := a.limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/panic" {
			panic(http.ErrAbortHandler)
		}
	}))
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() { _ = recover() }()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/panic", nil))
	})
	wg.Wait()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/empty", nil))
	assert.Equal(t, 0, a.inUse())
}

func TestNoLimitBelowOneSlot(t *testing.T) {
	a := newAdmission(0)
	assert.Nil(t, a)
	g := newGate()
	h := a.limit(g)
	// Both run at once: neither waits for the other.
	_, first := serve(h, http.MethodGet, "/first")
	_, second := serve(h, http.MethodGet, "/second")
	assert.ElementsMatch(t, []string{"/first", "/second"}, []string{g.waitStarted(t), g.waitStarted(t)})
	g.let(http.MethodGet, "/first")
	g.let(http.MethodGet, "/second")
	<-first
	<-second
}
