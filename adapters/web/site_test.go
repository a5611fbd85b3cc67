package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/adapters/memory"
	"crm/adapters/totp"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// fakeHasher is a fast PasswordHasher: tests need no argon2id cost.
type fakeHasher struct{}

func (fakeHasher) Hash(_ context.Context, p string) (string, error) { return "hashed:" + p, nil }
func (fakeHasher) Verify(_ context.Context, hash, p string) (bool, error) {
	return hash == "hashed:"+p, nil
}
func (fakeHasher) NeedsRehash(string) bool { return false }

// syncBuffer collects log lines written from server goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// site is the handler over memory storage, served by httptest.
type site struct {
	t       *testing.T
	store   *memory.Store
	tickets application.Tickets // what the app uses; tests may wrap it
	app     *application.App
	clock   *testclock.Manual
	handler *Handler
	srv     *httptest.Server
	logs    *syncBuffer

	// Telegram: the use cases over memory storage, with the bot of
	// withBot (none: Telegram is off), unless withoutTelegram.
	outbox     *memory.Outbox
	linkTokens *memory.LinkTokens
	bot        application.BotProfile
	noTelegram bool

	apiTokens *memory.APITokens
	hasher    application.PasswordHasher // fakeHasher unless withHasher

	// twoFactors holds two-factor sign-in, wired with the real TOTP
	// adapter on the site's clock.
	twoFactors *memory.TwoFactors

	mu       sync.Mutex
	rendered map[string]bool // "lang/page"
}

type siteOption func(*site, *Options)

// withTickets puts a wrapper around the tickets store the app uses.
func withTickets(wrap func(application.Tickets) application.Tickets) siteOption {
	return func(s *site, _ *Options) { s.tickets = wrap(s.tickets) }
}

// withBot turns Telegram on with a bot of that username ("" while getMe
// has not answered).
func withBot(username string) siteOption {
	return func(s *site, _ *Options) { s.bot = fakeBot(username) }
}

// withoutTelegram leaves Options.Telegram nil, as a handler built without
// the Telegram use cases.
func withoutTelegram() siteOption {
	return func(s *site, _ *Options) { s.noTelegram = true }
}

// fakeBot is a BotProfile with a fixed username.
type fakeBot string

func (b fakeBot) BotUsername() string { return string(b) }

func withOptions(f func(*Options)) siteOption {
	return func(_ *site, o *Options) { f(o) }
}

func newSite(t *testing.T, opts ...siteOption) *site {
	t.Helper()
	store := memory.NewStore()
	s := &site{
		t: t, store: store, tickets: store.Tickets,
		clock:    testclock.NewManual(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)),
		logs:     &syncBuffer{},
		rendered: map[string]bool{},
		hasher:   fakeHasher{},
	}
	o := Options{
		Logger: slog.New(slog.NewTextHandler(s.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Clock:  s.clock,
	}
	for _, opt := range opts {
		opt(s, &o)
	}
	s.apiTokens = memory.NewAPITokens()
	s.app = application.NewApp(application.Deps{
		Users: store.Users, Tickets: s.tickets, Sessions: store.Sessions, Events: store.Events, Reports: store.Reports,
		APITokens: s.apiTokens, Resets: memory.NewPasswordResets(), Hasher: s.hasher, Clock: s.clock, Languages: i18n.Languages(),
		SavedReplies: memory.NewSavedReplies(),
		SLAPolicies:  store.SLAPolicies,
	})
	s.outbox, s.linkTokens = memory.NewOutbox(store.Events), memory.NewLinkTokens()
	if !s.noTelegram {
		o.Telegram = application.NewTelegramApp(application.TelegramDeps{
			Users: store.Users, LinkTokens: s.linkTokens, Deliveries: s.outbox, Clock: s.clock, Bot: s.bot,
		})
	}
	s.twoFactors = memory.NewTwoFactors()
	s.app.LogIn = s.app.LogIn.WithSecondFactor(s.twoFactors, totp.Codes{}, application.TwoFactorPolicy{})
	o.TwoFactor = application.NewTwoFactorApp(application.TwoFactorDeps{
		Users: store.Users, Sessions: store.Sessions, TwoFactors: s.twoFactors, Codes: totp.Codes{}, Clock: s.clock,
	})
	h, err := NewHandler(s.app, o)
	require.NoError(t, err)
	h.onRender = func(lang, page string) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.rendered[lang+"/"+page] = true
	}
	s.handler = h
	s.srv = httptest.NewServer(checkAPIAnswers(t, fromTestAddress(h)))
	t.Cleanup(s.srv.Close)
	return s
}

