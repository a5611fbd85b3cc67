package browser

import (
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The flows below use the English interface, the browser's default here.

// register signs up through the registration form; the application logs
// the newcomer in and shows the new ticket form.
func (tb *tab) register(username, password string) {
	tb.t.Helper()
	tb.open("/register")
	tb.fill("Username", username)
	tb.fill("Password", password)
	tb.fill("Repeat the password", password)
	require.EqualValues(tb.t, http.StatusOK, tb.press("Create account"))
	require.Equal(tb.t, "/tickets/new", tb.path(), "after registering")
	require.Equal(tb.t, "Welcome! Your account is ready.", tb.text(".flash"))
}

// logIn logs in through the login form.
func (tb *tab) logIn(username, password string) {
	tb.t.Helper()
	tb.open("/login")
	tb.fill("Username", username)
	tb.fill("Password", password)
	require.EqualValues(tb.t, http.StatusOK, tb.press("Log in"))
	require.Equal(tb.t, "Log out ("+username+")", tb.text(".site-nav .link-button"), "logged in as %s", username)
}

var ticketPath = regexp.MustCompile(`^/tickets/(\d+)$`)

// submitTicket files a ticket through the form and returns its page's path
// and number.
func (tb *tab) submitTicket(title, typ, text string) (path, id string) {
	tb.t.Helper()
	tb.open("/tickets/new")
	tb.fill("Title", title)
	tb.choose("Type", typ)
	tb.fill("Description", text)
	require.EqualValues(tb.t, http.StatusOK, tb.press("Submit ticket"))
	path = tb.path()
	m := ticketPath.FindStringSubmatch(path)
	require.NotNil(tb.t, m, "submitting a ticket leads to its page, not %s", path)
	require.Equal(tb.t, "Ticket #"+m[1]+" submitted. We will keep you posted here.", tb.text(".flash"))
	return path, m[1]
}

// routeMissing reports whether the application has no route for method and
// path: it answers 404 to an anonymous request (a route that exists sends
// an anonymous visitor to the login page instead).
func routeMissing(t *testing.T, a *app, method, path string) bool {
	t.Helper()
	req, err := http.NewRequest(method, a.url(path), nil)
	require.NoError(t, err)
	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	res, err := client.Do(req)
	require.NoError(t, err)
	_ = res.Body.Close()
	return res.StatusCode == http.StatusNotFound
}
