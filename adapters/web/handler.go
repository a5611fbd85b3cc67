package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"time"

	"crm/adapters/i18n"
	"crm/application"
)

// DefaultMaxBodyBytes is the largest request body read when
// Options.MaxBodyBytes is zero: room for a 5,000-character Cyrillic text,
// percent-encoded, and then some.
const DefaultMaxBodyBytes = 64 << 10

// Options configure the handler. The zero value works: no logging, cookies
// without Secure, always ready, the system clock.
type Options struct {
	// Logger receives one line per request and every unexpected error with
	// the request id. Nil discards.
	Logger *slog.Logger
	// SecureCookies marks cookies Secure; set it when the public URL is
	// https.
	SecureCookies bool
	// Ready answers /readyz: nil means ready (the database answers and
	// takes writes), an error means 503.
	Ready func(ctx context.Context) error
	// PublicURL is where people reach the site ("https://crm.example.com").
	// Its origin is trusted for form posts even when a proxy rewrites the
	// Host header. Empty: only same-host posts are accepted.
	PublicURL string
	// Clock tells "now" for relative times ("3 hours ago"). Nil: the system
	// clock.
	Clock application.Clock
	// MaxBodyBytes caps request bodies; larger ones get a 413 page. Zero
	// means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// AttachmentMaxBytes and AttachmentMaxFiles are the files one message
	// may carry (the use cases enforce the same limits): they size the
	// bodies of the forms and the API call that take files, and word the
	// refusals. Zero means DefaultAttachmentMaxBytes and
	// DefaultAttachmentMaxFiles.
	AttachmentMaxBytes int64
	AttachmentMaxFiles int
	// Telegram is the Telegram use cases: the account page's linking
	// section and the staff page of deliveries. Nil means Telegram is off
	// and not wired at all: the account page says so, linking answers 409,
	// and the deliveries page has nothing to list. Bootstrap always passes
	// it; a TelegramApp without a BotProfile is how "off" normally looks.
	Telegram *application.TelegramApp
	// TwoFactor is two-factor sign-in: the code step of a login and
	// /account/2fa. Nil: those pages answer 404 (LogIn then never asks
	// for a code).
	TwoFactor *application.TwoFactorApp
	// Deliveries, when set, lets GET /metrics report how many deliveries
	// are pending and failed; OldestPending, with it, the outbox lag.
	Deliveries    application.Deliveries
	OldestPending OldestPending
	// Metrics is the registry GET /metrics serves, which the Telegram
	// client also counts into. Nil: a registry of the handler's own.
	Metrics *Metrics
	// TrustedProxies are the proxies whose X-Forwarded-For names the
	// client's address, for throttling logins; from anyone else the header
	// is ignored and the client is the connection's peer. Nil: none.
	TrustedProxies []netip.Prefix
	// LoginAttemptsPerMinute is how many logins and sign-ups one client
	// address may try a minute (all at once, or spread out); more answer
	// 429. Zero means DefaultLoginAttemptsPerMinute.
	LoginAttemptsPerMinute int
	// ReadConcurrency is how many GET and HEAD requests run at once; the
	// others wait in line (see admission). Zero means
	// DefaultReadConcurrency; negative, no limit.
	ReadConcurrency int
	// DeviceKey signs the cookie that marks a browser as one that has
	// logged in to an account before. Nil: a random key, so such browsers
	// are forgotten at a restart, and replicas do not know each other's.
	DeviceKey []byte
	// Mounts are extra handlers served as they are, without session or
	// page rendering, e.g. "POST /telegram/webhook". They are listed by
	// Patterns and still pass through logging, panic recovery, the body
	// limit and cross-origin protection (requests without an Origin or
	// Sec-Fetch-Site header, as servers send, are let through).
	Mounts []Mount
	// Live feeds GET /events and the pages that update themselves; nil:
	// /events answers 404 and the pages stay as they are. Presence, with
	// it, shows staff who else has a ticket open. LiveHeartbeat is how
	// often an idle stream sends a keep-alive and checks presence; zero
	// means DefaultLiveHeartbeat.
	Live          *application.LiveFeed
	Presence      *application.TicketPresence
	LiveHeartbeat time.Duration
}

// Mount is a raw handler for Options.Mounts.
type Mount struct {
	Pattern string // a ServeMux pattern with its method, "POST /telegram/webhook"
	Handler http.Handler
}

