package e2e

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/totp"
)

var (
	totpSecret    = regexp.MustCompile(`<code id="totp-secret">([A-Z2-7]+)</code>`)
	recoveryCodes = regexp.MustCompile(`<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>`)
)

// secretOn returns the TOTP secret an enrolment page shows beside its QR
// code.
func secretOn(t *testing.T, body string) string {
	t.Helper()
	assert.Contains(t, body, "<svg", "the QR code is drawn in the page")
	m := totpSecret.FindStringSubmatch(body)
	require.NotNil(t, m, "no secret on the page: %s", body)
	return m[1]
}

// recoveryCodesOn returns the recovery codes a page shows.
func recoveryCodesOn(t *testing.T, body string) []string {
	t.Helper()
	var codes []string
	for _, m := range recoveryCodes.FindAllStringSubmatch(body, -1) {
		codes = append(codes, m[1])
	}
	require.Len(t, codes, 10, "recovery codes: %s", body)
	return codes
}

// passwordStep logs in with the password and checks that a code is asked
// for, with no session yet.
func (b *browser) passwordStep(username, password string) {
	b.t.Helper()
	r := b.login(username, password)
	require.Equal(b.t, http.StatusSeeOther, r.status, r.body)
	require.Equal(b.t, "/login/code", r.location)
	assert.Equal(b.t, http.StatusSeeOther, b.get("/tickets").status, "no session before the code")
}

func TestTwoFactorSignInEndToEnd(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("tfa_owner", "correct-horse")
		assert.Contains(t, owner.get("/account").body, `href="/account/2fa"`)

		page := owner.get("/account/2fa")
		require.Equal(t, http.StatusOK, page.status, page.body)
		secret := secretOn(t, page.body)
		assert.Equal(t, secret, secretOn(t, owner.get("/account/2fa").body), "a reload keeps the secret")
		wrong := owner.post("/account/2fa", url.Values{"code": {"12345"}})
		assert.Equal(t, http.StatusUnprocessableEntity, wrong.status)
		assert.Contains(t, wrong.body, "The code is wrong")
		// Each code is good once: enrol with this step's code, log in with
		// the next one's (one step of drift either way is accepted).
		now := time.Now()
		on := owner.post("/account/2fa", url.Values{"code": {totp.Code(secret, now)}})
		require.Equal(t, http.StatusOK, on.status, on.body)
		recovery := recoveryCodesOn(t, on.body)
		assert.Contains(t, owner.get("/account/2fa").body, `id="two-factor-on"`)
		assert.NotContains(t, owner.get("/account/2fa").body, secret, "the secret is not shown again")

		withCode := a.browser()
		withCode.passwordStep("tfa_owner", "correct-horse")
		ask := withCode.get("/login/code")
		require.Equal(t, http.StatusOK, ask.status)
		assert.Contains(t, ask.body, `name="code"`)
		assert.NotContains(t, ask.body, "<svg", "no enrolment: just the code")
		done := withCode.post("/login/code", url.Values{"code": {totp.Code(secret, now.Add(30*time.Second))}})
		require.Equal(t, http.StatusSeeOther, done.status, done.body)
		assert.Equal(t, "/", done.location)
		assert.Equal(t, http.StatusOK, withCode.get("/tickets").status)

		withRecovery := a.browser()
		withRecovery.passwordStep("tfa_owner", "correct-horse")
		done = withRecovery.post("/login/code", url.Values{"code": {strings.ToUpper(recovery[0])}})
		require.Equal(t, http.StatusSeeOther, done.status, done.body)
		assert.Equal(t, http.StatusOK, withRecovery.get("/tickets").status)

		again := a.browser()
		again.passwordStep("tfa_owner", "correct-horse")
		spent := again.post("/login/code", url.Values{"code": {recovery[0]}})
		assert.Equal(t, http.StatusUnprocessableEntity, spent.status, "a recovery code works once")
		assert.Equal(t, http.StatusSeeOther, again.get("/tickets").status)

		// Guessing codes: after a few wrong ones, 429 with Retry-After, even
		// for a right code.
		var throttled response
		for range 10 {
			throttled = again.post("/login/code", url.Values{"code": {"000000"}})
			if throttled.status != http.StatusUnprocessableEntity {
				break
			}
		}
		require.Equal(t, http.StatusTooManyRequests, throttled.status, throttled.body)
		assert.NotEmpty(t, throttled.header.Get("Retry-After"))
		blocked := again.post("/login/code", url.Values{"code": {recovery[1]}})
		assert.Equal(t, http.StatusTooManyRequests, blocked.status)

		out, errOut, code := a.crm("", "user", "reset-2fa", "tfa_owner")
		require.Equal(t, 0, code, "%s %s", out, errOut)
		assert.Contains(t, out, "two-factor sign-in of tfa_owner is off")
		plain := a.browser()
		r := plain.login("tfa_owner", "correct-horse")
		require.Equal(t, http.StatusSeeOther, r.status)
		assert.Equal(t, "/", r.location, "after the reset the password is enough")
	})
}

func TestRequire2FASendsStaffToEnrolment(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL, "CRM_REQUIRE_2FA", "staff")
		a.mustCreateUser("tfa_staff", "correct-horse", "staff")

		user := a.browser()
		user.mustSignUp("tfa_person", "correct-horse") // users are not asked

		staff := a.browser()
		staff.passwordStep("tfa_staff", "correct-horse")
		page := staff.get("/login/code")
		require.Equal(t, http.StatusOK, page.status)
		secret := secretOn(t, page.body)
		assert.Equal(t, http.StatusSeeOther, staff.get("/admin/tickets").status, "no session until enrolled")

		done := staff.post("/login/code", url.Values{"code": {totp.Code(secret, time.Now())}})
		require.Equal(t, http.StatusOK, done.status, done.body)
		recoveryCodesOn(t, done.body)
		assert.Equal(t, http.StatusOK, staff.get("/admin/tickets").status)

		off := staff.post("/account/2fa/disable", url.Values{"code": {totp.Code(secret, time.Now().Add(30*time.Second))}})
		assert.Equal(t, http.StatusConflict, off.status, "mandatory for staff: it stays on")

		next := a.browser()
		next.passwordStep("tfa_staff", "correct-horse")
		assert.NotContains(t, next.get("/login/code").body, "<svg", "enrolled: a code is asked for")
	})
}
