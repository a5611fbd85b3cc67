package e2e

import (
	"crm/application"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// loginAs logs b in with the User-Agent header ua.
func (b *browser) loginAs(ua, username, password string) response {
	b.t.Helper()
	return b.postWith("/login", url.Values{"username": {username}, "password": {password}}, http.Header{"User-Agent": {ua}})
}

func TestTheAccountPageListsSessionsAndLogsOutEverywhereElse(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("roaming", "correct-horse", "user")
		laptop, phone := a.browser(), a.browser()
		require.Equal(t, http.StatusSeeOther, laptop.loginAs("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "roaming", "correct-horse").status)
		require.Equal(t, http.StatusSeeOther, phone.loginAs("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36", "roaming", "correct-horse").status)

		page := laptop.get("/account")
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, "Firefox · Linux")
		assert.Contains(t, page.body, "Chrome · Android")
		assert.Contains(t, page.body, "127.0.0.1")
		assert.Contains(t, page.body, "this browser")
		assert.Contains(t, page.body, `action="/account/sessions/others"`)

		done := laptop.post("/account/sessions/others", nil)
		require.Equal(t, http.StatusSeeOther, done.status)
		assert.Equal(t, "/account#sessions", done.location)
		page = laptop.get("/account")
		assert.Contains(t, page.body, "sessions ended: 1.")
		assert.NotContains(t, page.body, "Chrome · Android")
		assert.Contains(t, page.body, "You are logged in only here.")
		assert.Equal(t, http.StatusSeeOther, phone.get("/tickets").status, "the phone is logged out")
		assert.Equal(t, http.StatusOK, laptop.get("/tickets").status, "this browser stays")
	})
}

func TestOneSessionIsEndedFromTheAccountPageAndOnlyItsOwnerMayEndIt(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("roaming", "correct-horse", "user")
		a.mustCreateUser("stranger", "correct-horse", "user")
		laptop, phone, tablet, stranger := a.browser(), a.browser(), a.browser(), a.browser()
		for _, b := range []*browser{laptop, phone, tablet} {
			require.Equal(t, http.StatusSeeOther, b.login("roaming", "correct-horse").status)
		}
		require.Equal(t, http.StatusSeeOther, stranger.login("stranger", "correct-horse").status)
		phoneHash := application.HashToken(phone.cookie("crm_session"))
		laptopHash := application.HashToken(laptop.cookie("crm_session"))
		page := laptop.get("/account")
		require.Contains(t, page.body, `action="/account/sessions/`+phoneHash+`/end"`)
		assert.NotContains(t, stranger.get("/account").body, phoneHash, "nobody else sees the session")

		refused := stranger.post("/account/sessions/"+phoneHash+"/end", nil)
		assert.Equal(t, http.StatusNotFound, refused.status, "another person's session is not found")
		assert.Equal(t, http.StatusOK, phone.get("/tickets").status, "and goes on")

		done := laptop.post("/account/sessions/"+phoneHash+"/end", nil)
		require.Equal(t, http.StatusSeeOther, done.status)
		assert.Equal(t, "/account#sessions", done.location)
		assert.Contains(t, laptop.get("/account").body, "That session has ended.")
		assert.Equal(t, http.StatusSeeOther, phone.get("/tickets").status, "the phone is logged out")
		assert.Equal(t, http.StatusOK, tablet.get("/tickets").status, "the tablet stays")

		// Ending the session in use logs this browser out.
		here := laptop.post("/account/sessions/"+laptopHash+"/end", nil)
		require.Equal(t, http.StatusSeeOther, here.status)
		assert.Equal(t, "/", here.location)
		assert.Equal(t, http.StatusSeeOther, laptop.get("/tickets").status)
		assert.Equal(t, http.StatusOK, tablet.get("/tickets").status)
	})
}

// cookie returns the value of the cookie name b holds for the app, or "".
func (b *browser) cookie(name string) string {
	b.t.Helper()
	u, err := url.Parse(b.app.base + "/")
	require.NoError(b.t, err)
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
