package web

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func credentials(username, password string) url.Values {
	return url.Values{"username": {username}, "password": {password}}
}

// spendBudget sends LoginFailureLimit wrong passwords for username, two from
// each of the addresses 203.0.113.1, .2, …, so that no address reaches
// LoginPairFailureLimit.
func (s *site) spendBudget(username string) {
	s.t.Helper()
	for i := range LoginFailureLimit {
		r := s.browser().from(fmt.Sprintf("203.0.113.%d", i/2+1)).post("/login", credentials(username, fmt.Sprintf("guess-%d", i)))
		require.Equal(s.t, http.StatusUnauthorized, r.status, "guess %d", i+1)
	}
}

// deviceCookieOf returns the browser's device cookie, or "".
func (b *browser) deviceCookieOf() *http.Cookie {
	u, _ := url.Parse(b.site.srv.URL + "/login")
	for _, c := range b.jar.Cookies(u) {
		if c.Name == deviceCookie {
			return c
		}
	}
	return nil
}

func TestGuessingFromOneAddressStopsThereForThatUsername(t *testing.T) {
	s := newSite(t)
	s.createUser("victim", "user")
	s.createUser("bystander", "user")
	for i := range LoginPairFailureLimit {
		r := s.browser().from("203.0.113.9").post("/login", credentials("victim", fmt.Sprintf("guess-%d", i)))
		require.Equal(t, http.StatusUnauthorized, r.status, "guess %d", i+1)
	}

	r := s.browser().from("203.0.113.9").post("/login", credentials("Victim", "victim-secret"))
	assert.Equal(t, http.StatusTooManyRequests, r.status, "that address may not try that username, in any letter case")
	assert.Contains(t, r.body, "Too many attempts")
	assert.Equal(t, strconv.Itoa(int(LoginFailureWindow.Seconds())), r.header.Get("Retry-After"), "until the window ends")
	assert.Contains(t, s.logs.String(), "too many wrong passwords for the username from the address")

	r = s.browser().from("203.0.113.9").post("/login", credentials("bystander", "bystander-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "other usernames from that address")
	r = s.browser().from("198.51.100.7").post("/login", credentials("victim", "victim-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "that username from other addresses")

	s.clock.Advance(LoginFailureWindow)
	r = s.browser().from("203.0.113.9").post("/login", credentials("victim", "guess-again"))
	assert.Equal(t, http.StatusUnauthorized, r.status, "after the window")
}

func TestAnAddressThatFailsOnManyAccountsIsStopped(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) { o.LoginAttemptsPerMinute = 100 }))
	s.createUser("owner", "user")
	known := s.browser().from("203.0.113.9")
	known.logIn("owner", "owner-secret")
	for i := range LoginAddressFailureLimit {
		r := s.browser().from("203.0.113.9").post("/login", credentials(fmt.Sprintf("user_%d", i), "password-1"))
		require.Equal(t, http.StatusUnauthorized, r.status, "guess %d", i+1)
	}

	r := s.browser().from("203.0.113.9").post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Contains(t, s.logs.String(), "too many wrong passwords from the address")
	r = known.post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "a browser that logged in before")
	r = s.browser().from("203.0.113.10").post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "the next address")
}

