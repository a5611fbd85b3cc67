package browser

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// On a 360 px phone the main pages fit the screen: nothing scrolls
// sideways, even with a long unbroken word (a pasted link or error code) in
// a ticket.
func TestBrowserPhoneViewportHasNoHorizontalScroll(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.cli(t, "", "demo") // staff_user/user_staff, and test_user's three tickets in the queue
	long := "https://example.com/support/" + strings.Repeat("error-0x80070005-", 5)

	owner := openTab(t, a, "owner").phone()
	owner.open("/")
	require.Equal(t, 360, runJS[int](owner, "window.innerWidth"), "the phone viewport, with the page's meta viewport")
	owner.requireNoHorizontalScroll()
	owner.screenshot("phone-home")

	owner.open("/register")
	owner.requireNoHorizontalScroll()
	owner.screenshot("phone-register")

	owner.register("pavel_from_a_phone", "typed-on-a-small-screen")
	owner.requireNoHorizontalScroll() // the new ticket form
	owner.screenshot("phone-new-ticket")

	path, _ := owner.submitTicket("Router "+long, "Service", "The router shows "+long+" after a restart.")
	owner.requireNoHorizontalScroll()
	owner.screenshot("phone-ticket")

	owner.open("/tickets")
	owner.requireNoHorizontalScroll()
	owner.screenshot("phone-my-tickets")

	demo := openTab(t, a, "test_user").phone()
	demo.logIn("test_user", "user_test")
	demo.open("/tickets")
	assert.Len(t, demo.texts(".list tbody tr"), 3, "the demo user's tickets")
	demo.requireNoHorizontalScroll()
	demo.screenshotScreen("phone-demo-tickets", "phone-my-tickets")

	owner.open("/account")
	owner.requireNoHorizontalScroll()

	staff := openTab(t, a, "staff").phone()
	staff.logIn("staff_user", "user_staff")
	staff.open("/admin/tickets")
	assert.Len(t, staff.texts(".list tbody tr"), 4, "the demo tickets and the new one")
	staff.requireNoHorizontalScroll()
	staff.screenshot("phone-queue")

	staff.open("/admin" + path)
	staff.requireNoHorizontalScroll()
	staff.screenshot("phone-staff-ticket")

	// The navigation stays usable: every link of the header is on screen.
	offscreen := runJS[[]string](staff, `[...document.querySelectorAll('.site-nav a, .site-nav button')]
		.filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > window.innerWidth; })
		.map(e => e.textContent.trim())`)
	assert.Empty(t, offscreen, "header links outside the screen")
	require.EqualValues(t, http.StatusOK, staff.follow("Queue"))
}
