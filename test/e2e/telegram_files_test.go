package e2e

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

func TestTelegramAPhotoRepliedToANotificationIsOnTheTicketPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, dbURL string) {
		srv := fakebotapi.New(t)
		a := startTelegramApp(t, dbURL, srv)
		owner := a.browser()
		owner.mustSignUp("tg_photo_owner", "correct-horse")
		id := owner.submit("Cracked screen", "x", "repair")
		owner.linkTelegram(srv, 5101, "tg_photo_owner")
		staff := a.staffBrowser("tg_photo_staff", "staff")
		r := staff.post(fmt.Sprintf("/admin/tickets/%d/status", id), url.Values{"status": {"in_progress"}})
		require.Equal(t, http.StatusSeeOther, r.status)
		srv.WaitUntil(t, telegramWait, "the status notification", func() bool { return len(srv.SentTo(5101)) >= 2 })
		note := srv.SentTo(5101)[1]
		// The bot stores which ticket its message is about right after
		// sending it; a person replies later than that.
		db := openDB(t, dbURL)
		srv.WaitUntil(t, telegramWait, "the notification remembered", func() bool {
			var n int
			err := db.QueryRow(fmt.Sprintf("SELECT COUNT(*) FROM bot_messages WHERE chat_id = 5101 AND message_id = %d", note.MessageID)).Scan(&n)
			return err == nil && n == 1
		})

		img := photo(t, 64, 48)
		srv.SendMedia(5101, "tg_photo_owner", fakebotapi.Media{Caption: "Here", ReplyTo: note.MessageID, Photo: [][]byte{photo(t, 8, 6), img}})
		srv.WaitUntil(t, telegramWait, "the bot's confirmation", func() bool { return len(srv.SentTo(5101)) >= 3 })
		assert.Contains(t, srv.SentTo(5101)[2].Text, fmt.Sprintf("Your comment was added to ticket #%d", id))

		page := owner.get(fmt.Sprintf("/tickets/%d", id))
		require.Equal(t, http.StatusOK, page.status)
		fileID := fileLink(t, page.body, "photo.png")
		got := owner.get(fmt.Sprintf("/attachments/%d/photo.png", fileID))
		require.Equal(t, http.StatusOK, got.status)
		assert.Equal(t, string(img), got.body)
		assert.Equal(t, http.StatusOK, staff.get(fmt.Sprintf("/attachments/%d/photo.png", fileID)).status)
		stranger := a.browser()
		stranger.mustSignUp("tg_photo_stranger", "correct-horse")
		assert.Equal(t, http.StatusNotFound, stranger.get(fmt.Sprintf("/attachments/%d/photo.png", fileID)).status)
	})
}
