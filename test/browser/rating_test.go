package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The owner closes their ticket from its page ("Close, it's solved"),
// rates the help with one of five buttons, changes their mind; staff see
// the stars on the ticket and in the queue; the owner's reply reopens the
// ticket, and the rating goes with the closing it was for.
func TestBrowserOwnerClosesAndRatesTheirTicket(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "rita.staff", "rita-reads-the-ratings")

	owner := openTab(t, a, "owner")
	owner.register("pavel", "pavel-has-a-kettle")
	path, id := owner.submitTicket("Kettle does not switch off", "Repair", "It boils dry.")

	require.EqualValues(t, http.StatusOK, owner.press("Close, it's solved"))
	assert.Equal(t, path, owner.path())
	assert.Equal(t, "Ticket #"+id+" is closed. How did we do? Rate the help below.", owner.text(".flash"))
	assert.Equal(t, "Closed", owner.text(".facts .badge"))
	assert.Equal(t, "Rate the help", owner.text("#rating-heading"))
	assert.Equal(t, []string{"false", "false", "false", "false", "false"},
		runJS[[]string](owner, `[...document.querySelectorAll('form.stars button')].map(b => b.getAttribute('aria-pressed'))`))
	assert.Zero(t, runJS[int](owner, `document.querySelectorAll('form[action$="/status"]').length`),
		"no close button on a closed ticket")

	require.EqualValues(t, http.StatusOK, owner.clickAndLoad(`document.querySelector('form.stars button[value="2"]')`, "two stars"))
	assert.Equal(t, "Thank you! Your rating of ticket #"+id+" is saved.", owner.text(".flash"))
	require.EqualValues(t, http.StatusOK, owner.clickAndLoad(`document.querySelector('form.stars button[aria-label="Rate 4 of 5"]')`, "four stars"))
	assert.Equal(t, []string{"false", "false", "false", "true", "false"},
		runJS[[]string](owner, `[...document.querySelectorAll('form.stars button')].map(b => b.getAttribute('aria-pressed'))`),
		"the rating can change until the ticket reopens")
	assert.Equal(t, "★★★★☆ 4 of 5", owner.text(".facts .rating"))
	owner.screenshot("ticket-rated")

	staff := openTab(t, a, "staff")
	staff.logIn("rita.staff", "rita-reads-the-ratings")
	staff.open("/admin/tickets/" + id)
	assert.Equal(t, "★★★★☆ 4 of 5", staff.text(".facts .rating"))
	staff.open("/admin/tickets?status=closed")
	assert.Equal(t, []string{id, "Kettle does not switch off", "pavel", "Repair", "Closed", "Not assigned", "—", "★★★★☆ 4 of 5", "just now"},
		staff.texts(".list tbody td"))

	owner.fill("Comment", "It boils dry again.")
	require.EqualValues(t, http.StatusOK, owner.press("Send and reopen"))
	assert.Equal(t, "Open", owner.text(".facts .badge"))
	assert.Contains(t, owner.texts(".timeline > li"),
		"Reopened by the owner's reply (pavel): Closed → to Open · just now")
	assert.Zero(t, runJS[int](owner, `document.querySelectorAll('form.stars, .facts .rating').length`),
		"the rating went with the closing it was for")
	assert.Equal(t, 1, runJS[int](owner, `document.querySelectorAll('form[action$="/status"]').length`),
		"it can be closed again")
}
