package telegram_test

import (
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"

	"crm/adapters/telegram"
	"crm/application"
)

func TestNotificationText(t *testing.T) {
	tests := []struct {
		name string
		n    application.Notification
		want string
	}{
		{"status change in English, with a link",
			application.Notification{Kind: application.NotifyStatusChanged, TicketID: 12, Title: "Printer <broken>",
				Status: "in_progress", Author: "staff_user", URL: "https://crm.example/tickets/12"},
			"Ticket #12 “Printer <broken>”: the status is now “In progress”.\n\nOpen the ticket: https://crm.example/tickets/12"},
		{"status change with a note, in Russian, without a link",
			application.Notification{Kind: application.NotifyStatusChanged, Language: "ru", TicketID: 3, Title: "Ремонт",
				Status: "closed", Author: "staff_user", Text: "Готово"},
			"Заявка #3 «Ремонт»: статус изменён на «Закрыта».\n\nКомментарий от staff_user: Готово"},
		{"comment",
			application.Notification{Kind: application.NotifyCommentAdded, Language: "en-GB", TicketID: 7, Title: "Help",
				Author: "staff_user", Text: "Please *bring* it in_"},
			"Ticket #7 “Help”: new comment from staff_user:\n\nPlease *bring* it in_"},
		{"an unknown language is English",
			application.Notification{Kind: application.NotifyCommentAdded, Language: "xx", TicketID: 7, Title: "Help",
				Author: "s", Text: "hi"},
			"Ticket #7 “Help”: new comment from s:\n\nhi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, telegram.NotificationText(tt.n))
		})
	}
}

func TestNotificationTextFitsTelegramsLimit(t *testing.T) {
	long := strings.Repeat("𝄞", 5000) // two UTF-16 units each
	got := telegram.NotificationText(application.Notification{Kind: application.NotifyCommentAdded, TicketID: 1,
		Title: strings.Repeat("т", 120), Author: "staff", Text: long, URL: "https://crm.example/tickets/1"})
	assert.LessOrEqual(t, len(utf16.Encode([]rune(got))), 4096)
	assert.Contains(t, got, "…")
	assert.Contains(t, got, "https://crm.example/tickets/1", "the link survives the cut")
}

func TestReplyText(t *testing.T) {
	kinds := []application.BotReplyKind{
		application.ReplyLinked, application.ReplyTokenMissing, application.ReplyTokenInvalid, application.ReplyTokenUsed,
		application.ReplyTokenExpired, application.ReplyAccountDisabled, application.ReplyPrivateOnly,
		application.ReplyUnlinked, application.ReplyNotLinked, application.ReplyHelp, "",
	}
	for _, lang := range []string{"", "en", "ru"} {
		seen := map[string]bool{}
		for _, k := range kinds {
			got := telegram.ReplyText(application.BotReply{Kind: k, Language: lang, Username: "alice"})
			assert.NotEmpty(t, got, "%s/%s", lang, k)
			assert.NotContains(t, got, "%!", "%s/%s is well formatted", lang, k)
			assert.NotContains(t, got, "bot.", "%s/%s has a message in the catalogue", lang, k)
			assert.NotContains(t, got, "{", "%s/%s has every placeholder filled", lang, k)
			assert.False(t, seen[got], "%s/%s says something of its own", lang, k)
			seen[got] = true
		}
	}
	assert.Contains(t, telegram.ReplyText(application.BotReply{Kind: application.ReplyLinked, Username: "alice"}), "alice")
	assert.Contains(t, telegram.ReplyText(application.BotReply{Kind: application.ReplyTokenUsed, Language: "ru"}), "уже использована")
	assert.Contains(t, telegram.ReplyText(application.BotReply{Kind: application.ReplyTokenExpired}), "expired")
}
