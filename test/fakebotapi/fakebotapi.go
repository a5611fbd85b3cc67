// Package fakebotapi provides an in-process fake of the Telegram Bot API for
// tests, built on net/http/httptest.
//
// It speaks the wire protocol used by
// github.com/go-telegram-bot-api/telegram-bot-api/v5, so production code can
// be pointed at it unchanged:
//
//	srv := fakebotapi.New(t)
//	bot, err := tgbotapi.NewBotAPIWithClient(srv.Token(), srv.Endpoint(), srv.Client())
//
// The fake implements getMe, sendMessage, getUpdates (with long polling,
// offsets and 409 conflicts), setWebhook, deleteWebhook and getWebhookInfo,
// enforces Telegram's flood limits for sendMessage (429 with retry_after),
// and supports failure injection (FailNext, BlockChat, SetDown). Any other
// method answers 404 unless a handler was registered with Handle.
//
// All methods of Server are safe for concurrent use.
package fakebotapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Defaults used by New when no Option overrides them.
const (
	// DefaultToken is the bot token accepted by the server.
	DefaultToken = "123456:TEST"
	// DefaultBotUsername is the username returned by getMe.
	DefaultBotUsername = "crm_test_bot"
	// DefaultGlobalLimit is the number of sendMessage calls accepted per
	// second across all chats (Telegram: 30).
	DefaultGlobalLimit = 30
	// DefaultChatLimit is the number of sendMessage calls accepted per chat
	// within DefaultChatInterval (Telegram: 1 per second).
	DefaultChatLimit = 1
	// DefaultChatInterval is the sliding window of the per-chat limit.
	DefaultChatInterval = time.Second
)

// globalWindow is the sliding window of the global sendMessage limit.
const globalWindow = time.Second

// Option configures a Server created by New.
type Option func(*config)

type config struct {
	token        string
	username     string
	globalLimit  int
	chatLimit    int
	chatInterval time.Duration
}

// WithToken sets the only bot token the server accepts (default
// DefaultToken). Requests with any other token get 401 Unauthorized. The
// bot's user ID is the numeric part of the token before ':' when there is one.
func WithToken(token string) Option {
	return func(c *config) { c.token = token }
}

// WithBotUsername sets the username reported by getMe (default
// DefaultBotUsername).
func WithBotUsername(name string) Option {
	return func(c *config) { c.username = name }
}

// WithLimits sets the flood limits for sendMessage: at most global accepted
// messages within any one-second sliding window over all chats, and at most
// perChat accepted messages to the same chat within the per-chat window (one
// second unless changed with WithChatInterval). A value <= 0 disables that
// limit. Defaults are DefaultGlobalLimit and DefaultChatLimit.
func WithLimits(global, perChat int) Option {
	return func(c *config) {
		c.globalLimit = global
		c.chatLimit = perChat
	}
}

// WithChatInterval sets the sliding window of the per-chat limit (default
// DefaultChatInterval), so tests can use a shorter window than Telegram's one
// second. retry_after is still reported in whole seconds (at least 1).
func WithChatInterval(d time.Duration) Option {
	return func(c *config) { c.chatInterval = d }
}

// SentMessage is a sendMessage call the server accepted.
type SentMessage struct {
	MessageID             int
	ChatID                int64
	Text                  string
	ParseMode             string
	DisableWebPagePreview bool
	// ReplyMarkup is the raw reply_markup parameter (JSON), if any.
	ReplyMarkup string
	At          time.Time
}

// HandlerFunc answers a method registered with Server.Handle. params holds
// the request parameters (form, multipart or JSON). The result is marshalled
// as the "result" field of a successful answer. If err is (or wraps) a
// Failure, that failure is answered; any other error answers 500.
type HandlerFunc func(params url.Values) (result any, err error)

