package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A status change reaches the owner's and staff's streams at once; a
// stranger's stream hears nothing of it (proved by an event the stranger
// does hear, sent after it: the stream is in order); an internal note is
// streamed to staff and never to the owner.
func TestLiveEventsReachThoseWhoMaySeeTheTicket(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("live_owner", "correct-horse")
		stranger := a.browser()
		stranger.mustSignUp("live_stranger", "correct-horse")
		staff := a.staffBrowser("live_staff", "staff")
		id := owner.submit("Не греет батарея", "Холодно", "repair")

		ownerStream := owner.openEvents("/events", 0)
		strangerStream := stranger.openEvents("/events", 0)
		staffStream := staff.openEvents("/events", 0)

		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		changed := ownerStream.waitFor("the owner's status change", about("ticket.status_changed", id))
		assert.NotZero(t, changed.ID, "each event carries its stored id")
		assert.JSONEq(t, fmt.Sprintf(`{"kind":"ticket.status_changed","ticket_id":%d,"own":true}`, id), changed.Data)
		staffStream.waitFor("staff hear of it", about("ticket.status_changed", id))

		r = staff.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {"Сосед снизу?"}, "internal": {"true"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		note := staffStream.waitFor("staff hear of the note", about("ticket.comment_added", id))
		r = staff.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {"Мастер придёт завтра"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		public := ownerStream.waitFor("the owner hears of the public comment", about("ticket.comment_added", id))
		assert.Greater(t, public.ID, note.ID)

		own := stranger.submit("Моя заявка", "Текст", "service")
		strangerStream.waitFor("the stranger hears of their own ticket", about("ticket.submitted", own))
		for _, e := range strangerStream.all() {
			assert.NotEqual(t, id, e.ticketID(), "the stranger heard of someone else's ticket: %v", e)
		}
		for _, e := range ownerStream.all() {
			assert.NotEqual(t, note.ID, e.ID, "the owner heard of an internal note")
			assert.NotEqual(t, own, e.ticketID(), "the owner heard of the stranger's ticket")
		}
	})
}

// A stream that reconnects with Last-Event-ID gets exactly the events it
// missed, in order, and nothing it had already.
func TestLiveStreamResumesAfterLastEventID(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("resume_owner", "correct-horse")
		staff := a.staffBrowser("resume_staff", "staff")
		id := owner.submit("Сломался замок", "Не закрывается", "repair")
		ticket := fmt.Sprintf("/admin/tickets/%d", id)

		first := owner.openEvents("/events", 0)
		r := staff.post(ticket+"/status", url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		seen := first.waitFor("the first change", about("ticket.status_changed", id))
		first.close()

		r = staff.post(ticket+"/status", url.Values{"status": {"closed"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = staff.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {"Заменим личинку"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)

		again := owner.openEvents("/events", seen.ID)
		again.waitFor("the comment made while away", about("ticket.comment_added", id))
		got := again.all()
		require.GreaterOrEqual(t, len(got), 2)
		assert.Equal(t, "ticket.status_changed", got[0].Event, "the missed events come first, in order")
		assert.Equal(t, "ticket.comment_added", got[1].Event)
		for _, e := range got {
			assert.Greater(t, e.ID, seen.ID, "nothing already seen comes again")
		}
	})
}

// Two replicas on one PostgreSQL database: a change made through either
// reaches a stream open on the other (LISTEN/NOTIFY wakes each feed).
func TestLiveEventsCrossReplicas(t *testing.T) {
	for _, b := range backends {
		if b.name != "postgres" {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			dbURL := b.url(t)
			one := startApp(t, dbURL)
			two := startApp(t, dbURL)
			owner := one.browser()
			owner.mustSignUp("replica_owner", "correct-horse")
			staff := one.staffBrowser("replica_staff", "staff")
			id := owner.submit("Течёт кран", "Капает", "repair")

			// Sessions live in the database: the same cookies work on both.
			onTwo := openEventsAt(owner, two.base, "/events", 0)
			onOne := openEventsAt(staff, one.base, "/events", 0)

			r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
			require.Equal(t, http.StatusSeeOther, r.status, r.body)
			onTwo.waitFor("replica two hears of replica one's change", about("ticket.status_changed", id))

			staffOnTwo := &browser{t: t, app: two, client: staff.client}
			r = staffOnTwo.post(fmt.Sprintf("/tickets/%d/comments", id), url.Values{"text": {"Через второй"}})
			require.Equal(t, http.StatusSeeOther, r.status, r.body)
			onOne.waitFor("replica one hears of replica two's comment", about("ticket.comment_added", id))

			// Presence is shared too: staff viewing on replica two show on
			// replica one's page.
			viewer := two.staffBrowser("replica_viewer", "staff")
			openEventsAt(viewer, two.base, fmt.Sprintf("/events?ticket=%d", id), 0)
			eventually(t, "replica one shows who views on replica two", func() bool {
				return presenceOn(staff, id) == "Also viewing: replica_viewer"
			})
		})
	}
}

var alsoViewing = regexp.MustCompile(`data-live-presence[^>]*>([^<]*)<`)

// presenceOn returns the "Also viewing" line of the staff ticket page.
func presenceOn(b *browser, id int64) string {
	b.t.Helper()
	page := b.get(fmt.Sprintf("/admin/tickets/%d", id))
	require.Equal(b.t, http.StatusOK, page.status, page.body)
	m := alsoViewing.FindStringSubmatch(page.body)
	require.NotNil(b.t, m, "the staff ticket page has its presence line")
	return m[1]
}

// Staff see who else has a ticket open, for as long as their page's
// stream lasts; owners are neither shown nor counted.
func TestLivePresenceOnTheStaffTicketPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("presence_owner", "correct-horse")
		anna := a.staffBrowser("anna", "staff")
		boris := a.staffBrowser("boris", "admin")
		id := owner.submit("Нет света", "В коридоре", "repair")
		path := fmt.Sprintf("/events?ticket=%d", id)

		ownerStream := owner.openEvents(path, 0)
		annaStream := anna.openEvents(path, 0)
		eventually(t, "boris sees anna", func() bool { return presenceOn(boris, id) == "Also viewing: anna" })
		assert.Empty(t, presenceOn(anna, id), "nobody else: the owner is not counted")

		borisStream := boris.openEvents(path, 0)
		first := borisStream.waitFor("boris's presence event", func(e sseEvent) bool { return e.Event == "presence" })
		assert.Contains(t, first.Data, `"viewers":["anna"]`)
		annaStream.waitFor("anna hears that boris came", func(e sseEvent) bool {
			return e.Event == "presence" && strings.Contains(e.Data, `"viewers":["boris"]`)
		})

		annaStream.close()
		eventually(t, "anna's leaving shows", func() bool { return presenceOn(boris, id) == "" })
		page := owner.get(fmt.Sprintf("/tickets/%d", id))
		assert.NotContains(t, page.body, "Also viewing")
		assert.NotContains(t, page.body, "boris")
		for _, e := range ownerStream.all() {
			assert.NotEqual(t, "presence", e.Event, "the owner never hears of presence")
		}
	})
}

