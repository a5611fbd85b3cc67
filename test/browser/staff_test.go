package browser

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Staff find a new ticket in the queue, take it, move it to "in progress"
// with a word for the owner, leave an internal note and close it; the owner
// sees every step in the history, and never the note.
func TestBrowserStaffMovesTicketOwnerSeesHistory(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "sam.staff", "sam-works-the-queue")

	owner := openTab(t, a, "owner")
	owner.register("olga", "olga-has-a-printer")
	path, id := owner.submitTicket("Printer jams on page two", "Repair", "Every second page jams.")

	staff := openTab(t, a, "staff")
	staff.logIn("sam.staff", "sam-works-the-queue")
	require.EqualValues(t, http.StatusOK, staff.follow("Queue"))
	require.Equal(t, "/admin/tickets", staff.path())
	assert.Equal(t, "Ticket queue", staff.text("h1"))
	staff.choose("Status", "Open")
	staff.choose("Assignee", "Unassigned")
	require.EqualValues(t, http.StatusOK, staff.press("Filter"))
	assert.Equal(t, "/admin/tickets?q=&status=open&type=&assignee=unassigned&sort=", staff.path(), "the filters are kept in the URL")
	assert.Equal(t, []string{id, "Printer jams on page two", "olga", "Repair", "Open", "Not assigned", "in 4 hours", "Not rated", "just now"},
		staff.texts(".list tbody td"))
	staff.screenshot("queue", "queue")

	require.EqualValues(t, http.StatusOK, staff.follow("Printer jams on page two"))
	require.Equal(t, "/admin/tickets/"+id, staff.path())
	require.EqualValues(t, http.StatusOK, staff.press("Assign to me"))
	assert.Equal(t, "Ticket #"+id+" assigned.", staff.text(".flash"))

	staff.tick("In progress")
	staff.fill("Comment for the owner (optional)", "We ordered a new roller; it arrives on Friday.")
	require.EqualValues(t, http.StatusOK, staff.press("Change status"))
	assert.Equal(t, "Status of ticket #"+id+" changed.", staff.text(".flash"))
	assert.Equal(t, "In progress", staff.text(".facts .badge"))

	staff.fill("Comment", "Supplier order A-113, paid by card.")
	staff.tick("Internal note (the owner never sees it)")
	require.EqualValues(t, http.StatusOK, staff.press("Send comment"))
	assert.Equal(t, "Internal note on ticket #"+id+" added.", staff.text(".flash"))
	staff.screenshot("staff-ticket", "staff-ticket")

	// The owner sees the change, the assignee and the word for them.
	owner.open(path)
	assert.Equal(t, []string{"In progress", "Repair", "olga", "sam.staff"}, owner.texts(".facts dd")[:4])
	assert.Equal(t, []string{
		"Submitted by olga · just now",
		"sam.staff changed the status: Open → to In progress · just now We ordered a new roller; it arrives on Friday.",
	}, owner.texts(".timeline > li"))
	assert.Equal(t, []string{"Open", "In progress"}, owner.texts(".timeline .badge"))
	assert.NotContains(t, owner.text("main"), "A-113", "the owner never sees an internal note")
	owner.screenshot("ticket-history", "ticket-history")

	staff.tick("Closed")
	require.EqualValues(t, http.StatusOK, staff.press("Change status"))
	assert.Equal(t, "Closed", staff.text(".facts .badge"))

	owner.open(path)
	assert.Equal(t, []string{"Open", "In progress", "In progress", "Closed"}, owner.texts(".timeline .badge"))
	assert.Equal(t, "This ticket is closed. If the problem is back, write a comment: it reopens the ticket. Submit a new ticket",
		owner.text(".note"))
	assert.Equal(t, 1, runJS[int](owner, `document.querySelectorAll('form[action$="/comments"]').length`),
		"the owner's comment on a closed ticket reopens it")
	owner.open("/tickets")
	assert.Equal(t, []string{id, "Printer jams on page two", "Repair", "Closed", "just now"}, owner.texts(".list tbody td"))
}
