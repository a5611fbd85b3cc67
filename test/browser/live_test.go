package browser

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitJS polls a JavaScript condition until it is true, or fails the test
// after stepTimeout.
func (tb *tab) waitJS(expr, what string) {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !runJS[bool](tb, expr) {
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s's browser: %s: not within %s", tb.who, what, stepTimeout)
		}
		time.Sleep(50 * time.Millisecond) // a poll interval, not a wait in place of the condition
	}
}

// The staff queue updates itself, without a reload, when another session
// submits a ticket and when that ticket is closed; the filter form keeps
// what was typed into it.
func TestBrowserQueueUpdatesItself(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "lena.staff", "lena-watches-the-queue")

	staff := openTab(t, a, "staff")
	staff.logIn("lena.staff", "lena-watches-the-queue")
	staff.open("/admin/tickets")
	assert.Equal(t, "queue", runJS[string](staff, `document.getElementById('main').dataset.live`))
	staff.waitJS(`document.getElementById('main').dataset.liveReady === '1'`, "the page listens")
	// Marks this very page: a reload would lose it.
	runJS[bool](staff, `(window.notReloaded = true)`)
	staff.fill("Search title, text or owner", "half-typed")

	owner := openTab(t, a, "owner")
	owner.register("oleg", "oleg-has-a-leaky-tap")
	_, id := owner.submitTicket("Tap drips all night", "Repair", "Drip, drip, drip.")

	staff.waitJS(`[...document.querySelectorAll('.list tbody td')].some(td => td.textContent.includes('Tap drips all night'))`,
		"the new ticket shows in the queue")
	assert.True(t, runJS[bool](staff, `window.notReloaded === true`), "the page updated in place")
	assert.Equal(t, "half-typed", runJS[string](staff, `document.getElementById('q').value`), "typed text is kept")

	require.EqualValues(t, http.StatusOK, owner.press("Close, it's solved"))
	staff.waitJS(`[...document.querySelectorAll('.list tbody tr')].some(tr =>
		tr.textContent.includes('Tap drips all night') && tr.textContent.includes('Closed'))`,
		"ticket #"+id+" shows as closed")
	assert.True(t, runJS[bool](staff, `window.notReloaded === true`))
	staff.screenshot("queue-live")
}

// A staff member writing on a ticket sees the owner's new comment appear
// and a notice about it, while what they typed stays in the box; sending
// it then is not held back, as they have seen the comment.
func TestBrowserTicketPageShowsANewCommentAndKeepsTheDraft(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "ivan.staff", "ivan-answers-tickets")

	owner := openTab(t, a, "owner")
	owner.register("nina", "nina-lost-her-keys")
	path, id := owner.submitTicket("Lost keys", "Service", "Left them at the desk?")

	staff := openTab(t, a, "staff")
	staff.logIn("ivan.staff", "ivan-answers-tickets")
	staff.open("/admin/tickets/" + id)
	staff.waitJS(`document.getElementById('main').dataset.liveReady === '1'`, "the page listens")
	staff.fill("Comment", "Checking the lost and found")

	owner.open(path)
	owner.fill("Comment", "They are blue, with a red tag")
	require.EqualValues(t, http.StatusOK, owner.press("Send comment"))

	staff.waitJS(`[...document.querySelectorAll('.comments .comment')].some(c => c.textContent.includes('with a red tag'))`,
		"the owner's comment shows")
	assert.Equal(t, "Checking the lost and found", runJS[string](staff, `document.getElementById('comment-text').value`),
		"the draft is kept")
	// The comment may first come with a refresh another event asked for
	// (the ticket's submission, heard late), its notice with the refresh
	// the comment's own event asks for a moment later.
	staff.waitJS(`(n => n !== null && !n.hidden)(document.querySelector('.live-notice'))`, "the notice of the comment shows")
	assert.Contains(t, staff.text(".live-notice"), "Someone else has just commented on this ticket: read it first")
	require.EqualValues(t, http.StatusOK, staff.press("Send comment"), "not held back: the page showed the comment")
	assert.True(t, runJS[bool](staff, `[...document.querySelectorAll('.comments .comment')].some(c => c.textContent.includes('Checking the lost and found'))`),
		"the staff comment is saved")
}

// "My tickets" updates itself when staff move one of the owner's tickets.
func TestBrowserMyTicketsUpdatesItself(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "olga.staff", "olga-moves-tickets")

	owner := openTab(t, a, "owner")
	owner.register("petr", "petr-has-no-heating")
	_, id := owner.submitTicket("Radiator is cold", "Repair", "Since Monday.")
	owner.open("/tickets")
	owner.waitJS(`document.getElementById('main').dataset.liveReady === '1'`, "the page listens")
	runJS[bool](owner, `(window.notReloaded = true)`)

	staff := openTab(t, a, "staff")
	staff.logIn("olga.staff", "olga-moves-tickets")
	staff.open("/admin/tickets/" + id)
	require.EqualValues(t, http.StatusOK, staff.press("Change status"))

	owner.waitJS(`[...document.querySelectorAll('.list tbody tr')].some(tr =>
		tr.textContent.includes('Radiator is cold') && tr.textContent.includes('In progress'))`,
		"ticket #"+id+" shows as in progress")
	assert.True(t, runJS[bool](owner, `window.notReloaded === true`), "the page updated in place")
}
