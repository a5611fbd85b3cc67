// Package e2e drives the real application — the fx wiring of `crm serve`,
// real storage, real HTTP — like a browser would.
package e2e

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/bootstrap"
	"crm/test/apptest"
	"crm/test/pgtest"
)

// backend names a database the suite runs against.
type backend struct {
	name string
	url  func(t *testing.T) string
}

var backends = []backend{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "crm.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.NewDatabase(t) }},
}

// eachBackend runs fn once per database.
func eachBackend(t *testing.T, fn func(t *testing.T, dbURL string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			fn(t, b.url(t))
		})
	}
}

// app is a running application under test.
type app struct {
	t       *testing.T
	running *bootstrap.Running
	base    string
	dbURL   string
	logs    *apptest.Logs
}

// startApp starts the application on a random port against dbURL and stops
// it when the test ends.
func startApp(t *testing.T, dbURL string, env ...string) *app {
	t.Helper()
	vars := map[string]string{
		"CRM_ADDR": "127.0.0.1:0", "CRM_DATABASE_URL": dbURL,
		"CRM_ARGON2_PARAMS": "m=64,t=1,p=1", "CRM_LOG_LEVEL": "warn",
	}
	for i := 0; i+1 < len(env); i += 2 {
		vars[env[i]] = env[i+1]
	}
	logs := &apptest.Logs{}
	r := apptest.Start(t, vars, logs)
	a := &app{t: t, running: r, base: r.URL(), dbURL: dbURL, logs: logs}
	t.Cleanup(func() { a.stop() })
	return a
}

func (a *app) stop() {
	if a.running == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	require.NoError(a.t, a.running.Stop(ctx))
	a.running = nil
}

// browser is one person's browser: a cookie jar that does not follow
// redirects, so tests see every 303.
type browser struct {
	t      *testing.T
	app    *app
	client *http.Client
}

func (a *app) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(a.t, err)
	return &browser{t: a.t, app: a, client: &http.Client{
		Jar:           jar,
		Timeout:       15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// response is an answer read in full.
type response struct {
	status   int
	location string
	body     string
	header   http.Header
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.client.Do(req)
	require.NoError(b.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.t, err)
	apptest.CheckAPI(b.t, res, body)
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body), header: res.Header}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.app.base+path, nil)
	require.NoError(b.t, err)
	return b.do(req)
}

// post submits a form from the application's own pages (same origin).
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	return b.postWith(path, form, nil)
}

// postWith posts a form as post does, with the headers of extra added.
func (b *browser) postWith(path string, form url.Values, extra http.Header) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.app.base+path, strings.NewReader(form.Encode()))
	require.NoError(b.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.app.base)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, vs := range extra {
		req.Header[k] = vs
	}
	return b.do(req)
}

func (b *browser) register(username, password string) response {
	b.t.Helper()
	return b.post("/register", url.Values{"username": {username}, "password": {password}, "password_confirm": {password}})
}

func (b *browser) login(username, password string) response {
	b.t.Helper()
	return b.post("/login", url.Values{"username": {username}, "password": {password}})
}

// mustLogin registers (if needed) and logs in, failing the test otherwise.
func (b *browser) mustSignUp(username, password string) {
	b.t.Helper()
	r := b.register(username, password)
	require.Equal(b.t, http.StatusSeeOther, r.status, "register %s: %s", username, r.body)
	r = b.login(username, password)
	require.Equal(b.t, http.StatusSeeOther, r.status, "login %s: %s", username, r.body)
}

var ticketLocation = regexp.MustCompile(`^/tickets/(\d+)$`)

// submit files a ticket and returns its id.
func (b *browser) submit(title, text, typ string) int64 {
	b.t.Helper()
	r := b.post("/tickets", url.Values{"title": {title}, "text": {text}, "type": {typ}})
	require.Equal(b.t, http.StatusSeeOther, r.status, "submit: %s", r.body)
	m := ticketLocation.FindStringSubmatch(r.location)
	require.NotNil(b.t, m, "submit redirects to the ticket, got %q", r.location)
	id, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(b.t, err)
	return id
}
