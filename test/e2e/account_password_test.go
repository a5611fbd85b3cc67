package e2e

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestChangingOnesPasswordEndsTheOtherSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		here, elsewhere := a.browser(), a.browser()
		here.mustSignUp("changer", "correct-horse")
		require.Equal(t, http.StatusSeeOther, elsewhere.login("changer", "correct-horse").status)

		page := here.get("/account")
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, `action="/account/password"`)

		wrong := here.post("/account/password", url.Values{"current_password": {"not-my-password"},
			"password": {"brand new pass"}, "password_confirm": {"brand new pass"}})
		assert.Equal(t, http.StatusUnprocessableEntity, wrong.status)
		assert.Contains(t, wrong.body, "This is not your current password.")
		assert.NotContains(t, wrong.body, "brand new pass", "passwords are not shown again")
		weak := here.post("/account/password", url.Values{"current_password": {"correct-horse"},
			"password": {"password"}, "password_confirm": {"password"}})
		assert.Equal(t, http.StatusUnprocessableEntity, weak.status)
		assert.Contains(t, weak.body, "most common passwords")
		assert.Equal(t, http.StatusOK, elsewhere.get("/tickets").status, "a refusal ends nothing")

		done := here.post("/account/password", url.Values{"current_password": {"correct-horse"},
			"password": {"brand new pass"}, "password_confirm": {"brand new pass"}})
		require.Equal(t, http.StatusSeeOther, done.status, done.body)
		assert.Equal(t, "/account#password", done.location)
		assert.Contains(t, here.get("/account").body, "Password changed.")
		assert.Equal(t, http.StatusOK, here.get("/tickets").status, "this session stays")
		assert.Equal(t, http.StatusSeeOther, elsewhere.get("/tickets").status, "the other one has ended")
		assert.Equal(t, http.StatusUnauthorized, a.browser().login("changer", "correct-horse").status)
		assert.Equal(t, http.StatusSeeOther, a.browser().login("changer", "brand new pass").status)
	})
}
