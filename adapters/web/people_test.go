package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/i18n"
	"crm/application"
	"crm/domain"
)

func TestNewcomerRegistersSubmitsAndFollowsATicket(t *testing.T) {
	s := newSite(t)
	b := s.browser()

	home := b.get("/")
	require.Equal(t, http.StatusOK, home.status)
	assert.Contains(t, home.body, `href="/register"`)
	assert.Contains(t, home.body, `<html lang="en">`)

	r := b.post("/register", url.Values{
		"username": {"Alice"}, "password": {"correct horse"}, "password_confirm": {"correct horse"},
	})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/tickets/new", r.location)
	assert.NotEmpty(t, b.cookie(sessionCookie), "registration logs the person in")
	page := b.follow(r)
	assert.Contains(t, page.body, "Welcome! Your account is ready.")

	// Log out and in again, as a returning person would.
	r = b.post("/logout", nil)
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Empty(t, b.cookie(sessionCookie))
	assert.Contains(t, b.follow(r).body, "You have logged out.")
	r = b.logIn("alice", "correct horse")
	assert.Equal(t, "/", r.location)
	assert.Equal(t, "/tickets", b.follow(r).location, "home sends a logged-in person to their tickets")

	empty := b.get("/tickets")
	require.Equal(t, http.StatusOK, empty.status)
	assert.Contains(t, empty.body, "No tickets yet.")
	assert.Contains(t, empty.body, "Submit your first ticket")

	id := b.submit("Пропал звук", "Звук пропал\nпосле обновления.", "repair")
	view := b.get(pathf("/tickets/{id}", id))
	require.Equal(t, http.StatusOK, view.status)
	assert.Contains(t, view.body, "Ticket #1 submitted.")
	assert.Contains(t, view.body, "Пропал звук")
	assert.Contains(t, view.body, "Звук пропал\nпосле обновления.", "line breaks are kept for pre-wrap")
	assert.Contains(t, view.body, `<span class="badge badge-open">Open</span>`)
	assert.Contains(t, view.body, "Repair")
	assert.Contains(t, view.body, `<time datetime="2026-03-01T12:00:00Z" title="2026-03-01 12:00 UTC">just now</time>`)

	again := b.get(pathf("/tickets/{id}", id))
	assert.NotContains(t, again.body, "submitted.", "a flash message shows once")

	s.clock.Advance(3 * time.Hour)
	list := b.get("/tickets")
	require.Equal(t, http.StatusOK, list.status)
	assert.Contains(t, list.body, `<a href="/tickets/1">Пропал звук</a>`)
	assert.Contains(t, list.body, "3 hours ago")
	assert.Contains(t, list.body, "1 ticket")
}

func TestRegistrationRefusesBadInput(t *testing.T) {
	long := strings.Repeat("a", 151)
	cases := []struct {
		name                      string
		username, password, again string
		field, code               string
	}{
		{"empty username", "", "correct horse", "correct horse", "username", domain.CodeRequired},
		{"short username", "ab", "correct horse", "correct horse", "username", domain.CodeTooShort},
		{"long username", long, "correct horse", "correct horse", "username", domain.CodeTooLong},
		{"username with spaces", "bad name!", "correct horse", "correct horse", "username", domain.CodeInvalidChars},
		{"username with markup", "<b>bob</b>", "correct horse", "correct horse", "username", domain.CodeInvalidChars},
		{"taken username in another case", "EXISTING", "correct horse", "correct horse", "username", domain.CodeTaken},
		{"empty password", "newbie", "", "", "password", domain.CodeRequired},
		{"short password", "newbie", "short1", "short1", "password", domain.CodeTooShort},
		{"all digits", "newbie", "1234567890", "1234567890", "password", domain.CodeAllDigits},
		{"password is the username", "newbie123", "NEWBIE123", "NEWBIE123", "password", domain.CodeSameAsUsername},
		{"confirmation differs", "newbie", "correct horse", "correct horsf", "password_confirm", domain.CodeMismatch},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			s.createUser("existing", "user")
			b := s.browser()
			r := b.post("/register", url.Values{
				"username": {tc.username}, "password": {tc.password}, "password_confirm": {tc.again},
			})
			require.Equal(t, http.StatusUnprocessableEntity, r.status)
			assert.Contains(t, r.body, esc(i18n.Validation("en", tc.field, tc.code)))
			assert.Contains(t, r.body, `id="`+tc.field+`-error"`, "the message sits beside the field")
			assert.Contains(t, r.body, `value="`+esc(tc.username)+`"`, "the username typed is kept")
			if tc.password != "" {
				assert.NotContains(t, r.body, tc.password, "passwords are never sent back")
			}
			assert.Empty(t, b.cookie(sessionCookie))
			users, err := s.store.Users.List(context.Background(), application.UserFilter{})
			require.NoError(t, err)
			assert.Equal(t, 1, users.Total, "nothing is stored")
		})
	}
}

