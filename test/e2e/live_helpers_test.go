package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// liveWait is how long a test waits for an event it expects. Events leave
// within milliseconds; the margin is for a loaded test machine.
const liveWait = 5 * time.Second

// sseEvent is one Server-Sent Event as a browser's EventSource sees it.
type sseEvent struct {
	ID    int64
	Event string
	Data  string
}

// ticketID is the ticket_id of the event's data, 0 when none.
func (e sseEvent) ticketID() int64 {
	var d struct {
		TicketID int64 `json:"ticket_id"`
	}
	_ = json.Unmarshal([]byte(e.Data), &d)
	return d.TicketID
}

// sseStream is an open GET /events of one browser, read in the
// background; every event it brought is kept, in order.
type sseStream struct {
	t      *testing.T
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	events []sseEvent
	wake   chan struct{}
}

// openEvents opens path (GET /events…) with the browser's cookies and the
// given Last-Event-ID (0: none), and fails unless it is a 200 stream. The
// stream closes when the test ends.
func (b *browser) openEvents(path string, lastEventID int64) *sseStream {
	b.t.Helper()
	return openEventsAt(b, b.app.base, path, lastEventID)
}

// openEventsAt is openEvents against the replica at base.
func openEventsAt(b *browser, base, path string, lastEventID int64) *sseStream {
	b.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
	require.NoError(b.t, err)
	req.Header.Set("Accept", "text/event-stream")
	if lastEventID > 0 {
		req.Header.Set("Last-Event-ID", strconv.FormatInt(lastEventID, 10))
	}
	// no Timeout: the stream lasts as long as the test wants it
	client := &http.Client{Jar: b.client.Jar, CheckRedirect: b.client.CheckRedirect}
	res, err := client.Do(req)
	require.NoError(b.t, err)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		_ = res.Body.Close()
		cancel()
		b.t.Fatalf("GET %s: %d %s", path, res.StatusCode, res.Header.Get("Content-Type"))
	}
	s := &sseStream{t: b.t, cancel: cancel, done: make(chan struct{}), wake: make(chan struct{})}
	go func() {
		defer close(s.done)
		defer res.Body.Close()
		sc := bufio.NewScanner(res.Body)
		var e sseEvent
		for sc.Scan() {
			line := sc.Text()
			field, value, _ := strings.Cut(line, ":")
			value = strings.TrimPrefix(value, " ")
			switch {
			case line == "":
				if e.Event != "" || e.Data != "" {
					s.add(e)
				}
				e = sseEvent{}
			case field == "id":
				e.ID, _ = strconv.ParseInt(value, 10, 64)
			case field == "event":
				e.Event = value
			case field == "data":
				e.Data += value
			}
		}
	}()
	b.t.Cleanup(s.close)
	return s
}

func (s *sseStream) add(e sseEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events = append(s.events, e)
	close(s.wake)
	s.wake = make(chan struct{})
}

// close ends the stream and waits for its reader.
func (s *sseStream) close() {
	s.cancel()
	<-s.done
}

// all returns every event so far.
func (s *sseStream) all() []sseEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]sseEvent(nil), s.events...)
}

// waitFor returns the first event that match accepts, waiting up to
// liveWait for it, or fails the test.
func (s *sseStream) waitFor(what string, match func(sseEvent) bool) sseEvent {
	s.t.Helper()
	deadline := time.NewTimer(liveWait)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		for _, e := range s.events {
			if match(e) {
				s.mu.Unlock()
				return e
			}
		}
		wake := s.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-s.done:
			s.t.Fatalf("stream ended before %s; got %v", what, s.all())
		case <-deadline.C:
			s.t.Fatalf("no %s within %s; got %v", what, liveWait, s.all())
		}
	}
}

// about matches an event of kind on ticket id.
func about(kind string, id int64) func(sseEvent) bool {
	return func(e sseEvent) bool { return e.Event == kind && e.ticketID() == id }
}

// eventually polls cond until it holds, or fails the test after liveWait.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(liveWait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, liveWait)
		}
		time.Sleep(20 * time.Millisecond) // a poll interval, not a wait in place of the condition
	}
}
