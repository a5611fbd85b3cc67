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
// The fake implements getMe, sendMessage (with inline keyboards and
// replies), sendPhoto and sendDocument (multipart uploads, recorded with
// their bytes), answerCallbackQuery, editMessageText and
// editMessageReplyMarkup (recorded), getFile and the download of the
// files people sent (SendMedia), getUpdates (with long polling,
// offsets and 409 conflicts), setWebhook, deleteWebhook and getWebhookInfo,
// enforces Telegram's flood limits for the three sends (429 with retry_after),
// and supports failure injection (FailNext, BlockChat, SetDown). Any other
// method answers 404 unless a handler was registered with Handle.
//
// All methods of Server are safe for concurrent use.
package fakebotapi

import (
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
	// ReplyMarkup is the raw reply_markup parameter (JSON), if any; see
	// Buttons.
	ReplyMarkup string
	// ReplyTo is the reply_to_message_id parameter, 0 for none.
	ReplyTo int
	At      time.Time
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
	files       []SentFile
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

	callbackAnswers []CallbackAnswer
	edits           []Edit
	nextCallbackID  int

	userFiles map[string]*userFile // by file_id: what people sent
	downloads int
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
