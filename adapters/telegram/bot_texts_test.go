package telegram

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
)

// Every reply, button and short answer of the bot has its words in both
// catalogues, placeholders filled.
func TestBotTextsAreInEveryCatalogue(t *testing.T) {
	kinds := []application.BotReplyKind{
		application.ReplyHelpLinked, application.ReplyChooseType, application.ReplyDescribe, application.ReplyCreated,
		application.ReplyCancelled, application.ReplyNoDialogue, application.ReplyCommented, application.ReplyTickets,
		application.ReplyNoTickets, application.ReplyTicket, application.ReplyDraft, application.ReplyTooMany,
		application.ReplyRate, application.ReplyInvalidText, application.ReplyTicketGone,
	}
	buttons := []application.BotButton{
		{Kind: application.ButtonClose}, {Kind: application.ButtonReopen}, {Kind: application.ButtonRate, Value: "3"},
		{Kind: application.ButtonShow, TicketID: 7, Title: "Printer"}, {Kind: application.ButtonType, Value: "repair"},
		{Kind: application.ButtonDraftNew}, {Kind: application.ButtonDraftAdd, TicketID: 7, Title: "Printer"},
		{Kind: application.ButtonOpenURL, URL: "https://crm.example/tickets/7"},
	}
	toasts := []application.BotToast{application.ToastDone, application.ToastStale, application.ToastRefused,
		application.ToastNotLinked, application.ToastTooMany, application.ToastError}
	for _, lang := range []string{"en", "ru"} {
		seen := map[string]bool{}
		for _, k := range kinds {
			got := ReplyText(application.BotReply{Kind: k, Language: lang, TicketID: 7, Title: "Printer", Status: "open",
				Value: "repair", Cut: true, Tickets: []application.BotTicketLine{{ID: 7, Title: "Printer", Status: "open"}},
				Comments: []application.BotCommentLine{{Author: "staff", Text: "On it"}}})
			assertWorded(t, got, lang, string(k))
			assert.False(t, seen[got], "%s/%s says something of its own", lang, k)
			seen[got] = true
		}
		for _, b := range buttons {
			assertWorded(t, buttonLabel(lang, b), lang, "button "+string(b.Kind))
		}
		for _, ts := range toasts {
			assertWorded(t, toastText(lang, ts), lang, "toast "+string(ts))
		}
	}
	assert.Contains(t, ReplyText(application.BotReply{Kind: application.ReplyDescribe, Language: "ru", Value: "repair"}), "Ремонт")
	assert.Contains(t, ReplyText(application.BotReply{Kind: application.ReplyHelp, URL: "https://crm.example"}), "https://crm.example")
	assert.Contains(t, ReplyText(application.BotReply{Kind: application.ReplyCommented, Cut: true}), "was cut")
}

func assertWorded(t *testing.T, got, lang, what string) {
	t.Helper()
	assert.NotEmpty(t, got, "%s/%s", lang, what)
	assert.NotContains(t, got, "bot.", "%s/%s is in the catalogue", lang, what)
	assert.NotContains(t, got, "{", "%s/%s has every placeholder filled", lang, what)
	assert.NotContains(t, got, "%!", "%s/%s is well formatted", lang, what)
}

func TestKeyboardLabelsButtonsAndKeepsTheirData(t *testing.T) {
	kb := keyboard("ru", append(application.TicketButtons(7, false, "https://crm.example/tickets/7"), application.RateButtons(7)))
	require.NotNil(t, kb)
	require.Len(t, kb.InlineKeyboard, 3)
	assert.Equal(t, "Закрыть, всё решено", kb.InlineKeyboard[0][0].Text)
	assert.Equal(t, "c:7", *kb.InlineKeyboard[0][0].CallbackData)
	assert.Equal(t, "https://crm.example/tickets/7", *kb.InlineKeyboard[1][0].URL)
	assert.Len(t, kb.InlineKeyboard[2], 5)
	assert.Equal(t, "r:7:5", *kb.InlineKeyboard[2][4].CallbackData)
	assert.Nil(t, keyboard("en", nil))
}