var seenField = regexp.MustCompile(`name="seen" value="(\d+)"`)

// A comment written while someone else commented is held back: the page
// comes again with a warning, the new comment and the typed text, and
// nothing is saved; sending again from that page saves it.
func TestLiveCommentedMeanwhileWarnsAndKeepsTheText(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		owner := a.browser()
		owner.mustSignUp("meanwhile_owner", "correct-horse")
		staff := a.staffBrowser("meanwhile_staff", "staff")
		id := owner.submit("Не работает лифт", "Застрял на 5 этаже", "repair")
		ticket := fmt.Sprintf("/tickets/%d", id)

		page := owner.get(ticket)
		m := seenField.FindStringSubmatch(page.body)
		require.NotNil(t, m, "the comment form carries the newest comment shown")
		shown := m[1]

		r := staff.post(ticket+"/comments", url.Values{"text": {"Вызвали мастера"}, "seen": {"0"}})
		require.Equal(t, http.StatusSeeOther, r.status, "nothing new for staff: %s", r.body)

		r = owner.post(ticket+"/comments", url.Values{"text": {"Уже два часа жду"}, "seen": {shown}})
		require.Equal(t, http.StatusConflict, r.status, r.body)
		assert.Contains(t, r.body, "Someone else commented while you were writing")
		assert.Contains(t, r.body, "Вызвали мастера", "the new comment is shown")
		assert.Contains(t, r.body, ">Уже два часа жду</textarea>", "the text is kept")
		assert.Contains(t, r.body, "Send anyway")
		page = owner.get(ticket)
		assert.NotContains(t, page.body, "Уже два часа жду", "nothing was saved")

		m = seenField.FindStringSubmatch(r.body)
		require.NotNil(t, m)
		r = owner.post(ticket+"/comments", url.Values{"text": {"Уже два часа жду"}, "seen": {m[1]}})
		require.Equal(t, http.StatusSeeOther, r.status, "sent anyway: %s", r.body)
		assert.Contains(t, owner.get(ticket).body, "Уже два часа жду")

		// An internal note is not "someone else commented" for the owner,
		// who never sees it; a form without "seen" is not checked.
		page = owner.get(ticket)
		shown = seenField.FindStringSubmatch(page.body)[1]
		r = staff.post(ticket+"/comments", url.Values{"text": {"Только для своих"}, "internal": {"true"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = owner.post(ticket+"/comments", url.Values{"text": {"Спасибо"}, "seen": {shown}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		r = staff.post(ticket+"/comments", url.Values{"text": {"Без поля seen"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
	})
}

// An open stream does not hold the server up at shutdown: the stream
// ends and the application stops (a.stop fails if it takes 20 s).
func TestLiveStreamsEndAtShutdown(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		a := startApp(t, dbURL)
		staff := a.staffBrowser("shutdown_staff", "staff")
		s := staff.openEvents("/events", 0)
		a.stop()
		select {
		case <-s.done:
		case <-time.After(liveWait):
			t.Fatal("the stream is still open after the server stopped")
		}
	})
}
