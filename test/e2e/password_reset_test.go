package e2e

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 9: API tokens kept working after `crm user password`.
func TestUserPasswordFromTheCLIEndsSessionsAndAPITokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		a.mustCreateUser("cli_victim", "correct-horse", "user")
		a.mustCreateUser("cli_bystander", "correct-horse", "user")
		token, kept := a.mustIssueToken("cli_victim"), a.mustIssueToken("cli_bystander")
		b := a.browser()
		require.Equal(t, http.StatusSeeOther, b.login("cli_victim", "correct-horse").status)

		out, errOut, code := a.crm("new-password-1\n", "user", "password", "cli_victim")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "sessions and API tokens have ended")

		res, _ := a.apiCall(token, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status, "the API token is revoked")
		res, _ = a.apiCall(kept, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusOK, res.status, "another user's token still works")
		assert.Equal(t, http.StatusSeeOther, b.get("/tickets").status, "the session has ended: off to the login page")
	})
}

var resetLink = regexp.MustCompile(`id="password-reset-link"[^>]*>([^<]+)</textarea>`)

func TestAdminIssuesAPasswordResetLink(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		admin := a.staffBrowser("reset_admin", "admin")
		a.mustCreateUser("forgetful", "correct-horse", "user")
		token := a.mustIssueToken("forgetful")
		res, me := a.apiCall(token, "GET", "/api/v1/me", "")
		require.Equal(t, http.StatusOK, res.status)
		id := strconv.FormatFloat(me["id"].(float64), 'f', -1, 64)
		old := a.browser()
		require.Equal(t, http.StatusSeeOther, old.login("forgetful", "correct-horse").status)

		// The admin issues the link and sees it once.
		r := admin.post("/admin/users/"+id+"/password-reset", url.Values{"next": {"/admin/users"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Equal(t, "/admin/users", r.location)
		page := admin.get("/admin/users")
		require.Equal(t, http.StatusOK, page.status)
		m := resetLink.FindStringSubmatch(page.body)
		require.NotNil(t, m, "the users page shows the link: %s", page.body)
		link, err := url.Parse(html.UnescapeString(strings.TrimSpace(m[1])))
		require.NoError(t, err)
		assert.Equal(t, "/password-reset", link.Path)
		secret := link.Query().Get("token")
		require.NotEmpty(t, secret)
		assert.NotContains(t, admin.get("/admin/users").body, secret, "shown once")
		assert.NotContains(t, a.logs.String(), secret, "never logged")

		// The holder sets a new password; a weak one is refused first.
		holder := a.browser()
		form := holder.get(link.RequestURI())
		require.Equal(t, http.StatusOK, form.status)
		assert.Contains(t, form.body, "forgetful")
		weak := holder.post("/password-reset", url.Values{"token": {secret}, "password": {"password"}, "password_confirm": {"password"}})
		assert.Equal(t, http.StatusUnprocessableEntity, weak.status)
		assert.Contains(t, weak.body, `name="token" value="`+secret+`"`, "the form keeps the link")
		done := holder.post("/password-reset", url.Values{"token": {secret}, "password": {"brand new pass"}, "password_confirm": {"brand new pass"}})
		require.Equal(t, http.StatusSeeOther, done.status, done.body)
		assert.Equal(t, "/login", done.location)

		// Everything from before has ended; the new password works.
		assert.Equal(t, http.StatusSeeOther, old.get("/tickets").status, "the old session has ended")
		res, _ = a.apiCall(token, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status, "the API token is revoked")
		assert.Equal(t, http.StatusUnauthorized, a.browser().login("forgetful", "correct-horse").status)
		assert.Equal(t, http.StatusSeeOther, a.browser().login("forgetful", "brand new pass").status)

		// The link works once.
		assert.Equal(t, http.StatusNotFound, holder.get(link.RequestURI()).status)
		again := holder.post("/password-reset", url.Values{"token": {secret}, "password": {"another new pass"}, "password_confirm": {"another new pass"}})
		assert.Equal(t, http.StatusNotFound, again.status)
	})
}
