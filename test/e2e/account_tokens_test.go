package e2e

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	issuedToken = regexp.MustCompile(`id="issued-token"[^>]*>([^<]+)</textarea>`)
	revokeForm  = regexp.MustCompile(`action="(/account/tokens/\d+/revoke)"`)
)

func TestAPITokensMadeOnTheAccountPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		b := a.browser()
		b.mustSignUp("token_maker", "correct-horse")
		other := a.browser()
		other.mustSignUp("token_other", "correct-horse")

		assert.Contains(t, b.get("/account").body, "You have no API tokens.")
		long := b.post("/account/tokens", url.Values{"name": {strings.Repeat("x", 101)}})
		assert.Equal(t, http.StatusUnprocessableEntity, long.status)
		assert.Contains(t, long.body, "at most 100 characters")

		made := b.post("/account/tokens", url.Values{"name": {"backup script"}})
		require.Equal(t, http.StatusSeeOther, made.status, made.body)
		assert.Equal(t, "/account#tokens", made.location)
		page := b.get("/account")
		m := issuedToken.FindStringSubmatch(page.body)
		require.NotNil(t, m, "the new token is shown: %s", page.body)
		token := html.UnescapeString(strings.TrimSpace(m[1]))
		assert.True(t, strings.HasPrefix(token, "crm_"), token)
		assert.Contains(t, page.body, "backup script")
		assert.Contains(t, page.body, ">never<", "not used yet")
		again := b.get("/account")
		assert.NotContains(t, again.body, token, "shown once")
		assert.NotContains(t, a.logs.String(), token, "never logged")

		res, me := a.apiCall(token, "GET", "/api/v1/me", "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "token_maker", me["username"])
		assert.NotContains(t, b.get("/account").body, ">never<", "the use is recorded")

		// Someone else cannot revoke it; its owner can.
		rm := revokeForm.FindStringSubmatch(again.body)
		require.NotNil(t, rm)
		assert.Equal(t, http.StatusNotFound, other.post(rm[1], nil).status)
		res, _ = a.apiCall(token, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusOK, res.status, "still works")
		done := b.post(rm[1], nil)
		require.Equal(t, http.StatusSeeOther, done.status)
		res, _ = a.apiCall(token, "GET", "/api/v1/me", "")
		assert.Equal(t, http.StatusUnauthorized, res.status, "revoked")
		assert.Contains(t, b.get("/account").body, "You have no API tokens.")
	})
}