// Server is a fake Telegram Bot API server. Create it with New.
type Server struct {
	cfg    config
	botID  int64
	srv    *httptest.Server
	client *http.Client

	closed    chan struct{}
	closeOnce sync.Once

	mu      sync.Mutex
	changed chan struct{} // closed and replaced on every state change

	down     bool
	requests map[string]int       // by lower-cased method
	failures map[string][]Failure // by lower-cased method
	handlers map[string]HandlerFunc

	blocked     map[int64]bool
	sent        []SentMessage
	globalTimes []time.Time
	chatTimes   map[int64][]time.Time
	count429    int
	nextMsgID   int

	nextUpdateID int
	pending      []pendingUpdate

	polls     int
	maxPolls  int
	conflicts int

	webhookURL    string
	webhookSecret string
}

// New starts a fake Bot API server and registers tb.Cleanup to close it.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	cfg := config{
		token:        DefaultToken,
		username:     DefaultBotUsername,
		globalLimit:  DefaultGlobalLimit,
		chatLimit:    DefaultChatLimit,
		chatInterval: DefaultChatInterval,
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	if cfg.chatInterval <= 0 {
		cfg.chatInterval = DefaultChatInterval
	}

	s := &Server{
		cfg:          cfg,
		botID:        botIDFromToken(cfg.token),
		closed:       make(chan struct{}),
		changed:      make(chan struct{}),
		requests:     make(map[string]int),
		failures:     make(map[string][]Failure),
		handlers:     make(map[string]HandlerFunc),
		blocked:      make(map[int64]bool),
		chatTimes:    make(map[int64][]time.Time),
		nextMsgID:    1,
		nextUpdateID: 1,
	}
	s.srv = httptest.NewServer(s)
	s.client = s.srv.Client()
	tb.Cleanup(s.Close)
	return s
}

func botIDFromToken(token string) int64 {
	prefix, _, _ := strings.Cut(token, ":")
	if id, err := strconv.ParseInt(prefix, 10, 64); err == nil && id > 0 {
		return id
	}
	return 1
}

// Close shuts the server down. Pending long polls return immediately. It is
// called automatically on test cleanup and may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closed)
		s.srv.Close()
	})
}

// URL returns the base URL of the server, e.g. "http://127.0.0.1:12345".
func (s *Server) URL() string { return s.srv.URL }

// Endpoint returns the API endpoint format for tgbotapi.NewBotAPIWithClient
// and BotAPI.SetAPIEndpoint: URL()+"/bot%s/%s".
func (s *Server) Endpoint() string { return s.srv.URL + "/bot%s/%s" }

// Client returns an *http.Client configured for the server. Any client works;
// this one's idle connections are closed together with the server.
func (s *Server) Client() *http.Client { return s.client }

// Token returns the bot token the server accepts.
func (s *Server) Token() string { return s.cfg.token }

// BotUsername returns the bot's username as reported by getMe.
func (s *Server) BotUsername() string { return s.cfg.username }

// BotID returns the bot's user ID as reported by getMe.
func (s *Server) BotID() int64 { return s.botID }

// Handle registers fn as the handler of method (case-insensitive), for
// methods the fake does not implement or to override a built-in one. Token
// checks, SetDown and FailNext still apply before fn is called.
func (s *Server) Handle(method string, fn HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.handlers[strings.ToLower(method)] = fn
}

// SetDown simulates Telegram being unreachable: while down, every request
// (including long polls already in progress) is answered with
// 502 Bad Gateway and an HTML body, as Telegram's nginx front end does. The
// tgbotapi library reports that as a JSON decoding error, not a
// *tgbotapi.Error.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.down = down
	s.broadcastLocked()
}

// BlockChat makes every sendMessage to chatID answer 403 "Forbidden: bot was
// blocked by the user" until UnblockChat is called.
func (s *Server) BlockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.blocked[chatID] = true
}

// UnblockChat undoes BlockChat.
func (s *Server) UnblockChat(chatID int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chatID)
}

// FailNext makes the next n requests to method (case-insensitive) answer
// with f instead of being processed. Calls accumulate: failures queued by
// earlier calls are answered first. Injected failures are never recorded as
// sent messages and do not count in Count429.
func (s *Server) FailNext(method string, n int, f Failure) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := strings.ToLower(method)
	for range n {
		s.failures[key] = append(s.failures[key], f)
	}
}

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