// createUser makes an account with role and the password username +
// "-secret", written directly to storage as the demo does: such a password
// is built from the username, which the password policy refuses.
func (s *site) createUser(username, role string) *domain.User {
	s.t.Helper()
	r, err := domain.ParseRole(role)
	require.NoError(s.t, err)
	u, err := domain.NewUser(username, "hashed:"+username+"-secret", r, s.clock.Now())
	require.NoError(s.t, err)
	require.NoError(s.t, s.store.Users.Add(context.Background(), u))
	return u
}

// testAddressHeader names the address a test browser pretends to connect
// from (see browser.from); fromTestAddress makes it the connection's.
const testAddressHeader = "X-Test-Remote-Addr"

// fromTestAddress puts the address of testAddressHeader, when a request
// carries one, in its RemoteAddr, as if it had connected from there.
func fromTestAddress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a := r.Header.Get(testAddressHeader); a != "" {
			r.RemoteAddr = netip.AddrPortFrom(netip.MustParseAddr(a), 40000).String()
			r.Header.Del(testAddressHeader)
		}
		next.ServeHTTP(w, r)
	})
}

// browser is one visitor with its own cookie jar. It never follows
// redirects on its own, so tests see every 303.
type browser struct {
	t        *testing.T
	site     *site
	client   *http.Client
	jar      *cookiejar.Jar
	language string // Accept-Language
	addr     string // the address it connects from; "": 127.0.0.1
}

// from makes b connect from addr ("203.0.113.9", "2001:db8::1").
func (b *browser) from(addr string) *browser {
	b.addr = addr
	return b
}

func (s *site) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(s.t, err)
	return &browser{
		t: s.t, site: s, jar: jar,
		client: &http.Client{
			Jar:           jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

// loggedIn returns a browser logged in as a new user with role.
func (s *site) loggedIn(username, role string) (*browser, *domain.User) {
	s.t.Helper()
	u := s.createUser(username, role)
	b := s.browser()
	b.logIn(username, username+"-secret")
	return b, u
}

// response is an answer as a test reads it.
type response struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(req *http.Request) *response {
	b.t.Helper()
	if b.language != "" {
		req.Header.Set("Accept-Language", b.language)
	}
	if b.addr != "" {
		req.Header.Set(testAddressHeader, b.addr)
	}
	res, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	r := &response{status: res.StatusCode, body: string(body), location: res.Header.Get("Location"), header: res.Header}
	if r.status >= 500 {
		b.t.Errorf("%s %s answered %d:\n%s", req.Method, req.URL.Path, r.status, r.body)
	}
	return r
}

func (b *browser) get(path string) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.site.srv.URL+path, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) *response {
	b.t.Helper()
	return b.postWith(path, form, nil)
}

func (b *browser) postWith(path string, form url.Values, header http.Header) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.site.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, vs := range header {
		req.Header[k] = vs
	}
	return b.do(req)
}

// follow GETs where a redirect points.
func (b *browser) follow(r *response) *response {
	b.t.Helper()
	require.Equal(b.t, http.StatusSeeOther, r.status, "expected a 303, got:\n%s", r.body)
	require.NotEmpty(b.t, r.location)
	return b.get(r.location)
}

func (b *browser) logIn(username, password string) *response {
	b.t.Helper()
	r := b.post("/login", url.Values{"username": {username}, "password": {password}})
	require.Equal(b.t, http.StatusSeeOther, r.status, "login as %s:\n%s", username, r.body)
	return r
}

// submit files a ticket and returns its id.
func (b *browser) submit(title, text, typ string) int64 {
	b.t.Helper()
	r := b.post("/tickets", url.Values{"title": {title}, "text": {text}, "type": {typ}})
	require.Equal(b.t, http.StatusSeeOther, r.status, r.body)
	id, err := strconv.ParseInt(strings.TrimPrefix(r.location, "/tickets/"), 10, 64)
	require.NoError(b.t, err, "location %q", r.location)
	return id
}

// cookie returns the browser's cookie name, or "".
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.site.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func pathf(format string, id int64) string {
	return strings.Replace(format, "{id}", strconv.FormatInt(id, 10), 1)
}

var escTemplate = template.Must(template.New("").Parse(`{{.}}`))

// esc escapes s as html/template does in text.
func esc(s string) string {
	var b strings.Builder
	if err := escTemplate.Execute(&b, s); err != nil {
		panic(err)
	}
	return b.String()
}

func (b *browser) getWith(path string, header http.Header) *response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.site.srv.URL+path, nil)
	require.NoError(b.t, err)
	for k, vs := range header {
		req.Header[k] = vs
	}
	return b.do(req)
}
