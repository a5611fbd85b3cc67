package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

// Staff merge a duplicate into the owner's other ticket: the comments,
// history and files move (a file of the duplicate is then served as the
// target's), the duplicate is closed with a link, both histories and the
// audit log say so, and the owner hears of it in exactly one Telegram
// message. Every refusal is a clear message that changes nothing.
func TestMergingADuplicateMovesItsThreadAndTellsTheOwnerOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		srv := fakebotapi.New(t)
		a := startTelegramApp(t, dbURL, srv)
		owner, stranger := a.browser(), a.browser()
		owner.mustSignUp("merge_owner", "correct-horse")
		stranger.mustSignUp("merge_stranger", "correct-horse")
		const chat = 7101
		owner.linkTelegram(srv, chat, "merge_owner")
		into := owner.submit("Пропал звук", "Нет звука в наушниках", "repair")
		img := photo(t, 64, 48)
		r := owner.postFiles("/tickets", url.Values{"title": {"Звук пропал"}, "text": {"Опять без звука"}, "type": {"repair"}},
			file{"photo.png", img})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		dup := mustTicketID(t, r.location)
		r = owner.postFiles(fmt.Sprintf("/tickets/%d/comments", dup), url.Values{"text": {"Вот журнал"}},
			file{"log.txt", []byte("error: no sound\n")})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		strangers := stranger.submit("Чужая заявка", "текст", "repair")
		staff := a.staffBrowser("merge_staff", "admin")
		r = staff.post(fmt.Sprintf("/admin/tickets/%d/status", dup), url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		srv.WaitUntil(t, telegramWait, "the status message", func() bool { return len(srv.SentTo(chat)) >= 2 })
		before := len(srv.SentTo(chat))
		mergeURL := fmt.Sprintf("/admin/tickets/%d/merge", dup)

		for _, tc := range []struct {
			into   string
			status int
			says   string
		}{
			{"звук", http.StatusUnprocessableEntity, "Enter the number of a ticket, like 12 or #12."},
			{"", http.StatusUnprocessableEntity, "Enter the number of a ticket"},
			{fmt.Sprint(dup), http.StatusUnprocessableEntity, "A ticket cannot be merged into itself"},
			{fmt.Sprintf("#%d", strangers), http.StatusConflict, "Only tickets of the same person can be merged"},
			{fmt.Sprint(strangers + 1000), http.StatusUnprocessableEntity, "There is no ticket with that number."},
		} {
			r := staff.post(mergeURL, url.Values{"into": {tc.into}})
			assert.Equal(t, tc.status, r.status, "into %q", tc.into)
			assert.Contains(t, r.body, tc.says, "into %q", tc.into)
			assert.Contains(t, r.body, `value="`+tc.into+`"`, "what was typed is kept")
		}
		page := owner.get(fmt.Sprintf("/tickets/%d", dup))
		assert.NotContains(t, page.body, "data-merged-into", "the refusals changed nothing")
		assert.Contains(t, page.body, "Вот журнал")

		r = staff.post(mergeURL, url.Values{"into": {fmt.Sprintf(" #%d", into)}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		assert.Equal(t, fmt.Sprintf("/admin/tickets/%d", into), r.location)

		page = owner.get(fmt.Sprintf("/tickets/%d", dup))
		require.Equal(t, http.StatusOK, page.status)
		assert.Contains(t, page.body, fmt.Sprintf(`data-merged-into="%d"`, into), "the old ticket links the new one")
		assert.Contains(t, page.body, fmt.Sprintf(`<a href="/tickets/%d">#%d</a>`, into, into))
		assert.Contains(t, page.body, "This ticket was merged into another ticket and is closed")
		assert.NotContains(t, page.body, "Вот журнал", "the comment moved")
		assert.NotContains(t, page.body, fmt.Sprintf(`action="/tickets/%d/comments"`, dup), "a merged ticket takes no comments")
		target := owner.get(fmt.Sprintf("/tickets/%d", into))
		assert.Contains(t, target.body, "Вот журнал")
		assert.Contains(t, target.body, fmt.Sprintf(`data-merged-from="%d"`, dup), "the target's history says what came")
		assert.Contains(t, target.body, "merged a duplicate into this ticket")
		photoID := fileLink(t, target.body, "photo.png")
		logID := fileLink(t, target.body, "log.txt")
		got := owner.get(fmt.Sprintf("/attachments/%d/photo.png", photoID))
		require.Equal(t, http.StatusOK, got.status)
		assert.Equal(t, img, []byte(got.body))
		assert.Equal(t, http.StatusNotFound, stranger.get(fmt.Sprintf("/attachments/%d/log.txt", logID)).status)

		token := a.mustIssueToken("merge_staff")
		res, doc := a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", into), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Len(t, doc["attachments"], 2, "the files are the target's: %s", res.body)
		assert.Len(t, doc["comments"], 1)
		res, doc = a.apiCall(token, "GET", fmt.Sprintf("/api/v1/tickets/%d", dup), "")
		require.Equal(t, http.StatusOK, res.status, res.body)
		assert.Equal(t, "closed", doc["status"])
		assert.Empty(t, doc["attachments"])

		audit := staff.get("/admin/audit")
		assert.Contains(t, audit.body, fmt.Sprintf("merged ticket #%d into #%d", dup, into))

		r = owner.post(fmt.Sprintf("/tickets/%d/comments", dup), url.Values{"text": {"а тут?"}})
		assert.Equal(t, http.StatusConflict, r.status, "no comment on a merged ticket")
		r = staff.post(mergeURL, url.Values{"into": {fmt.Sprint(into)}})
		assert.Equal(t, http.StatusConflict, r.status, "merged already")
		assert.Contains(t, r.body, "was merged into another ticket already")

		// The owner's messages go out in order: once the comment after
		// the merge has arrived, everything the merge sent has too.
		r = staff.post(fmt.Sprintf("/tickets/%d/comments", into), url.Values{"text": {"Проверяем наушники"}})
		require.Equal(t, http.StatusSeeOther, r.status, r.body)
		srv.WaitUntil(t, telegramWait, "the comment after the merge", func() bool {
			sent := srv.SentTo(chat)
			return len(sent) > before && strings.Contains(sent[len(sent)-1].Text, "Проверяем наушники")
		})
		sent := srv.SentTo(chat)[before:]
		require.Len(t, sent, 2, "one message about the merge, then the comment")
		assert.Contains(t, sent[0].Text, fmt.Sprintf("Ticket #%d “Звук пропал” was merged into ticket #%d “Пропал звук”", dup, into))
		assert.Contains(t, sent[0].Text, fmt.Sprintf("http://crm.test/tickets/%d", into))
	})
}

// mustTicketID reads the id of a ticket page's location.
func mustTicketID(t *testing.T, location string) int64 {
	t.Helper()
	m := ticketLocation.FindStringSubmatch(location)
	require.NotNil(t, m, "a ticket's location, got %q", location)
	var id int64
	_, err := fmt.Sscan(m[1], &id)
	require.NoError(t, err)
	return id
}
