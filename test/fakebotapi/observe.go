package fakebotapi

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// Sent returns a copy of all messages accepted by sendMessage, in order.
func (s *Server) Sent() []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SentMessage(nil), s.sent...)
}

// SentTo returns the accepted messages sent to chatID, in order.
func (s *Server) SentTo(chatID int64) []SentMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SentMessage
	for _, m := range s.sent {
		if m.ChatID == chatID {
			out = append(out, m)
		}
	}
	return out
}

// Count429 returns how many requests the server answered with 429 because
// of its own flood limits (failures injected with FailNext are not counted).
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count429
}

// Requests returns how many requests for method (case-insensitive) the
// server received, whatever the answer (including 401, injected failures and
// 502s while down).
func (s *Server) Requests(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[strings.ToLower(method)]
}

// Conflicts returns how many getUpdates calls were answered 409 because
// another getUpdates call was in flight at the same time.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conflicts
}

// MaxConcurrentPolls returns the largest number of getUpdates calls observed
// in flight at the same time (rejected ones included), so a value above 1
// means two pollers overlapped.
func (s *Server) MaxConcurrentPolls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxPolls
}

// ActivePolls returns the number of getUpdates calls currently in flight.
// Use it with WaitUntil to wait until a poller is parked in a long poll.
func (s *Server) ActivePolls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.polls
}

// Webhook returns the registered webhook URL and secret token; both are
// empty when no webhook is set.
func (s *Server) Webhook() (url, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhookURL, s.webhookSecret
}

// WaitUntil blocks until cond returns true, failing tb if that does not
// happen within timeout. cond is evaluated now and again after every change
// of the server's state (request received or answered, message accepted,
// update pushed, ...), never by polling. cond may call Server methods. what
// describes the condition in the failure message.
func (s *Server) WaitUntil(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	if !s.wait(timeout, cond) {
		tb.Fatalf("fakebotapi: timed out after %v waiting until %s", timeout, what)
	}
}

// WaitForSent waits until at least n messages were accepted by sendMessage
// and returns all accepted messages. It fails tb, listing what was sent, if
// that does not happen within timeout.
func (s *Server) WaitForSent(tb testing.TB, n int, timeout time.Duration) []SentMessage {
	tb.Helper()
	ok := s.wait(timeout, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return len(s.sent) >= n
	})
	sent := s.Sent()
	if !ok {
		var b strings.Builder
		for i, m := range sent {
			fmt.Fprintf(&b, "\n  %d. chat %d: %q", i+1, m.ChatID, m.Text)
		}
		s.mu.Lock()
		reqs, limited := s.requests["sendmessage"], s.count429
		s.mu.Unlock()
		tb.Fatalf("fakebotapi: timed out after %v waiting for %d sent message(s); "+
			"got %d (sendMessage requests: %d, rate-limited: %d)%s",
			timeout, n, len(sent), reqs, limited, b.String())
	}
	return sent
}

// WaitForRequests waits until the server received at least n requests for
// method, failing tb on timeout.
func (s *Server) WaitForRequests(tb testing.TB, method string, n int, timeout time.Duration) {
	tb.Helper()
	if !s.wait(timeout, func() bool { return s.Requests(method) >= n }) {
		tb.Fatalf("fakebotapi: timed out after %v waiting for %d %s request(s); got %d",
			timeout, n, method, s.Requests(method))
	}
}

// wait reports whether cond became true within timeout.
func (s *Server) wait(timeout time.Duration, cond func() bool) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		// Take the channel before evaluating cond, so no change is missed.
		s.mu.Lock()
		changed := s.changed
		s.mu.Unlock()
		if cond() {
			return true
		}
		select {
		case <-changed:
		case <-timer.C:
			return cond()
		}
	}
}

// broadcastLocked wakes everybody waiting for a state change. s.mu must be
// held.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}
