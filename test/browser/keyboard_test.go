package browser

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// focused describes document.activeElement.
type focused struct {
	Tag          string `json:"tag"`
	ID           string `json:"id"`
	Text         string `json:"text"`
	Href         string `json:"href"`
	FocusVisible bool   `json:"focusVisible"`
	OutlineStyle string `json:"outlineStyle"`
	OutlineWidth string `json:"outlineWidth"`
	Top          int    `json:"top"`
}

func (f focused) String() string {
	return fmt.Sprintf("<%s id=%q href=%q> %q", f.Tag, f.ID, f.Href, f.Text)
}

const describeFocus = `(() => {
	const e = document.activeElement, s = getComputedStyle(e);
	return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(),
		href: e.getAttribute('href') || '', focusVisible: e.matches(':focus-visible'),
		outlineStyle: s.outlineStyle, outlineWidth: s.outlineWidth, top: Math.round(e.getBoundingClientRect().top)};
})()`

// keys sends keys to whatever has the focus.
func (tb *tab) keys(keys string) {
	tb.t.Helper()
	tb.do(chromedp.KeyEvent(keys))
}

// focus describes the element that has the keyboard focus.
func (tb *tab) focus() focused {
	tb.t.Helper()
	return runJS[focused](tb, describeFocus)
}

// tabTo presses Tab until the element matching css has the focus, as a
// keyboard user does, and fails if it never gets it.
func (tb *tab) tabTo(css string) focused {
	tb.t.Helper()
	for range 60 {
		tb.keys(kb.Tab)
		if runJS[bool](tb, fmt.Sprintf(`document.activeElement.matches(%s)`, js(css))) {
			return tb.focus()
		}
	}
	tb.t.Fatalf("Tab never reaches %s on %s; the focus ends on %s", css, tb.location(), tb.focus())
	return focused{}
}

// requireVisibleFocus fails unless f shows a keyboard focus ring.
func requireVisibleFocus(t *testing.T, f focused) {
	t.Helper()
	assert.True(t, f.FocusVisible, "%s matches :focus-visible", f)
	assert.NotEqual(t, "none", f.OutlineStyle, "%s has a focus outline", f)
	assert.NotEqual(t, "0px", f.OutlineWidth, "%s has a focus outline", f)
}

// Staff work the queue without a mouse: Tab reaches the skip link, every
// filter and every ticket, each with a visible focus ring; the filters
// apply with the keyboard and Enter opens a ticket.
func TestBrowserQueueUsableFromKeyboard(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.cli(t, "", "demo")
	tb := openTab(t, a, "staff")
	tb.logIn("staff_user", "user_staff")
	tb.open("/admin/tickets")

	// Tab walks the page in order: the skip link, the filters, the tickets.
	skip := tb.tabTo("a.skip-link")
	requireVisibleFocus(t, skip)
	assert.GreaterOrEqual(t, skip.Top, 0, "the focused skip link comes on screen")
	for _, css := range []string{"#q", "#status", "#type", "#assignee", "#sort", "form.filters button[type=submit]"} {
		requireVisibleFocus(t, tb.tabTo(css))
	}
	var reached []string
	for range 3 {
		f := tb.tabTo(`.list a[href^="/admin/tickets/"]`)
		requireVisibleFocus(t, f)
		reached = append(reached, f.Text)
	}
	assert.Equal(t, []string{"Компенсация", "Экран часов", "Пропал звук"}, reached, "ticket links, newest first")
	tb.screenshot("queue-keyboard-focus")

	// Filter with the keyboard alone: type a search, pick a status with the
	// arrow keys, submit with Enter on the button.
	tb.open("/admin/tickets")
	tb.tabTo("#q")
	tb.keys("звук")
	tb.tabTo("#status")
	tb.keys(kb.ArrowDown) // "Any" → "Open"
	require.Equal(t, "open", runJS[string](tb, `document.getElementById('status').value`), "the arrow keys change the status filter")
	tb.tabTo("form.filters button[type=submit]")
	tb.pressKeyAndLoad(kb.Enter)
	assert.Equal(t, "/admin/tickets?q="+url.QueryEscape("звук")+"&status=open&type=&assignee=&sort=", tb.path())
	assert.Equal(t, []string{"Пропал звук"}, tb.texts(".list tbody td:nth-child(2)"))

	f := tb.tabTo(`.list a[href^="/admin/tickets/"]`)
	assert.Equal(t, "Пропал звук", f.Text)
	tb.pressKeyAndLoad(kb.Enter)
	assert.Equal(t, f.Href, tb.path(), "Enter on a ticket link opens the ticket")
	assert.Equal(t, "#"+path.Base(f.Href)+" Пропал звук", tb.text("h1"))
}

