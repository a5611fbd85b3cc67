package e2e

import (
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
