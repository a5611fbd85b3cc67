package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A newcomer finds the desk, registers (after one mistake), submits a
// ticket, sees it on its page and in their list, logs out and back in.
func TestBrowserNewcomerRegistersSubmitsAndSeesTicket(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	tb := openTab(t, a, "newcomer")

	tb.open("/")
	assert.Equal(t, "en", tb.lang())
	assert.Equal(t, "Ask for help, and see what happens to your request", tb.text("h1"))
	tb.screenshot("home", "home")

	require.EqualValues(t, http.StatusOK, tb.follow("Create an account"))
	require.Equal(t, "/register", tb.path())
	tb.screenshot("register", "register")

	// A mistake: the confirmation does not match. The form comes back with
	// the username kept and the message beside the field.
	tb.fill("Username", "nina.k")
	tb.fill("Password", "correct horse 1")
	tb.fill("Repeat the password", "correct horse 2")
	status := tb.press("Create account")
	assert.NotEqual(t, int64(http.StatusOK), status, "a refused form is not a 200")
	assert.Equal(t, "/register", tb.path())
	assert.Equal(t, "Please correct the marked fields.", tb.text(".alert"))
	assert.Equal(t, "nina.k", runJS[string](tb, fieldByLabel("Username")+".value"))
	assert.Equal(t, "The passwords do not match.", tb.text("#password_confirm-error"))
	assert.Equal(t, "true", runJS[string](tb, `document.getElementById('password_confirm').getAttribute('aria-invalid')`))
	tb.screenshot("register-error")

	tb.fill("Password", "correct horse 1")
	tb.fill("Repeat the password", "correct horse 1")
	require.EqualValues(t, http.StatusOK, tb.press("Create account"))
	require.Equal(t, "/tickets/new", tb.path())
	assert.Equal(t, "Welcome! Your account is ready.", tb.text(".flash"))
	assert.Equal(t, "Log out (nina.k)", tb.text(".site-nav .link-button"))
	tb.screenshot("new-ticket")

	// Markup typed into the form is shown as text, never run.
	path, id := tb.submitTicket("Washing machine leaks", "Repair",
		"Water under the machine after every <b>wash</b>.\n<script>alert(1)</script>")
	assert.Equal(t, "#"+id+" Washing machine leaks", tb.text("h1"))
	assert.Equal(t, "Open", tb.text(".facts .badge"))
	assert.Equal(t, []string{"Status", "Type", "Submitted by", "Assignee", "Submitted", "Updated"}, tb.texts(".facts dt"))
	assert.Equal(t, []string{"Open", "Repair", "nina.k", "Not assigned"}, tb.texts(".facts dd")[:4])
	assert.Equal(t, "Water under the machine after every <b>wash</b>.\n<script>alert(1)</script>", tb.text(".text.box"))
	assert.Zero(t, runJS[int](tb, `document.querySelectorAll('main b, main script').length`), "markup from the form is not run")
	assert.Equal(t, []string{"Submitted by nina.k · just now"}, tb.texts(".timeline li"))
	tb.screenshot("ticket")

	require.EqualValues(t, http.StatusOK, tb.follow("My tickets"))
	require.Equal(t, "/tickets", tb.path())
	assert.Equal(t, "1 ticket", tb.text("main .muted"))
	assert.Equal(t, []string{id, "Washing machine leaks", "Repair", "Open", "just now"}, tb.texts(".list tbody td"))
	tb.screenshot("my-tickets", "my-tickets")
	require.EqualValues(t, http.StatusOK, tb.follow("Washing machine leaks"))
	assert.Equal(t, path, tb.path())

	require.EqualValues(t, http.StatusOK, tb.follow("Account"))
	assert.Equal(t, "/account", tb.path())
	assert.Equal(t, "Your account", tb.text("h1"))
	assert.Equal(t, "Telegram notifications are off on this server.", tb.text("#telegram p"),
		"without CRM_TELEGRAM_TOKEN the account page says Telegram is off")
	assert.Zero(t, runJS[int](tb, `document.querySelectorAll('form[action="/account/telegram/link"]').length`))
	tb.screenshot("account")

	require.EqualValues(t, http.StatusOK, tb.press("Log out (nina.k)"))
	assert.Equal(t, "You have logged out.", tb.text(".flash"))
	tb.openExpect("/tickets", http.StatusOK) // the login page, with the way back
	assert.Equal(t, "/login?next=%2Ftickets", tb.path())
	tb.screenshot("login")
	tb.fill("Username", "nina.k")
	tb.fill("Password", "correct horse 1")
	require.EqualValues(t, http.StatusOK, tb.press("Log in"))
	assert.Equal(t, "/tickets", tb.path(), "back where the login started")
	assert.Equal(t, []string{"Washing machine leaks"}, tb.texts(".list tbody td:nth-child(2)"))
}