// pressKeyAndLoad sends keys to the focused element and waits for the page
// they load.
func (tb *tab) pressKeyAndLoad(keys string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	require.NoError(tb.t, err, "keys %q on %s load a page", keys, tb.location())
	require.EqualValues(tb.t, 200, resp.Status)
}

// A keyboard user working down the queue keeps their place when it updates
// itself: the ticket link that had the focus has it again in the fresh
// list, with its focus ring, and the next Tab goes on from there.
func TestBrowserQueueKeepsTheFocusWhenItUpdatesItself(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "rita.staff", "rita-works-the-queue")

	owner := openTab(t, a, "owner")
	owner.register("gleb", "gleb-has-two-problems")
	_, first := owner.submitTicket("Door does not lock", "Repair", "The key turns freely.")
	_, second := owner.submitTicket("Window is stuck", "Repair", "It will not open.")

	staff := openTab(t, a, "staff")
	staff.logIn("rita.staff", "rita-works-the-queue")
	staff.open("/admin/tickets")
	staff.waitJS(`document.getElementById('main').dataset.liveReady === '1'`, "the page listens")
	link := staff.tabTo(`.list a[href="/admin/tickets/` + second + `"]`)
	requireVisibleFocus(t, link)

	owner.submitTicket("Bulb is out", "Service", "In the hall.")
	staff.waitJS(`[...document.querySelectorAll('.list tbody td')].some(td => td.textContent.includes('Bulb is out'))`,
		"the new ticket shows in the queue")
	now := staff.focus()
	assert.Equal(t, "/admin/tickets/"+second, now.Href, "the focus stays on the ticket it was on")
	requireVisibleFocus(t, now)
	// From the page (where the focus went before), Tab would reach the
	// new ticket first.
	assert.Equal(t, "/admin/tickets/"+first, staff.tabTo(`.list a[href^="/admin/tickets/"]`).Href,
		"Tab goes on to the next (older) ticket")
}

// Where two links of a refreshed part go to the same place, as a photo's
// thumbnail and its name do, the one that had the focus has it again.
func TestBrowserTicketPageKeepsTheFocusOnTheSameOfTwoLinks(t *testing.T) {
	t.Parallel()
	needBrowser(t)
	a := startApp(t)
	a.createStaff(t, "mila.staff", "mila-answers-fast")

	owner := openTab(t, a, "owner").desktop()
	owner.register("zoya", "zoya-sends-photos")
	path, id := owner.submitTicket("Scratched lens", "Repair", "See the photo in the comment.")
	owner.open(path)
	owner.fill("Comment", "Here it is")
	field := fieldByLabel("Files")
	owner.requireFound(field, "a file field labelled Files")
	owner.do(chromedp.SetUploadFiles(chromedp.JSPath(field), []string{writePhoto(t, "lens.png")}))
	require.EqualValues(t, http.StatusOK, owner.press("Send comment"))
	owner.waitJS(`document.getElementById('main').dataset.liveReady === '1'`, "the page listens")
	name := owner.tabTo(".comments .files a.file-name")
	require.Equal(t, "lens.png", name.Text)

	staff := openTab(t, a, "staff")
	staff.logIn("mila.staff", "mila-answers-fast")
	staff.open("/admin/tickets/" + id)
	staff.fill("Comment", "Thank you, we see it")
	require.EqualValues(t, http.StatusOK, staff.press("Send comment"))

	owner.waitJS(`[...document.querySelectorAll('.comments .comment')].some(c => c.textContent.includes('we see it'))`,
		"the staff comment shows")
	assert.True(t, runJS[bool](owner, `document.activeElement.matches('.comments .files a.file-name')`),
		"the file's name has the focus again, not its thumbnail (%s)", owner.focus())
	assert.Equal(t, name.Href, owner.focus().Href)
}
