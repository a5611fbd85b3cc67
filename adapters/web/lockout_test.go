package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A stranger who guesses a username's password from many addresses spends
// its budget and is slowed down; the owner still logs in, from the browser
// they logged in with before and from an address with no failures.
func TestAStrangerCannotLockTheOwnerOut(t *testing.T) {
	s := newSite(t)
	s.createUser("victim", "user")
	home := s.browser().from("198.51.100.7")
	home.logIn("victim", "victim-secret")
	// The owner mistypes once at home: home is no longer a clean address.
	r := home.post("/login", url.Values{"username": {"victim"}, "password": {"victim-typo"}})
	require.Equal(t, http.StatusUnauthorized, r.status)

	for i := range 3 * LoginFailureLimit {
		stranger := s.browser().from(fmt.Sprintf("203.0.113.%d", i%4+1))
		r := stranger.post("/login", url.Values{"username": {"VICTIM"}, "password": {fmt.Sprintf("guess-%d", i)}})
		require.Contains(t, []int{http.StatusUnauthorized, http.StatusTooManyRequests}, r.status, "guess %d", i+1)
	}
	r = s.browser().from("203.0.113.1").post("/login", url.Values{"username": {"victim"}, "password": {"guess-again"}})
	assert.Equal(t, http.StatusTooManyRequests, r.status, "the stranger is slowed down")
	assert.NotEmpty(t, r.header.Get("Retry-After"))

	r = home.post("/login", url.Values{"username": {"victim"}, "password": {"victim-secret"}})
	assert.Equal(t, http.StatusSeeOther, r.status, "the owner's browser, known from before, logs in")
	r = s.browser().from("192.0.2.44").post("/login", url.Values{"username": {"victim"}, "password": {"victim-secret"}})
	assert.Equal(t, http.StatusSeeOther, r.status, "the owner logs in from an address with no failures")
}
