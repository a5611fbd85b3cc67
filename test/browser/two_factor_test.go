package browser

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/totp"
)

// A careful person turns on two-factor sign-in from the account page: scans
// the QR code drawn by the server (or types the key beside it), confirms
// with a code, keeps the recovery codes, and the next login asks for a
// code.
func TestBrowserTwoFactorEnrolment(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	tb := openTab(t, a, "careful")
	tb.register("careful.person", "correct horse 1")

	tb.open("/account")
	require.EqualValues(t, http.StatusOK, tb.follow("Two-factor sign-in: codes from an authenticator app"))
	require.Equal(t, "/account/2fa", tb.path())
	assert.Equal(t, "Two-factor sign-in", tb.text("h1"))
	assert.Equal(t, 1, runJS[int](tb, `document.querySelectorAll('svg.qr').length`), "the QR code is in the page")
	assert.Positive(t, runJS[float64](tb, `document.querySelector('svg.qr').getBoundingClientRect().width`), "and shown")
	secret := tb.text("#totp-secret")
	require.Regexp(t, `^[A-Z2-7]{32}$`, secret)
	tb.screenshot("two-factor-enrol")

	tb.fill("Code", "000000")
	assert.EqualValues(t, http.StatusUnprocessableEntity, tb.press("Turn on"), "a wrong code is refused")
	assert.Contains(t, tb.text("#code-error"), "The code is wrong")
	assert.Equal(t, secret, tb.text("#totp-secret"), "the same key, to try again")

	now := time.Now()
	tb.fill("Code", totp.Code(secret, now))
	require.EqualValues(t, http.StatusOK, tb.press("Turn on"))
	codes := tb.texts("#recovery-codes li")
	assert.Len(t, codes, 10)
	tb.screenshot("two-factor-recovery-codes")
	require.EqualValues(t, http.StatusOK, tb.follow("I have saved them — continue"))
	assert.Equal(t, "/account", tb.path())

	other := openTab(t, a, "careful-elsewhere")
	other.open("/login")
	other.fill("Username", "careful.person")
	other.fill("Password", "correct horse 1")
	require.EqualValues(t, http.StatusOK, other.press("Log in"))
	require.Equal(t, "/login/code", other.path())
	assert.Equal(t, "Two-factor sign-in", other.text("h1"))
	other.screenshot("login-code")
	other.fill("Code", totp.Code(secret, now.Add(30*time.Second)))
	require.EqualValues(t, http.StatusOK, other.press("Continue"))
	assert.Equal(t, "Log out (careful.person)", other.text(".site-nav .link-button"))
}
