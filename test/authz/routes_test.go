// Package authz checks every registered route against every kind of visitor.
// A route added without an entry here fails the test.
package authz

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/fx"

	"crm/adapters/upload"
	"crm/adapters/web"
	"crm/application"
	"crm/domain"
	"crm/test/apptest"
)

// The visitors, in the order of each row's answers.
const (
	anonymous = iota
	owner     // a user who owns the ticket under test
	other     // another user
	staff
	admin
	visitors
)

var visitorNames = [visitors]string{"anonymous", "owner", "other user", "staff", "admin"}

// login is the answer "redirected to the login page".
const login = -1

// entry is one route: the request made and what each visitor gets.
type entry struct {
	path string // with {ticket} and {user} placeholders
	form url.Values
	want [visitors]int
}

// table lists every route by its ServeMux pattern.
var table = map[string]entry{
	"GET /{$}":          {"/", nil, [visitors]int{200, 303, 303, 303, 303}},
	"GET /register":     {"/register", nil, [visitors]int{200, 303, 303, 303, 303}},
	"POST /register":    {"/register", url.Values{"username": {"x"}}, [visitors]int{422, 422, 422, 422, 422}},
	"GET /login":        {"/login", nil, [visitors]int{200, 303, 303, 303, 303}},
	"POST /login":       {"/login", url.Values{"username": {"nobody"}, "password": {"wrong-password"}}, [visitors]int{401, 401, 401, 401, 401}},
	"POST /logout":      {"/logout", nil, [visitors]int{303, 303, 303, 303, 303}},
	"GET /tickets":      {"/tickets", nil, [visitors]int{login, 200, 200, 200, 200}},
	"GET /tickets/new":  {"/tickets/new", nil, [visitors]int{login, 200, 200, 200, 200}},
	"POST /tickets":     {"/tickets", url.Values{"title": {""}}, [visitors]int{login, 422, 422, 422, 422}},
	"GET /tickets/{id}": {"/tickets/{ticket}", nil, [visitors]int{login, 200, 404, 200, 200}},
	// The live pages' events: anyone logged in gets a stream, of what
	// they may see only (checked in test/e2e); ?ticket= records presence
	// for staff only, and never fails the stream.
	"GET /events":            {"/events?ticket={ticket}", nil, [visitors]int{login, 200, 200, 200, 200}},
	"GET /account":           {"/account", nil, [visitors]int{login, 200, 200, 200, 200}},
	"POST /account/language": {"/account/language", url.Values{"language": {"en"}}, [visitors]int{303, 303, 303, 303, 303}},
	// Telegram is off here (extraEnv turns nothing on): linking is refused
	// with 409, unlinking an account without a chat is fine.
	"POST /account/telegram/link":   {"/account/telegram/link", nil, [visitors]int{login, 409, 409, 409, 409}},
	"POST /account/telegram/unlink": {"/account/telegram/unlink", nil, [visitors]int{login, 303, 303, 303, 303}},
	// Only staff have alerts to switch; they may set them before linking.
	"POST /account/telegram/alerts": {"/account/telegram/alerts", url.Values{"new_tickets": {"on"}},
		[visitors]int{login, 403, 403, 303, 303}},
	"POST /tickets/{id}/comments": {"/tickets/{ticket}/comments", url.Values{"text": {"hello"}},
		[visitors]int{login, 303, 404, 303, 303}},
	// The owner closes and reopens their ticket from its page; a status
	// that does not exist changes nothing (someone else's ticket: 404).
	"POST /tickets/{id}/status": {"/tickets/{ticket}/status", url.Values{"status": {"no-such-status"}},
		[visitors]int{login, 422, 404, 422, 422}},
	// Only the owner rates, and only a closed ticket: the ticket under
	// test is open.
	"POST /tickets/{id}/rating": {"/tickets/{ticket}/rating", url.Values{"stars": {"5"}},
		[visitors]int{login, 409, 404, 403, 403}},
	// The ticket under test carries a photo: its file and thumbnail are
	// the owner's and staff's, a 404 to anyone else; only staff delete a
	// file (nobody has file 999999).
	"GET /attachments/{id}/{name}":    {"/attachments/{attachment}/photo.png", nil, [visitors]int{login, 200, 404, 200, 200}},
	"GET /attachments/{id}/thumbnail": {"/attachments/{attachment}/thumbnail", nil, [visitors]int{login, 200, 404, 200, 200}},
	"POST /admin/attachments/{id}/delete": {"/admin/attachments/999999/delete", nil,
		[visitors]int{login, 403, 403, 404, 404}},

	"GET /admin/tickets":      {"/admin/tickets", nil, [visitors]int{login, 403, 403, 200, 200}},
	"GET /admin/tickets/{id}": {"/admin/tickets/{ticket}", nil, [visitors]int{login, 403, 403, 200, 200}},
	"GET /admin/tickets.csv":  {"/admin/tickets.csv", nil, [visitors]int{login, 403, 403, 200, 200}},
	"POST /admin/tickets/{id}/status": {"/admin/tickets/{ticket}/status", url.Values{"status": {"no-such-status"}},
		[visitors]int{login, 403, 403, 422, 422}},
	"POST /admin/tickets/{id}/assign": {"/admin/tickets/{ticket}/assign", url.Values{"assignee": {""}},
		[visitors]int{login, 403, 403, 303, 303}},
	// A merge into something that is not a ticket number is refused and
	// changes nothing, so every visitor meets the same ticket.
	"POST /admin/tickets/{id}/merge": {"/admin/tickets/{ticket}/merge", url.Values{"into": {"not-a-number"}},
		[visitors]int{login, 403, 403, 422, 422}},
	// {reply} is the admin's personal reply: staff cannot even see it.
	"GET /admin/replies":              {"/admin/replies", nil, [visitors]int{login, 403, 403, 200, 200}},
	"POST /admin/replies":             {"/admin/replies", url.Values{"name": {""}}, [visitors]int{login, 403, 403, 422, 422}},
	"GET /admin/replies/{id}":         {"/admin/replies/{reply}", nil, [visitors]int{login, 403, 403, 404, 200}},
	"POST /admin/replies/{id}":        {"/admin/replies/{reply}", url.Values{"name": {""}}, [visitors]int{login, 403, 403, 404, 422}},
	"POST /admin/replies/{id}/delete": {"/admin/replies/999999/delete", nil, [visitors]int{login, 403, 403, 404, 404}},
	"GET /admin/deliveries":           {"/admin/deliveries", nil, [visitors]int{login, 403, 403, 200, 200}},
	"POST /admin/deliveries/{id}/retry": {"/admin/deliveries/999999/retry", nil,
		[visitors]int{login, 403, 403, 404, 404}},

	"GET /admin/users": {"/admin/users", nil, [visitors]int{login, 403, 403, 403, 200}},
	"POST /admin/users/{id}/role": {"/admin/users/{user}/role", url.Values{"role": {"user"}},
		[visitors]int{login, 403, 403, 403, 303}},
	"POST /admin/users/{id}/active": {"/admin/users/{user}/active", url.Values{"active": {"true"}},
		[visitors]int{login, 403, 403, 403, 303}},
	"GET /admin/audit": {"/admin/audit", nil, [visitors]int{login, 403, 403, 403, 200}},
	// Reports are of every ticket: staff and admins only.
	"GET /admin/reports":     {"/admin/reports", nil, [visitors]int{login, 403, 403, 200, 200}},
	"GET /admin/reports.csv": {"/admin/reports.csv?from=2026-01-01&to=2026-01-31", nil, [visitors]int{login, 403, 403, 200, 200}},
	// Response targets: admins only; a zero target is refused, nothing saved.
	"GET /admin/sla": {"/admin/sla", nil, [visitors]int{login, 403, 403, 403, 200}},
	"POST /admin/sla": {"/admin/sla", url.Values{"type": {"repair"}, "response": {"0"}, "resolution": {"3d"}},
		[visitors]int{login, 403, 403, 403, 422}},

	// The code step of a login needs a login waiting for it (a cookie
	// from POST /login): without one, back to /login. A code that cannot
	// be right is 422; turning off what is not on, 409.
	"GET /login/code":  {"/login/code", nil, [visitors]int{303, 303, 303, 303, 303}},
	"POST /login/code": {"/login/code", url.Values{"code": {"000000"}}, [visitors]int{303, 303, 303, 303, 303}},
	"GET /account/2fa": {"/account/2fa", nil, [visitors]int{login, 200, 200, 200, 200}},
	"POST /account/2fa": {"/account/2fa", url.Values{"code": {"000000"}},
		[visitors]int{login, 422, 422, 422, 422}},
	"POST /account/2fa/disable": {"/account/2fa/disable", url.Values{"code": {"000000"}},
		[visitors]int{login, 409, 409, 409, 409}},

	// The account page's own forms, and password recovery. Without a valid
	// reset token the reset page is the 404 page, for anyone; nobody has
	// API token 999999, so revoking it is 404 too.
	"POST /account/password": {"/account/password", url.Values{"current_password": {"wrong-password"}},
		[visitors]int{login, 422, 422, 422, 422}},
	"POST /account/sessions/others":    {"/account/sessions/others", nil, [visitors]int{login, 303, 303, 303, 303}},
	"POST /account/tokens":             {"/account/tokens", url.Values{"name": {"script"}}, [visitors]int{login, 303, 303, 303, 303}},
	"POST /account/tokens/{id}/revoke": {"/account/tokens/999999/revoke", nil, [visitors]int{login, 404, 404, 404, 404}},
	// A hash that is nobody's session: the session of another person is
	// the same 404 (checked in test/e2e).
	"POST /account/sessions/{hash}/end": {"/account/sessions/" + strings.Repeat("ab", 32) + "/end", nil, [visitors]int{login, 404, 404, 404, 404}},
	"POST /admin/users/{id}/password-reset": {"/admin/users/{user}/password-reset", nil,
		[visitors]int{login, 403, 403, 403, 303}},
	"GET /password-reset": {"/password-reset?token=unknown-token-of-enough-length", nil,
		[visitors]int{404, 404, 404, 404, 404}},
	"POST /password-reset": {"/password-reset", url.Values{"token": {"unknown-token-of-enough-length"}, "password": {"brand new pass"}},
		[visitors]int{404, 404, 404, 404, 404}},

	// The JSON API takes a bearer token only: a session cookie counts for
	// nothing, so every visitor here (cookies, no token) gets 401.
	"GET /api/v1/me":                     {"/api/v1/me", nil, [visitors]int{401, 401, 401, 401, 401}},
	"GET /api/v1/tickets":                {"/api/v1/tickets", nil, [visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets":               {"/api/v1/tickets", url.Values{"title": {"x"}}, [visitors]int{401, 401, 401, 401, 401}},
	"GET /api/v1/tickets/{id}":           {"/api/v1/tickets/{ticket}", nil, [visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/comments": {"/api/v1/tickets/{ticket}/comments", url.Values{"text": {"hi"}}, [visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/attachments": {"/api/v1/tickets/{ticket}/attachments", url.Values{"text": {"hi"}},
		[visitors]int{401, 401, 401, 401, 401}},
	"GET /api/v1/queue":     {"/api/v1/queue", nil, [visitors]int{401, 401, 401, 401, 401}},
	"GET /api/v1/queue.csv": {"/api/v1/queue.csv", nil, [visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/status": {"/api/v1/tickets/{ticket}/status", url.Values{"status": {"closed"}},
		[visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/assign": {"/api/v1/tickets/{ticket}/assign", url.Values{"assignee_id": {""}},
		[visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/merge": {"/api/v1/tickets/{ticket}/merge", url.Values{"into": {"1"}},
		[visitors]int{401, 401, 401, 401, 401}},
	"POST /api/v1/tickets/{id}/rating": {"/api/v1/tickets/{ticket}/rating", url.Values{"stars": {"5"}},
		[visitors]int{401, 401, 401, 401, 401}},
	"GET /api/v1/openapi.json": {"/api/v1/openapi.json", nil, [visitors]int{200, 200, 200, 200, 200}},
	"GET /metrics":             {"/metrics", nil, [visitors]int{200, 200, 200, 200, 200}},

	"GET /healthz":          {"/healthz", nil, [visitors]int{200, 200, 200, 200, 200}},
	"GET /readyz":           {"/readyz", nil, [visitors]int{200, 200, 200, 200, 200}},
	"GET /static/{file...}": {"/static/style.css", nil, [visitors]int{200, 200, 200, 200, 200}},
}

func TestEveryRouteAnswersEveryVisitorAsExpected(t *testing.T) {
	vars := map[string]string{
		"CRM_ADDR": "127.0.0.1:0", "CRM_ARGON2_PARAMS": "m=64,t=1,p=1", "CRM_LOG_LEVEL": "error",
		"CRM_DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "crm.db"),
		// Every visitor logs in for every route, all from 127.0.0.1.
		"CRM_LOGIN_RATE": "1000000",
	}
	for k, v := range extraEnv(t) {
		vars[k] = v
	}
	var handler http.Handler
	var app *application.App
	running := apptest.Start(t, vars, io.Discard, fx.Populate(&handler, &app))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		assert.NoError(t, running.Stop(ctx))
	})

	// Every registered route has an entry, and every entry a route.
	h, ok := handler.(*web.Handler)
	require.True(t, ok, "the served handler is the web adapter")
	patterns := h.Patterns()
	sort.Strings(patterns)
	for _, p := range patterns {
		_, ok := table[p]
		assert.True(t, ok, "route %q has no authorisation entry: add one to the table", p)
	}
	for p := range table {
		assert.Contains(t, patterns, p, "the table lists a route that is not registered")
	}

	ctx := context.Background()
	names := [visitors]string{"", "owner_user", "other_user", "staff_member", "admin_member"}
	roles := [visitors]string{"", "user", "user", "staff", "admin"}
	users := [visitors]*domain.User{}
	for v := owner; v < visitors; v++ {
		u, err := app.CreateUser.Handle(ctx, application.CreateUser{Username: names[v], Password: "correct-horse", Role: roles[v]})
		require.NoError(t, err)
		users[v] = u
	}
	photo, err := upload.Inspect("photo.png", pngImage(t))
	require.NoError(t, err)
	ticket, err := app.SubmitTicket.Handle(ctx, application.SubmitTicket{Actor: users[owner], Title: "Mine", Text: "x", Type: "repair",
		Files: []domain.Upload{photo}})
	require.NoError(t, err)
	view, err := app.GetTicket.Handle(ctx, application.GetTicket{Actor: users[owner], ID: ticket.ID()})
	require.NoError(t, err)
	require.Len(t, view.Attachments, 1)
	reply, err := app.CreateSavedReply.Handle(ctx, application.CreateSavedReply{Actor: users[admin], Name: "Mine", Text: "x"})
	require.NoError(t, err)

	for _, pattern := range patterns {
		e := table[pattern]
		method := strings.SplitN(pattern, " ", 2)[0]
		path := strings.NewReplacer("{ticket}", fmt.Sprint(ticket.ID()), "{user}", fmt.Sprint(users[other].ID()),
			"{attachment}", fmt.Sprint(view.Attachments[0].ID), "{reply}", fmt.Sprint(reply.ID)).Replace(e.path)
		for v := anonymous; v < visitors; v++ {
			t.Run(pattern+"/"+visitorNames[v], func(t *testing.T) {
				c := newClient(t)
				if v != anonymous {
					res := c.send(t, running.URL(), "POST", "/login", url.Values{"username": {names[v]}, "password": {"correct-horse"}})
					require.Equal(t, http.StatusSeeOther, res.StatusCode, "log in as %s", names[v])
				}
				res := c.send(t, running.URL(), method, path, e.form)
				want := e.want[v]
				if want == login {
					require.Equal(t, http.StatusSeeOther, res.StatusCode)
					loc := res.Header.Get("Location")
					assert.True(t, loc == "/login" || strings.HasPrefix(loc, "/login?next="), "redirect to login, got %q", loc)
					return
				}
				assert.Equal(t, want, res.StatusCode)
			})
		}
	}
}

// pngImage is a small picture to attach.
func pngImage(t *testing.T) []byte {
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, image.NewRGBA(image.Rect(0, 0, 8, 8))))
	return b.Bytes()
}

type client struct{ http *http.Client }

func newClient(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &client{http: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) send(t *testing.T, base, method, path string, form url.Values) *http.Response {
	t.Helper()
	var body io.Reader
	if method == http.MethodPost {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, base+path, body)
	require.NoError(t, err)
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
	}
	res, err := c.http.Do(req)
	require.NoError(t, err)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		// GET /events streams until the client leaves: its status is
		// the answer.
		_ = res.Body.Close()
		return res
	}
	answer, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	apptest.CheckAPI(t, res, answer)
	return res
}

// extraEnv turns on optional parts (Telegram) so that their routes are
// registered and checked too.
func extraEnv(t *testing.T) map[string]string { return nil }