func TestSubmittingATicketRefusesBadInput(t *testing.T) {
	cases := []struct {
		name              string
		title, text, typ  string
		field, code, kept string
	}{
		{"no title", "", "text", "repair", "title", domain.CodeRequired, "text"},
		{"blank title", "   ", "text", "repair", "title", domain.CodeRequired, "text"},
		{"title too long", strings.Repeat("я", 121), "text", "repair", "title", domain.CodeTooLong, strings.Repeat("я", 121)},
		{"no text", "Пропал звук", "", "repair", "text", domain.CodeRequired, "Пропал звук"},
		{"text too long", "Пропал звук", strings.Repeat("x", 5001), "service", "text", domain.CodeTooLong, "Пропал звук"},
		{"no type", "Пропал звук", "text", "", "type", domain.CodeRequired, "Пропал звук"},
		{"unknown type", "Пропал звук", "text", "bogus", "type", domain.CodeInvalid, "Пропал звук"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t)
			b, u := s.loggedIn("owner", "user")
			r := b.post("/tickets", url.Values{"title": {tc.title}, "text": {tc.text}, "type": {tc.typ}})
			require.Equal(t, http.StatusUnprocessableEntity, r.status)
			assert.Contains(t, r.body, esc(i18n.Validation("en", tc.field, tc.code)))
			assert.Contains(t, r.body, `id="`+tc.field+`-error"`)
			assert.Contains(t, r.body, tc.kept, "what was typed is shown again")
			if tc.typ == "repair" {
				assert.Contains(t, r.body, `<option value="repair" selected>`)
			}
			page, err := s.app.ListMyTickets.Handle(context.Background(), application.ListMyTickets{Actor: u})
			require.NoError(t, err)
			assert.Zero(t, page.Total, "nothing is stored")
		})
	}
}

func TestSomeoneElsesTicketIsNotFound(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	id := owner.submit("Экран часов", "Разбит экран", "service")
	stranger, _ := s.loggedIn("stranger", "user")

	for _, p := range []string{pathf("/tickets/{id}", id), "/tickets/999", "/tickets/abc", "/tickets/0", "/tickets/-1"} {
		r := stranger.get(p)
		assert.Equal(t, http.StatusNotFound, r.status, p)
		assert.Contains(t, r.body, "Ticket not found", p)
		assert.NotContains(t, r.body, "Экран часов", p)
		assert.Contains(t, r.body, `href="/tickets"`, "an error page has a way back")
	}
	r := stranger.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"мне тоже"}})
	assert.Equal(t, http.StatusNotFound, r.status)
	view, err := s.store.Tickets.Get(context.Background(), id)
	require.NoError(t, err)
	assert.Empty(t, view.Comments())
}

