package browser

import (
	"context"
	"net/http"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Staff save a reply with placeholders and insert it into a comment: with
// JavaScript at the cursor without a reload, without JavaScript by a
// reload that keeps what was typed.
func TestBrowserStaffInsertASavedReply(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "vera.staff", "vera-keeps-replies")

	owner := openTab(t, a, "owner")
	owner.register("oleg", "oleg-has-a-printer")
	_, id := owner.submitTicket("Printer jams", "Repair", "Every page.")

	staff := openTab(t, a, "staff")
	staff.logIn("vera.staff", "vera-keeps-replies")
	staff.open("/admin/replies")
	staff.fill("Name", "Greeting")
	staff.fill("Text", "Hello {owner}, we are on ticket {ticket}.")
	staff.tick("Share with all staff")
	require.EqualValues(t, http.StatusOK, staff.press("Save reply"))
	assert.Equal(t, "Reply saved.", staff.text(".flash"))

	staff.open("/admin/tickets/" + id)
	staff.fill("Comment", "Thanks!")
	staff.choose("Saved reply", "Greeting")
	runJS[bool](staff, `(document.getElementById('insert-reply').click(), true)`)
	want := "Thanks!\nHello oleg, we are on ticket " + id + "."
	assert.Equal(t, want, runJS[string](staff, `document.getElementById('comment-text').value`), "inserted at the cursor")
	assert.Equal(t, "/admin/tickets/"+id, staff.path(), "without a reload")
	runJS[bool](staff, `(document.getElementById('comment-text').setSelectionRange(0, 0), document.getElementById('insert-reply').click(), true)`)
	assert.Equal(t, "Hello oleg, we are on ticket "+id+".\n"+want,
		runJS[string](staff, `document.getElementById('comment-text').value`), "at the cursor, wherever it is")
	staff.screenshot("saved-reply-inserted")

	staff.do(chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
		return err
	}))
	staff.open("/admin/tickets/" + id)
	staff.fill("Comment", "Typed first.")
	require.EqualValues(t, http.StatusOK, staff.press("Insert"))
	assert.Equal(t, "Typed first.\n\nHello oleg, we are on ticket "+id+".",
		runJS[string](staff, `document.getElementById('comment-text').value`), "the server adds it after what was typed")
	require.EqualValues(t, http.StatusOK, staff.press("Send comment"))
	assert.True(t, runJS[bool](staff, `document.body.innerText.includes("Typed first.\n\nHello oleg")`), "sent as shown")
}
