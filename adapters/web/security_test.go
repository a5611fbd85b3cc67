package web

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

func TestCrossSitePostsAreRefused(t *testing.T) {
	s := newSite(t)
	b, u := s.loggedIn("owner", "user")
	form := url.Values{"title": {"Подделка"}, "text": {"x"}, "type": {"repair"}}

	for name, h := range map[string]http.Header{
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": {"cross-site"}},
		"foreign Origin":            {"Origin": {"https://evil.example"}},
	} {
		r := b.postWith("/tickets", form, h)
		assert.Equal(t, http.StatusForbidden, r.status, name)
		assert.Contains(t, r.body, "This form was sent from another site", name)
	}
	r := b.postWith("/logout", nil, http.Header{"Sec-Fetch-Site": {"cross-site"}})
	assert.Equal(t, http.StatusForbidden, r.status, "even logout")
	page, err := s.app.ListMyTickets.Handle(context.Background(), application.ListMyTickets{Actor: u})
	require.NoError(t, err)
	assert.Zero(t, page.Total)

	r = b.postWith("/tickets", form, http.Header{"Sec-Fetch-Site": {"same-origin"}, "Origin": {s.srv.URL}})
	assert.Equal(t, http.StatusSeeOther, r.status, "same-origin posts pass")
	r = b.postWith("/tickets", form, nil)
	assert.Equal(t, http.StatusSeeOther, r.status, "non-browser clients pass")
	assert.Equal(t, http.StatusOK, b.getWith("/tickets", http.Header{"Sec-Fetch-Site": {"cross-site"}}).status,
		"a link from another site still opens a page")
}

func TestThePublicURLIsATrustedOrigin(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) { o.PublicURL = "https://crm.example.com/" }))
	b, _ := s.loggedIn("owner", "user")
	r := b.postWith("/tickets", url.Values{"title": {"t"}, "text": {"x"}, "type": {"repair"}},
		http.Header{"Origin": {"https://crm.example.com"}})
	assert.Equal(t, http.StatusSeeOther, r.status)

	_, err := NewHandler(s.app, Options{PublicURL: "crm.example.com"})
	assert.Error(t, err, "a public URL without scheme is refused")
}

func TestFlashCookiesNeverCarryText(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	u, _ := url.Parse(s.srv.URL)
	for _, v := range []string{"<script>x</script>-1", "ticket_submitted-<b>", "unknown_key-3"} {
		b.jar.SetCookies(u, []*http.Cookie{{Name: flashCookie, Value: url.QueryEscape(v), Path: "/"}})
		r := b.get("/")
		assert.NotContains(t, r.body, "<script>x")
		assert.NotContains(t, r.body, `class="flash"`, v)
		assert.Empty(t, b.cookie(flashCookie), "a bad flash cookie is deleted")
	}
}

func TestErrorPages(t *testing.T) {
	s := newSite(t)
	b := s.browser()

	r := b.get("/no/such/page")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.body, "Page not found")
	assert.Contains(t, r.body, `href="/"`)
	assert.Equal(t, "text/html; charset=utf-8", r.header.Get("Content-Type"))

	r = b.get("/logout")
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "POST", r.header.Get("Allow"))
	assert.Contains(t, r.body, "Not allowed")

	r = b.post("/tickets/1", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)

	owner, _ := s.loggedIn("owner", "user")
	owner.language = "ru"
	r = owner.get("/no/such/page")
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Contains(t, r.body, "Выйти (owner)", "a 404 still knows who is logged in")
	owner.language = ""
	r = owner.post("/tickets", url.Values{"title": {"t"}, "text": {strings.Repeat("я", 40000)}, "type": {"repair"}})
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Contains(t, r.body, "Too large")

	req, err := http.NewRequest(http.MethodPost, s.srv.URL+"/tickets", strings.NewReader("title=%zz"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	assert.Equal(t, http.StatusBadRequest, owner.do(req).status)

	assert.NotEmpty(t, r.header.Get("X-Request-Id"))
	assert.Equal(t, "nosniff", r.header.Get("X-Content-Type-Options"))
	assert.Contains(t, r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
}

// brokenTickets fails every search, as a database that went away would.
type brokenTickets struct{ application.Tickets }

func (brokenTickets) Search(context.Context, application.TicketFilter) (application.TicketPage, error) {
	return application.TicketPage{}, errors.New("connection refused: db.internal:5432")
}

func TestUnexpectedErrorsAreA500LoggedOnce(t *testing.T) {
	s := newSite(t,
		withTickets(func(t application.Tickets) application.Tickets { return brokenTickets{t} }),
		withOptions(func(o *Options) {
			o.Mounts = []Mount{{Pattern: "GET /boom", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
				panic("kaboom")
			})}}
		}))
	b, _ := s.loggedIn("owner", "user")

	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/tickets", nil)
	require.NoError(t, err)
	res, err := b.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	id := res.Header.Get("X-Request-Id")
	require.NotEmpty(t, id)
	logs := s.logs.String()
	assert.Equal(t, 1, strings.Count(logs, "db.internal"), "logged once")
	assert.Contains(t, logs, "request_id="+id)

	req, err = http.NewRequest(http.MethodGet, s.srv.URL+"/boom", nil)
	require.NoError(t, err)
	res, err = b.client.Do(req)
	require.NoError(t, err)
	body := make([]byte, 4096)
	n, _ := res.Body.Read(body)
	res.Body.Close()
	assert.Equal(t, http.StatusInternalServerError, res.StatusCode)
	assert.Contains(t, string(body[:n]), "<!doctype html>")
	assert.NotContains(t, string(body[:n]), "kaboom", "no internals on the page")
	assert.Contains(t, s.logs.String(), "kaboom")
}

