package web

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPasswordGuessingIsSlowedDownPerUsername(t *testing.T) {
	s := newSite(t)
	s.createUser("victim", "user")
	s.createUser("bystander", "user")
	guesser := s.browser()
	for i := 0; i < LoginFailureLimit; i++ {
		r := guesser.post("/login", url.Values{"username": {"victim"}, "password": {"guess-number"}})
		require.Equal(t, http.StatusUnauthorized, r.status, "attempt %d", i+1)
	}

	// Even the right password waits now, in any letter case.
	r := guesser.post("/login", url.Values{"username": {"VICTIM"}, "password": {"victim-secret"}})
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Contains(t, r.body, "Too many attempts")
	assert.NotEmpty(t, r.header.Get("Retry-After"))

	// Other accounts are not affected.
	r = s.browser().post("/login", url.Values{"username": {"bystander"}, "password": {"bystander-secret"}})
	assert.Equal(t, http.StatusSeeOther, r.status)

	// When the window ends, the owner gets in, and success clears the count.
	s.clock.advance(LoginFailureWindow)
	r = s.browser().post("/login", url.Values{"username": {"victim"}, "password": {"victim-secret"}})
	assert.Equal(t, http.StatusSeeOther, r.status)
	r = guesser.post("/login", url.Values{"username": {"victim"}, "password": {"guess-again"}})
	assert.Equal(t, http.StatusUnauthorized, r.status)
}