// Handler serves the pages. Make it with NewHandler.
type Handler struct {
	app      *application.App
	telegram *application.TelegramApp // nil: not wired
	log      *slog.Logger
	secure   bool
	ready    func(ctx context.Context) error
	clock    application.Clock
	maxBody  int64
	// attachMaxBytes and attachMaxFiles are Options.AttachmentMaxBytes
	// and Options.AttachmentMaxFiles.
	attachMaxBytes int64
	attachMaxFiles int
	views          *views
	static         *staticFiles
	mux            *http.ServeMux
	patterns       []string
	chain          http.Handler
	// guard throttles logins and sign-ups; trustedProxies and deviceKey
	// are Options.TrustedProxies and Options.DeviceKey.
	guard          *loginGuard
	trustedProxies []netip.Prefix
	deviceKey      []byte
	// metrics counts requests for GET /metrics, and serves it.
	metrics *Metrics

	// twoFactor is two-factor sign-in; nil: not wired.
	twoFactor *application.TwoFactorApp

	// publicURL is Options.PublicURL: the base of links shown to be
	// handed to someone else (password-reset links).
	publicURL string

	// live, presence and liveHeartbeat are Options.Live, Options.Presence
	// and Options.LiveHeartbeat.
	live          *application.LiveFeed
	presence      *application.TicketPresence
	liveHeartbeat time.Duration

	// onRender, when set (by tests), hears of every page rendered.
	onRender func(lang, page string)
}

// NewHandler builds the handler: it parses the templates, checks the message
// catalogue and registers the routes. Errors: a template that is missing or
// does not parse, a message key a template uses that a language lacks, a
// catalogue defect, a malformed PublicURL or Mount pattern.
func NewHandler(app *application.App, opts Options) (*Handler, error) {
	if app == nil {
		return nil, fmt.Errorf("web: nil application")
	}
	if err := i18n.Check(); err != nil {
		return nil, fmt.Errorf("web: message catalogue: %w", err)
	}
	h := &Handler{
		app:      app,
		telegram: opts.Telegram,
		log:      opts.Logger,
		secure:   opts.SecureCookies,
		ready:    opts.Ready,
		clock:    opts.Clock,
		maxBody:  opts.MaxBodyBytes,

		metrics:   opts.Metrics,
		publicURL: opts.PublicURL,
		twoFactor: opts.TwoFactor,

		live:          opts.Live,
		presence:      opts.Presence,
		liveHeartbeat: opts.LiveHeartbeat,
	}
	if h.liveHeartbeat <= 0 {
		h.liveHeartbeat = DefaultLiveHeartbeat
	}
	if h.log == nil {
		h.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if h.clock == nil {
		h.clock = application.SystemClock{}
	}
	if opts.LoginAttemptsPerMinute <= 0 {
		opts.LoginAttemptsPerMinute = DefaultLoginAttemptsPerMinute
	}
	h.guard = newLoginGuard(opts.LoginAttemptsPerMinute, h.clock.Now)
	h.trustedProxies = opts.TrustedProxies
	if h.deviceKey = opts.DeviceKey; len(h.deviceKey) == 0 {
		h.deviceKey = newDeviceKey()
	}
	if h.metrics == nil {
		h.metrics = NewMetrics(h.log)
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.attachMaxBytes = opts.AttachmentMaxBytes; h.attachMaxBytes <= 0 {
		h.attachMaxBytes = DefaultAttachmentMaxBytes
	}
	if h.attachMaxFiles = opts.AttachmentMaxFiles; h.attachMaxFiles <= 0 {
		h.attachMaxFiles = DefaultAttachmentMaxFiles
	}
	var err error
	if h.static, err = newStaticFiles(); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if h.views, err = parseViews(templateFiles, h.funcs); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	if err := h.mountRoutes(opts.Mounts); err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	cop := http.NewCrossOriginProtection()
	if opts.PublicURL != "" {
		u, err := url.Parse(opts.PublicURL)
		if err != nil || u.Scheme == "" || u.Host == "" {
			return nil, fmt.Errorf("web: public URL %q is not an absolute URL", opts.PublicURL)
		}
		if err := cop.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			return nil, fmt.Errorf("web: trust public URL: %w", err)
		}
	}
	// The JSON API authenticates by a bearer header, which a form on
	// another site cannot send, and never by cookie: it needs no
	// cross-origin protection, and its callers are programs.
	cop.AddInsecureBypassPattern(apiPrefix)
	cop.SetDenyHandler(http.HandlerFunc(h.refuseCrossOrigin))
	if opts.Deliveries != nil {
		c := &deliveriesCollector{deliveries: opts.Deliveries, oldest: opts.OldestPending, clock: h.clock, log: h.log}
		if err := h.metrics.register(c); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	if opts.ReadConcurrency == 0 {
		opts.ReadConcurrency = DefaultReadConcurrency
	}
	reads := newAdmission(opts.ReadConcurrency)
	for _, c := range reads.collectors() {
		if err := h.metrics.register(c); err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
	}
	h.chain = h.metrics.instrument(h.observe(h.secureHeaders(h.limitBody(cop.Handler(reads.limit(http.HandlerFunc(h.dispatch)))))))
	return h, nil
}

// ServeHTTP serves one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.chain.ServeHTTP(w, r) }

// Patterns returns every registered ServeMux pattern, Options.Mounts
// included, in the order of routes.go.
func (h *Handler) Patterns() []string { return append([]string(nil), h.patterns...) }
