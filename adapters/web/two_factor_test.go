package web

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/totp"
)

var (
	secretOnPage = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)
	codeOnPage   = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)
)

// enrolOnPage turns two-factor sign-in on through /account/2fa as b, at the
// site's clock, and returns the secret and the recovery codes shown.
func enrolOnPage(t *testing.T, s *site, b *browser) (string, []string) {
	t.Helper()
	page := b.get("/account/2fa")
	require.Equal(t, http.StatusOK, page.status, page.body)
	assert.Contains(t, page.body, `<svg xmlns="http://www.w3.org/2000/svg" class="qr"`)
	m := secretOnPage.FindStringSubmatch(page.body)
	require.NotNil(t, m, page.body)
	on := b.post("/account/2fa", url.Values{"code": {totp.Code(m[1], s.clock.Now())}})
	require.Equal(t, http.StatusOK, on.status, on.body)
	var codes []string
	for _, c := range codeOnPage.FindAllStringSubmatch(on.body, -1) {
		codes = append(codes, c[1])
	}
	require.Len(t, codes, 10)
	return m[1], codes
}

// tourTwoFactor renders every page of two-factor sign-in in lang: the
// enrolment, the recovery codes, the code step of a login, a wrong code.
func tourTwoFactor(t *testing.T, s *site, lang string) {
	t.Helper()
	b, u := s.loggedIn("careful_"+lang, "user")
	b.language = lang
	assert.Equal(t, http.StatusUnprocessableEntity, b.post("/account/2fa", url.Values{"code": {"x"}}).status)
	secret, _ := enrolOnPage(t, s, b)
	b.get("/account/2fa")
	s.clock.Advance(time.Minute)
	other := s.browser()
	other.language = lang
	r := other.logIn(u.Username(), u.Username()+"-secret")
	require.Equal(t, "/login/code", r.location)
	other.get("/login/code")
	other.post("/login/code", url.Values{"code": {"12"}})
	r = other.post("/login/code", url.Values{"code": {totp.Code(secret, s.clock.Now())}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
}

func TestTwoFactorLogInOnTheSiteClock(t *testing.T) {
	s := newSite(t)
	owner, _ := s.loggedIn("owner", "user")
	secret, recovery := enrolOnPage(t, s, owner)
	assert.Contains(t, owner.get("/account/2fa").body, `id="two-factor-on"`)
	s.clock.Advance(time.Minute)

	b := s.browser()
	r := b.post("/login", url.Values{"username": {"owner"}, "password": {"owner-secret"}, "next": {"/tickets"}})
	require.Equal(t, http.StatusSeeOther, r.status, r.body)
	assert.Equal(t, "/login/code?next=%2Ftickets", r.location)
	assert.Empty(t, b.cookie(sessionCookie), "no session before the code")
	page := b.get("/login/code?next=/tickets")
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, `name="next" value="/tickets"`)

	wrong := b.post("/login/code", url.Values{"code": {"000000"}, "next": {"/tickets"}})
	assert.Equal(t, http.StatusUnprocessableEntity, wrong.status)
	assert.Contains(t, wrong.body, "The code is wrong")

	// The clock of the handler is the clock of the codes: a code of the
	// real time is wrong here.
	realTime := b.post("/login/code", url.Values{"code": {totp.Code(secret, time.Now())}})
	assert.Equal(t, http.StatusUnprocessableEntity, realTime.status)

	done := b.post("/login/code", url.Values{"code": {totp.Code(secret, s.clock.Now())}, "next": {"/tickets"}})
	require.Equal(t, http.StatusSeeOther, done.status, done.body)
	assert.Equal(t, "/tickets", done.location)
	assert.Equal(t, http.StatusOK, b.get("/tickets").status)

	// Recovery codes: once each; then wrong codes are throttled.
	c := s.browser()
	c.logIn("owner", "owner-secret")
	require.Equal(t, http.StatusSeeOther, c.post("/login/code", url.Values{"code": {recovery[0]}}).status)
	d := s.browser()
	d.logIn("owner", "owner-secret")
	assert.Equal(t, http.StatusUnprocessableEntity, d.post("/login/code", url.Values{"code": {recovery[0]}}).status)
	var last *response
	for range 5 {
		last = d.post("/login/code", url.Values{"code": {"111111"}})
	}
	assert.Equal(t, http.StatusTooManyRequests, last.status)
	assert.NotEmpty(t, last.header.Get("Retry-After"))

	// A browser without a waiting login goes back to the password.
	stranger := s.browser()
	back := stranger.get("/login/code?next=/tickets")
	assert.Equal(t, http.StatusSeeOther, back.status)
	assert.Equal(t, "/login?next=%2Ftickets", back.location)
}