func TestAnonymousVisitorsAreSentToLoginAndBack(t *testing.T) {
	s := newSite(t)
	s.createUser("owner", "user")
	for _, p := range []string{"/tickets", "/tickets/new", "/tickets/1", "/account", "/admin/tickets", "/admin/users?q=x"} {
		r := s.browser().get(p)
		assert.Equal(t, http.StatusSeeOther, r.status, p)
		assert.Equal(t, "/login?next="+url.QueryEscape(p), r.location, p)
	}
	r := s.browser().post("/tickets", url.Values{"title": {"t"}})
	assert.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/login", r.location)

	b := s.browser()
	login := b.follow(b.get("/tickets/new"))
	require.Equal(t, http.StatusOK, login.status)
	assert.Contains(t, login.body, `name="next" value="/tickets/new"`)
	r = b.post("/login", url.Values{"username": {"owner"}, "password": {"owner-secret"}, "next": {"/tickets/new"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, "/tickets/new", r.location, "back where they wanted to go")

	for _, next := range []string{"//evil.example/x", "/\\evil.example", "https://evil.example/", "javascript:alert(1)", "tickets"} {
		b := s.browser()
		r := b.post("/login", url.Values{"username": {"owner"}, "password": {"owner-secret"}, "next": {next}})
		require.Equal(t, http.StatusSeeOther, r.status)
		assert.Equal(t, "/", r.location, "next %q is not a local path", next)
	}
}

func TestLoginRefusals(t *testing.T) {
	s := newSite(t)
	s.createUser("owner", "user")
	b := s.browser()
	r := b.post("/login", url.Values{"username": {"owner"}, "password": {"wrong password"}})
	assert.Equal(t, http.StatusUnauthorized, r.status)
	assert.Contains(t, r.body, "Wrong username or password.")
	assert.Contains(t, r.body, `value="owner"`)
	assert.NotContains(t, r.body, "wrong password")
	assert.Empty(t, b.cookie(sessionCookie))

	r = b.post("/login", url.Values{"username": {"nobody"}, "password": {"whatever1"}})
	assert.Equal(t, http.StatusUnauthorized, r.status)
}

func TestSessionCookieIsGuardedAndRotated(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) { o.SecureCookies = true }))
	s.createUser("owner", "user")
	b := s.browser()
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+"/login",
		strings.NewReader(url.Values{"username": {"owner"}, "password": {"owner-secret"}}.Encode()))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: sessionCookie, Value: "stale-token"})
	res, err := b.client.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	require.Equal(t, http.StatusSeeOther, res.StatusCode)
	var c *http.Cookie
	for _, rc := range res.Cookies() {
		if rc.Name == sessionCookie {
			c = rc
		}
	}
	require.NotNil(t, c)
	assert.True(t, c.HttpOnly)
	assert.True(t, c.Secure)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, "/", c.Path)
	assert.NotEqual(t, "stale-token", c.Value)
	assert.Greater(t, c.MaxAge, 0)

	// A second login replaces the session: the first token stops working.
	first := s.browser()
	first.logIn("owner", "owner-secret")
	old := first.cookie(sessionCookie)
	first.logIn("owner", "owner-secret")
	assert.NotEqual(t, old, first.cookie(sessionCookie), "the session id changes at login")
	_, err = s.app.CurrentUser.Handle(context.Background(), application.CurrentUser{Token: old})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)

	// Logout ends the session on the server, not only in the browser.
	tok := first.cookie(sessionCookie)
	first.post("/logout", nil)
	_, err = s.app.CurrentUser.Handle(context.Background(), application.CurrentUser{Token: tok})
	assert.ErrorIs(t, err, domain.ErrSessionNotFound)
}

func TestOwnerCommentsAndSeesNoInternalNotes(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	id := owner.submit("Компенсация", "Хочу вернуть деньги", "consultation")

	r := owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"Есть чек"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, pathf("/tickets/{id}", id), r.location)
	assert.Contains(t, owner.follow(r).body, "Your comment on ticket #1 was added.")

	r = staff.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"клиент VIP, секрет"}, "internal": {"true"}})
	require.Equal(t, http.StatusSeeOther, r.status)
	assert.Equal(t, pathf("/admin/tickets/{id}", id), r.location)
	staffView := staff.follow(r)
	assert.Contains(t, staffView.body, "клиент VIP, секрет")
	assert.Contains(t, staffView.body, "Internal note")
	staff.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"Оформляем возврат"}})

	view := owner.get(pathf("/tickets/{id}", id))
	require.Equal(t, http.StatusOK, view.status)
	assert.Contains(t, view.body, "Есть чек")
	assert.Contains(t, view.body, "Оформляем возврат")
	assert.NotContains(t, view.body, "секрет", "an internal note never reaches the owner")
	assert.NotContains(t, view.body, "Internal note")

	r = owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, r.status)
	assert.Contains(t, r.body, i18n.Validation("en", "text", domain.CodeRequired))
	r = owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {"ok"}, "internal": {"true"}})
	assert.Equal(t, http.StatusForbidden, r.status, "only staff write internal notes")
}

func TestMarkupTypedAnywhereIsShownAsText(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	staff, _ := s.loggedIn("helper", "staff")
	const evil = `<script>alert("x")</script><img src=x onerror=alert(1)>`
	id := owner.submit(evil, evil, "repair")
	owner.post(pathf("/tickets/{id}/comments", id), url.Values{"text": {evil}})
	staff.post(pathf("/admin/tickets/{id}/status", id), url.Values{"status": {"in_progress"}, "comment": {evil}})

	pages := []*response{
		owner.get(pathf("/tickets/{id}", id)), owner.get("/tickets"),
		staff.get("/admin/tickets"), staff.get(pathf("/admin/tickets/{id}", id)),
		staff.get("/admin/tickets?q=" + url.QueryEscape(evil)),
		owner.post("/tickets", url.Values{"title": {evil}, "text": {""}, "type": {"repair"}}),
	}
	for i, p := range pages {
		assert.NotContains(t, p.body, "<script>alert", "page %d", i)
		assert.NotContains(t, p.body, "<img src=x", "page %d", i)
		assert.Contains(t, p.body, "&lt;script&gt;", "page %d", i)
	}
}
