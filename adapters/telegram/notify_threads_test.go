package telegram_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/telegram"
	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

// A notification carries the ticket's buttons and is remembered as about
// its ticket, whether it goes as text or with its comment's files.
func TestNotificationsCarryButtonsAndAreRemembered(t *testing.T) {
	srv := fakebotapi.New(t, fakebotapi.WithLimits(0, 0))
	store := files{}
	chats := memory.NewBotChats()
	n := telegram.NewNotifier(newClient(t, srv, telegram.Config{ChatInterval: 1})).WithFiles(store).WithThreads(chats, nil)
	note := comment("Here is the screen.")
	note.URL = "https://crm.example/tickets/7"

	require.NoError(t, n.Notify(context.Background(), 42, note))
	text := srv.Sent()[0]
	assert.Equal(t, [][]fakebotapi.Button{{{Text: "Close, it’s solved", CallbackData: "c:7"}},
		{{Text: "Open on the site", URL: "https://crm.example/tickets/7"}}}, text.Buttons())

	atts := []domain.AttachmentInfo{store.add("screen.png", "image/png", pngPicture(t)), store.add("bill.pdf", "application/pdf", []byte("%PDF-1.4"))}
	require.NoError(t, n.NotifyFiles(context.Background(), 42, note, atts))
	sent := srv.SentFiles()
	require.Len(t, sent, 2)
	assert.Equal(t, text.Buttons(), sent[0].Buttons(), "the file with the caption has the buttons")
	assert.Empty(t, sent[1].Buttons())

	for _, id := range []int{text.MessageID, sent[0].MessageID, sent[1].MessageID} {
		got, err := chats.TicketOfMessage(context.Background(), 42, id)
		require.NoError(t, err, "message %d", id)
		assert.Equal(t, int64(7), got)
	}
	_, err := chats.TicketOfMessage(context.Background(), 42, sent[1].MessageID+1)
	assert.ErrorIs(t, err, application.ErrBotMessageUnknown)

	closed := application.Notification{Kind: application.NotifyStatusChanged, TicketID: 7, Title: "Watch", Status: "closed", Author: "staff"}
	require.NoError(t, n.Notify(context.Background(), 42, closed))
	kb := srv.Sent()[1].Buttons()
	require.Len(t, kb, 2)
	assert.Len(t, kb[0], 5, "rate 1 to 5")
	assert.Equal(t, fakebotapi.Button{Text: "Reopen", CallbackData: "o:7"}, kb[1][0])
}