func TestLogsHoldNoSecrets(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	b.post("/register", url.Values{"username": {"owner"}, "password": {"hunter2-secret"}, "password_confirm": {"hunter2-secret"}})
	b.post("/login", url.Values{"username": {"owner"}, "password": {"hunter2-secret"}, "next": {"/tickets?x=private"}})
	token := b.cookie(sessionCookie)
	require.NotEmpty(t, token)
	b.get("/tickets?q=private")
	logs := s.logs.String()
	assert.Contains(t, logs, "path=/login")
	for _, secret := range []string{"hunter2", token, "private"} {
		assert.NotContains(t, logs, secret)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	ready := error(nil)
	s := newSite(t, withOptions(func(o *Options) {
		o.Ready = func(context.Context) error { return ready }
		o.Logger = slog.New(slog.DiscardHandler)
	}))
	b := s.browser()
	r := b.get("/healthz")
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "ok", r.body)
	assert.Equal(t, http.StatusOK, b.get("/readyz").status)
	ready = errors.New("database is down")
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/readyz", nil)
	require.NoError(t, err)
	res, err := b.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusServiceUnavailable, res.StatusCode)
}

func TestPatternsListEveryRoute(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) {
		o.Mounts = []Mount{{Pattern: "POST /telegram/webhook", Handler: http.NotFoundHandler()}}
	}))
	want := []string{
		"GET /{$}", "GET /register", "POST /register", "GET /login", "POST /login", "POST /logout",
		"GET /password-reset", "POST /password-reset",
		"GET /login/code", "POST /login/code",
		"GET /tickets", "GET /tickets/new", "POST /tickets", "GET /tickets/{id}", "POST /tickets/{id}/comments",
		"POST /tickets/{id}/status", "POST /tickets/{id}/rating", "GET /events",
		"GET /attachments/{id}/{name}", "GET /attachments/{id}/thumbnail",
		"GET /account", "POST /account/language",
		"POST /account/password", "POST /account/sessions/others", "POST /account/sessions/{hash}/end", "POST /account/tokens", "POST /account/tokens/{id}/revoke",
		"POST /account/telegram/link", "POST /account/telegram/unlink", "POST /account/telegram/alerts",
		"GET /account/2fa", "POST /account/2fa", "POST /account/2fa/disable",
		"GET /admin/tickets", "GET /admin/tickets.csv", "GET /admin/tickets/{id}", "POST /admin/tickets/{id}/status", "POST /admin/tickets/{id}/assign",
		"POST /admin/tickets/{id}/merge",
		"POST /admin/attachments/{id}/delete",
		"GET /admin/replies", "POST /admin/replies", "GET /admin/replies/{id}", "POST /admin/replies/{id}", "POST /admin/replies/{id}/delete",
		"GET /admin/deliveries", "POST /admin/deliveries/{id}/retry",
		"GET /admin/reports", "GET /admin/reports.csv",
		"GET /admin/users", "POST /admin/users/{id}/role", "POST /admin/users/{id}/active",
		"POST /admin/users/{id}/password-reset", "GET /admin/audit",
		"GET /admin/sla", "POST /admin/sla",
		"GET /api/v1/me", "GET /api/v1/tickets", "POST /api/v1/tickets", "GET /api/v1/tickets/{id}",
		"POST /api/v1/tickets/{id}/comments", "POST /api/v1/tickets/{id}/attachments", "POST /api/v1/tickets/{id}/status",
		"POST /api/v1/tickets/{id}/rating", "GET /api/v1/queue", "GET /api/v1/queue.csv", "POST /api/v1/tickets/{id}/assign",
		"POST /api/v1/tickets/{id}/merge",
		"GET /healthz", "GET /readyz", "GET /metrics", "GET /static/{file...}", "GET /api/v1/openapi.json",
		"POST /telegram/webhook",
	}
	assert.Equal(t, want, s.handler.Patterns())

	_, err := NewHandler(s.app, Options{Mounts: []Mount{{Pattern: "GET /tickets", Handler: http.NotFoundHandler()}}})
	assert.Error(t, err, "a mount that clashes with a route is refused")
}

func TestAnErrorWhileTheDatabaseIsDownIsA503Page(t *testing.T) {
	s := newSite(t,
		withTickets(func(t application.Tickets) application.Tickets { return brokenTickets{t} }),
		withOptions(func(o *Options) {
			o.Ready = func(context.Context) error { return errors.New("database unreachable") }
		}))
	b, _ := s.loggedIn("owner", "user")
	res, err := b.client.Get(s.srv.URL + "/tickets")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	res.Body.Close()
	r := response{status: res.StatusCode, body: string(body)}
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Contains(t, r.body, "Temporarily unavailable")
	assert.NotContains(t, r.body, "db.internal")
	assert.Contains(t, s.logs.String(), "db.internal", "the cause is logged")
}

// The fixed headers are set by assignment, which skips http.Header's
// canonicalisation: their names must be canonical already.
func TestFixedHeadersHaveCanonicalNames(t *testing.T) {
	for _, f := range append(append([]fixedHeader(nil), securityHeaders...), pageHeaders...) {
		assert.Equal(t, http.CanonicalHeaderKey(f.name), f.name)
		assert.Len(t, f.value, 1)
	}
}