func TestTheBudgetOfAUsernameSlowsGuessingFromEveryAddress(t *testing.T) {
	s := newSite(t)
	s.createUser("victim", "user")
	s.createUser("bystander", "user")
	s.spendBudget("victim")

	// From an address with failures: one attempt per LoginSlowInterval.
	stranger := s.browser().from("203.0.113.1")
	r := stranger.post("/login", credentials("victim", "guess-a"))
	assert.Equal(t, http.StatusUnauthorized, r.status, "one attempt gets through")
	r = stranger.post("/login", credentials("victim", "guess-b"))
	assert.Equal(t, http.StatusTooManyRequests, r.status, "the next waits")
	assert.Equal(t, strconv.Itoa(int(LoginSlowInterval.Seconds())), r.header.Get("Retry-After"))
	r = s.browser().from("203.0.113.2").post("/login", credentials("victim", "guess-c"))
	assert.Equal(t, http.StatusTooManyRequests, r.status, "from every address with failures together")
	assert.Contains(t, s.logs.String(), "too many wrong passwords for the username")

	s.clock.Advance(LoginSlowInterval)
	r = stranger.post("/login", credentials("victim", "guess-d"))
	assert.Equal(t, http.StatusUnauthorized, r.status, "a slot again")
	r = stranger.post("/login", credentials("victim", "guess-e"))
	assert.Equal(t, http.StatusTooManyRequests, r.status)

	r = stranger.post("/login", credentials("bystander", "bystander-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "other accounts are not slowed")
	r = s.browser().from("192.0.2.44").post("/login", credentials("victim", "guess-f"))
	assert.Equal(t, http.StatusUnauthorized, r.status, "an address with no failures gets to the password check")

	s.clock.Advance(LoginFailureWindow)
	for i := range 2 {
		r = stranger.post("/login", credentials("victim", "guess-after"))
		assert.Equal(t, http.StatusUnauthorized, r.status, "the budget is back after the window, attempt %d", i+1)
	}
}

func TestAKnownBrowserThatKeepsGuessingIsKnownNoMore(t *testing.T) {
	s := newSite(t)
	s.createUser("victim", "user")
	home := s.browser().from("198.51.100.7")
	home.logIn("victim", "victim-secret")
	s.spendBudget("victim")

	for i := range LoginDeviceFailureLimit {
		r := home.post("/login", credentials("victim", fmt.Sprintf("typo-%d", i)))
		require.Equal(t, http.StatusUnauthorized, r.status, "a known browser gets to the password check, attempt %d", i+1)
	}
	r := home.post("/login", credentials("victim", "victim-secret"))
	assert.Equal(t, http.StatusTooManyRequests, r.status, "after %d wrong passwords it is a stranger", LoginDeviceFailureLimit)
}

func TestTheDeviceCookieVouchesForItsAccountsOnly(t *testing.T) {
	s := newSite(t)
	s.createUser("alice", "user")
	s.createUser("bob", "user")
	x := s.browser().from("198.51.100.7")
	x.logIn("alice", "alice-secret")
	c := x.deviceCookieOf()
	require.NotNil(t, c, "logging in remembers the browser")
	assert.NotContains(t, c.Value, "alice", "the cookie names no account")

	// Both budgets spent, their slow slots taken, and a failure at x's address.
	for _, name := range []string{"alice", "bob"} {
		s.spendBudget(name)
		r := s.browser().from("203.0.113.1").post("/login", credentials(name, "guess-slow"))
		require.Equal(t, http.StatusUnauthorized, r.status)
	}
	r := x.post("/login", credentials("alice", "alice-typo"))
	require.Equal(t, http.StatusUnauthorized, r.status, "a known browser gets to the password check")

	r = x.post("/login", credentials("bob", "bob-secret"))
	assert.Equal(t, http.StatusTooManyRequests, r.status, "alice's browser is not bob's")

	id, macs := readDeviceCookie(&http.Request{Header: http.Header{"Cookie": {c.String()}}})
	require.Len(t, macs, 1)
	other := map[byte]byte{'A': 'B'}[macs[0][0]]
	if other == 0 {
		other = 'A'
	}
	tamperedMAC := string(other) + macs[0][1:]
	otherSite := newSite(t)
	otherSite.createUser("alice", "user")
	y := otherSite.browser()
	y.logIn("alice", "alice-secret")
	for name, value := range map[string]string{
		"a tampered MAC":             id + "." + tamperedMAC,
		"another id":                 y.deviceCookieOf().Value[:len(id)] + "." + macs[0],
		"a cookie of another server": y.deviceCookieOf().Value,
		"not a device cookie":        "alice",
	} {
		b := s.browser().from("198.51.100.7")
		b.jar.SetCookies(mustURL(t, s.srv.URL+"/login"), []*http.Cookie{{Name: deviceCookie, Value: value, Path: "/login"}})
		r = b.post("/login", credentials("alice", "alice-secret"))
		assert.Equal(t, http.StatusTooManyRequests, r.status, "%s vouches for nobody", name)
	}

	r = x.post("/login", credentials("alice", "alice-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "the real one does")
}

func TestABrowserIsRememberedForItsLastAccounts(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	var ids []string
	for i := range maxDeviceAccounts + 1 {
		name := fmt.Sprintf("shared_%d", i)
		s.createUser(name, "user")
		b.logIn(name, name+"-secret")
		id, macs := readDeviceCookie(&http.Request{Header: http.Header{"Cookie": {b.deviceCookieOf().String()}}})
		ids = append(ids, id)
		assert.Len(t, macs, min(i+1, maxDeviceAccounts))
	}
	for _, id := range ids {
		assert.Equal(t, ids[0], id, "one device id for the browser")
	}
	req := &http.Request{Header: http.Header{"Cookie": {b.deviceCookieOf().String()}}}
	assert.Empty(t, s.handler.knownDevice(req, "shared_0"), "the oldest account is forgotten")
	assert.Equal(t, ids[0], s.handler.knownDevice(req, "shared_1"))
	assert.Equal(t, ids[0], s.handler.knownDevice(req, fmt.Sprintf("shared_%d", maxDeviceAccounts)))
}

func TestSigningUpRemembersTheBrowser(t *testing.T) {
	s := newSite(t)
	b := s.browser()
	r := b.post("/register", url.Values{"username": {"newcomer"}, "password": {"violet-harbour-lamp"}, "password_confirm": {"violet-harbour-lamp"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	req := &http.Request{Header: http.Header{"Cookie": {b.deviceCookieOf().String()}}}
	assert.NotEmpty(t, s.handler.knownDevice(req, "newcomer"))
}

func TestLoginsAndSignUpsAreRateLimitedPerAddress(t *testing.T) {
	s := newSite(t)
	s.createUser("owner", "user")
	flood := s.browser().from("203.0.113.9")
	for i := range DefaultLoginAttemptsPerMinute {
		// Sign-ups whose passwords differ: attempts, but no wrong password.
		r := flood.post("/register", url.Values{"username": {fmt.Sprintf("flood_%d", i)}, "password": {"a-long-password"}, "password_confirm": {"another-one"}})
		require.Equal(t, http.StatusUnprocessableEntity, r.status, "attempt %d", i+1)
	}

	for _, path := range []string{"/login", "/register"} {
		r := flood.post(path, credentials("owner", "owner-secret"))
		assert.Equal(t, http.StatusTooManyRequests, r.status, path)
		assert.Contains(t, r.body, "Slow down")
		assert.Equal(t, "2", r.header.Get("Retry-After"), "one attempt every 60/%d s", DefaultLoginAttemptsPerMinute)
	}
	assert.Contains(t, s.logs.String(), "too many attempts from the address")

	r := s.browser().from("203.0.113.10").post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "another address")

	s.clock.Advance(time.Minute / DefaultLoginAttemptsPerMinute)
	r = flood.post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusSeeOther, r.status, "one more attempt after the interval")
	r = flood.post("/login", credentials("owner", "owner-secret"))
	assert.Equal(t, http.StatusTooManyRequests, r.status)
}

func TestThrottlingCountsTheClientBehindATrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		// owner is whether the owner, behind the proxy from another
		// address, still logs in once the stranger is stopped.
		owner bool
	}{
		{"no trusted proxy: X-Forwarded-For is ignored", nil, false},
		{"the proxy is trusted", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newSite(t, withOptions(func(o *Options) { o.TrustedProxies = tc.trusted }))
			s.createUser("victim", "user")
			for i := range LoginPairFailureLimit {
				// The stranger claims a new address each time, behind the proxy.
				r := s.browser().postWith("/login", credentials("victim", fmt.Sprintf("guess-%d", i)),
					http.Header{"X-Forwarded-For": {fmt.Sprintf("10.9.9.%d, 203.0.113.9", i)}})
				require.Equal(t, http.StatusUnauthorized, r.status, "guess %d", i+1)
			}
			r := s.browser().postWith("/login", credentials("victim", "guess-again"), http.Header{"X-Forwarded-For": {"203.0.113.9"}})
			assert.Equal(t, http.StatusTooManyRequests, r.status, "the stranger is stopped")

			r = s.browser().postWith("/login", credentials("victim", "victim-secret"), http.Header{"X-Forwarded-For": {"198.51.100.7"}})
			if tc.owner {
				assert.Equal(t, http.StatusSeeOther, r.status, "the owner behind the same proxy logs in")
			} else {
				assert.Equal(t, http.StatusTooManyRequests, r.status, "without a trusted proxy, everyone is the proxy")
			}
		})
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestTheDeviceCookieIsGuarded(t *testing.T) {
	s := newSite(t, withOptions(func(o *Options) { o.SecureCookies = true }))
	s.createUser("owner", "user")
	r := s.browser().post("/login", credentials("owner", "owner-secret"))
	require.Equal(t, http.StatusSeeOther, r.status)
	var c *http.Cookie
	for _, rc := range (&http.Response{Header: r.header}).Cookies() {
		if rc.Name == deviceCookie {
			c = rc
		}
	}
	require.NotNil(t, c, "a login remembers the browser")
	assert.True(t, c.HttpOnly)
	assert.True(t, c.Secure)
	assert.Equal(t, http.SameSiteLaxMode, c.SameSite)
	assert.Equal(t, "/login", c.Path, "sent to the login form only")
	assert.Equal(t, int(deviceCookieAge.Seconds()), c.MaxAge)

	r = s.browser().post("/login", credentials("owner", "wrong-password"))
	require.Equal(t, http.StatusUnauthorized, r.status)
	for _, v := range r.header.Values("Set-Cookie") {
		assert.NotContains(t, v, deviceCookie+"=", "a wrong password remembers nothing")
	}
}
