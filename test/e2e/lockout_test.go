package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// postFrom posts a form as b would, through a proxy on 127.0.0.1 that
// names addr as the client.
func (b *browser) postFrom(addr, path string, form url.Values) response {
	b.t.Helper()
	return b.postWith(path, form, http.Header{"X-Forwarded-For": {addr}})
}

// A stranger guessing from many addresses cannot lock the owner out: the
// owner logs in from the browser they used before and from an address
// with no failures.
func TestAStrangerCannotLockTheOwnerOut(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL, "CRM_TRUSTED_PROXIES", "127.0.0.1")
		creds := func(password string) url.Values {
			return url.Values{"username": {"victim_user"}, "password": {password}}
		}
		home := a.browser()
		r := home.postFrom("198.51.100.7", "/register", url.Values{
			"username": {"victim_user"}, "password": {"correct-horse"}, "password_confirm": {"correct-horse"},
		})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = home.postFrom("198.51.100.7", "/login", creds("correct-hose"))
		require.Equal(t, http.StatusUnauthorized, r.status, "a typo: home has a failure now")

		for i := range 30 {
			r := a.browser().postFrom(fmt.Sprintf("203.0.113.%d", i%4+1), "/login", creds(fmt.Sprintf("guess-%d", i)))
			require.Contains(t, []int{http.StatusUnauthorized, http.StatusTooManyRequests}, r.status, "guess %d", i+1)
		}
		r = a.browser().postFrom("203.0.113.1", "/login", creds("guess-again"))
		assert.Equal(t, http.StatusTooManyRequests, r.status, "the stranger is slowed down")
		assert.NotEmpty(t, r.header.Get("Retry-After"))

		r = home.postFrom("198.51.100.7", "/login", creds("correct-horse"))
		assert.Equal(t, http.StatusSeeOther, r.status, "the owner's browser logs in")
		r = a.browser().postFrom("192.0.2.44", "/login", creds("correct-horse"))
		assert.Equal(t, http.StatusSeeOther, r.status, "the owner logs in from a clean address")
	})
}
