package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewcomerRegistersSubmitsAndFindsTheTicketAfterRestart(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()

		r := b.get("/tickets")
		require.Equal(t, http.StatusSeeOther, r.status)
		assert.Equal(t, "/login?next=%2Ftickets", r.location)

		b.mustSignUp("Alice", "correct-horse")
		id := b.submit("Пропал звук", "После обновления\nпропал звук.", "repair")

		list := b.get("/tickets")
		require.Equal(t, http.StatusOK, list.status)
		assert.Contains(t, list.body, "Пропал звук")
		assert.Contains(t, list.body, fmt.Sprintf("/tickets/%d", id))

		page := b.get(fmt.Sprintf("/tickets/%d", id))
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, "Пропал звук")
		assert.Contains(t, page.body, "пропал звук.")

		r = b.post("/logout", nil)
		require.Equal(t, http.StatusSeeOther, r.status)
		r = b.get("/tickets")
		require.Equal(t, http.StatusSeeOther, r.status, "logged out")

		// A restart on the same database keeps everything.
		a.stop()
		a2 := startApp(t, dbURL)
		b2 := a2.browser()
		r = b2.login("alice", "correct-horse")
		require.Equal(t, http.StatusSeeOther, r.status, "username is case-insensitive: %s", r.body)
		page = b2.get(fmt.Sprintf("/tickets/%d", id))
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, "Пропал звук")
	})
}

func TestLoginReturnsToThePageAskedFor(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		require.Equal(t, http.StatusSeeOther, b.register("bob_user", "correct-horse").status)
		b.post("/logout", nil)

		r := b.post("/login?next=%2Ftickets%2Fnew", url.Values{"username": {"bob_user"}, "password": {"correct-horse"}, "next": {"/tickets/new"}})
		require.Equal(t, http.StatusSeeOther, r.status)
		assert.Equal(t, "/tickets/new", r.location)

		b.post("/logout", nil)
		r = b.post("/login", url.Values{"username": {"bob_user"}, "password": {"correct-horse"}, "next": {"//evil.example/"}})
		require.Equal(t, http.StatusSeeOther, r.status)
		assert.False(t, strings.HasPrefix(r.location, "//"), "no open redirect, got %q", r.location)
	})
}

func TestAnotherPersonsTicketIsNotFound(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner, stranger := a.browser(), a.browser()
		owner.mustSignUp("owner_1", "correct-horse")
		stranger.mustSignUp("stranger_1", "correct-horse")
		id := owner.submit("Private", "Only mine", "service")

		for _, path := range []string{fmt.Sprintf("/tickets/%d", id), "/tickets/999999", "/tickets/abc", "/no/such/page"} {
			r := stranger.get(path)
			assert.Equal(t, http.StatusNotFound, r.status, path)
			assert.NotContains(t, r.body, "Only mine", path)
		}
		r := stranger.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {"hi"}})
		assert.Equal(t, http.StatusNotFound, r.status)
		assert.NotContains(t, stranger.get("/tickets").body, "Private")
	})
}

func TestBadRegistrationIsRefusedWithTheTypedValues(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		first := a.browser()
		require.Equal(t, http.StatusSeeOther, first.register("Taken_Name", "correct-horse").status)

		cases := []struct {
			name                        string
			username, password, confirm string
		}{
			{"short username", "ab", "correct-horse", "correct-horse"},
			{"bad characters", "bad name!", "correct-horse", "correct-horse"},
			{"too long username", strings.Repeat("a", 151), "correct-horse", "correct-horse"},
			{"taken in another case", "taken_name", "correct-horse", "correct-horse"},
			{"short password", "newcomer_1", "short", "short"},
			{"all digits", "newcomer_2", "1234567890", "1234567890"},
			{"password is the username", "newcomer_3", "Newcomer_3", "Newcomer_3"},
			{"confirmation differs", "newcomer_4", "correct-horse", "correct-horsf"},
			{"empty", "", "", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				b := a.browser()
				r := b.post("/register", url.Values{"username": {c.username}, "password": {c.password}, "password_confirm": {c.confirm}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status)
				if c.username != "" && len(c.username) < 100 {
					assert.Contains(t, r.body, `value="`+htmlEscape(c.username)+`"`, "the typed username is kept")
				}
				if c.password != "" {
					assert.NotContains(t, r.body, `value="`+c.password+`"`, "a password is never echoed back")
				}
				if c.name != "taken in another case" && c.username != "" {
					assert.NotEqual(t, http.StatusSeeOther, b.login(c.username, c.password).status, "nothing was saved")
				}
			})
		}
	})
}

func TestBadTicketIsRefusedAndNothingIsSaved(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		b.mustSignUp("carol_user", "correct-horse")

		cases := []struct {
			name             string
			title, text, typ string
			keep             string
		}{
			{"no title", "   ", "text", "repair", "text"},
			{"long title", strings.Repeat("я", 121), "text", "repair", strings.Repeat("я", 121)},
			{"no text", "Title kept", "", "repair", "Title kept"},
			{"long text", "Long text", strings.Repeat("x", 5001), "repair", "Long text"},
			{"no type", "Typeless", "text", "", "Typeless"},
			{"unknown type", "Odd type", "text", "sale", "Odd type"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				r := b.post("/tickets", url.Values{"title": {c.title}, "text": {c.text}, "type": {c.typ}})
				assert.Equal(t, http.StatusUnprocessableEntity, r.status)
				assert.Contains(t, r.body, c.keep, "the typed values are kept")
			})
		}
		list := b.get("/tickets")
		for _, c := range cases {
			assert.NotContains(t, list.body, c.keep[:min(len(c.keep), 20)])
		}
		// A title of exactly 120 characters after trimming is accepted.
		b.submit("  "+strings.Repeat("я", 120)+"  ", "ok", "consultation")
	})
}

func TestMarkupIsShownAsText(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		b.mustSignUp("mallory", "correct-horse")
		id := b.submit(`<script>alert("t")</script>`, `<img src=x onerror=alert(1)>`, "repair")
		for _, path := range []string{"/tickets", fmt.Sprintf("/tickets/%d", id)} {
			body := b.get(path).body
			assert.NotContains(t, body, `<script>alert("t")</script>`, path)
			assert.NotContains(t, body, `<img src=x`, path)
			assert.Contains(t, body, "&lt;script&gt;", path)
		}
	})
}

func TestCrossSitePostIsRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		b.mustSignUp("dave_user", "correct-horse")
		req, err := http.NewRequest(http.MethodPost, a.base+"/tickets",
			strings.NewReader(url.Values{"title": {"forged"}, "text": {"x"}, "type": {"repair"}}.Encode()))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "https://evil.example")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		r := b.do(req)
		assert.Equal(t, http.StatusForbidden, r.status)
		assert.NotContains(t, b.get("/tickets").body, "forged")
	})
}

func TestHealthAndReadiness(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		assert.Equal(t, http.StatusOK, b.get("/healthz").status)
		assert.Equal(t, http.StatusOK, b.get("/readyz").status)
	})
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;")
	return r.Replace(s)
}
