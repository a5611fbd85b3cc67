package fakebotapi_test

import (
	"testing"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/test/fakebotapi"
)

func TestInlineKeyboardsCallbacksEditsAndReplies(t *testing.T) {
	srv := fakebotapi.New(t)
	bot := newBot(t, srv)

	msg := tgbotapi.NewMessage(1001, "Ticket #1")
	msg.ReplyToMessageID = 5
	msg.ReplyMarkup = tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Close", "close:1")),
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonURL("Open", "https://crm.example/tickets/1")))
	sent, err := bot.Send(msg)
	require.NoError(t, err)
	got := srv.Sent()[0]
	assert.Equal(t, 5, got.ReplyTo)
	assert.Equal(t, [][]fakebotapi.Button{{{Text: "Close", CallbackData: "close:1"}}, {{Text: "Open", URL: "https://crm.example/tickets/1"}}},
		got.Buttons())

	cbID := srv.PressButton(1001, "alice", sent.MessageID, "close:1")
	srv.SendReply(1001, "alice", "thanks", sent.MessageID)
	updates, err := bot.GetUpdates(tgbotapi.UpdateConfig{})
	require.NoError(t, err)
	require.Len(t, updates, 2)
	cb := updates[0].CallbackQuery
	require.NotNil(t, cb)
	assert.Equal(t, cbID, cb.ID)
	assert.Equal(t, "close:1", cb.Data)
	assert.Equal(t, int64(1001), cb.From.ID)
	assert.Equal(t, sent.MessageID, cb.Message.MessageID)
	assert.Equal(t, int64(1001), cb.Message.Chat.ID)
	reply := updates[1].Message
	require.NotNil(t, reply.ReplyToMessage)
	assert.Equal(t, sent.MessageID, reply.ReplyToMessage.MessageID)
	assert.Equal(t, "thanks", reply.Text)

	_, err = bot.Request(tgbotapi.NewCallback(cbID, "Closed"))
	require.NoError(t, err)
	assert.Equal(t, []fakebotapi.CallbackAnswer{{CallbackID: cbID, Text: "Closed"}}, srv.CallbackAnswers())

	_, err = bot.Send(tgbotapi.NewEditMessageReplyMarkup(1001, sent.MessageID, tgbotapi.NewInlineKeyboardMarkup(
		tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData("Reopen", "reopen:1")))))
	require.NoError(t, err)
	_, err = bot.Send(tgbotapi.NewEditMessageText(1001, sent.MessageID, "Ticket #1, closed"))
	require.NoError(t, err)
	edits := srv.Edits()
	require.Len(t, edits, 2)
	assert.Equal(t, [][]fakebotapi.Button{{{Text: "Reopen", CallbackData: "reopen:1"}}}, edits[0].Buttons())
	assert.Equal(t, fakebotapi.Edit{Method: "editMessageText", ChatID: 1001, MessageID: sent.MessageID, Text: "Ticket #1, closed"}, edits[1])
}
