package telegram

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

// The staff alerts, their buttons and the answers to /note are worded in
// both catalogues.
func TestStaffTextsAreInEveryCatalogue(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		for _, k := range []application.NotificationKind{application.NotifyNewTicket, application.NotifyOwnerReply} {
			got := NotificationText(application.Notification{Kind: k, Language: lang, Staff: true, TicketID: 7,
				Title: "Printer", Author: "alice", Text: "It jams.", URL: "https://crm.example/tickets/7"})
			assertWorded(t, got, lang, string(k))
			assert.Contains(t, got, "It jams.")
			assert.Contains(t, got, "/note")
			assert.Contains(t, got, "https://crm.example/tickets/7")
		}
		for _, k := range []application.BotReplyKind{application.ReplyNoted, application.ReplyNoteHowTo} {
			assertWorded(t, ReplyText(application.BotReply{Kind: k, Language: lang, TicketID: 7, Title: "Printer"}), lang, string(k))
		}
		for _, b := range application.StaffButtons(7, "") {
			for _, b := range b {
				assertWorded(t, buttonLabel(lang, b), lang, "button "+string(b.Kind))
			}
		}
	}
}

func TestAStaffAlertCarriesTheStaffButtons(t *testing.T) {
	n := application.Notification{Kind: application.NotifyNewTicket, Staff: true, TicketID: 7, URL: "https://crm.example/tickets/7"}
	kb := keyboard("en", notificationButtons(n))
	require.NotNil(t, kb)
	require.Len(t, kb.InlineKeyboard, 2)
	assert.Equal(t, "Take it", kb.InlineKeyboard[0][0].Text)
	assert.Equal(t, "k:7", *kb.InlineKeyboard[0][0].CallbackData)
	assert.Equal(t, "In progress", kb.InlineKeyboard[0][1].Text)
	assert.Equal(t, "p:7", *kb.InlineKeyboard[0][1].CallbackData)
	assert.Equal(t, "https://crm.example/tickets/7", *kb.InlineKeyboard[1][0].URL)
}
