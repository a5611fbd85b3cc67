package application_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

func TestHandleBotMessage(t *testing.T) {
	ctx := context.Background()
	const chat = int64(4242)

	tests := []struct {
		name    string
		setup   func(w *world) string // returns the message text
		private bool
		lang    string
		want    application.BotReply
		linked  bool // the chat is linked to alice afterwards
	}{
		{"/start with a good token links", func(w *world) string {
			return "/start " + w.issue(w.alice())
		}, true, "ru", application.BotReply{Kind: application.ReplyLinked, Language: "ru", Username: "alice"}, true},
		{"/start@bot with a token links", func(w *world) string {
			return "/start@crm_bot   " + w.issue(w.alice())
		}, true, "", application.BotReply{Kind: application.ReplyLinked, Username: "alice"}, true},
		{"the account's language wins", func(w *world) string {
			a := w.alice()
			require.NoError(t, w.store.Users.Update(ctx, a.ID(), func(u *domain.User) error { return u.SetLanguage("en") }))
			return "/start " + w.issue(a)
		}, true, "ru", application.BotReply{Kind: application.ReplyLinked, Language: "en", Username: "alice"}, true},
		{"/start alone explains", func(w *world) string {
			return "/start"
		}, true, "en", application.BotReply{Kind: application.ReplyTokenMissing, Language: "en"}, false},
		{"/start with a used token", func(w *world) string {
			token := w.issue(w.alice())
			_, err := w.tg.HandleBotMessage.Handle(ctx, application.HandleBotMessage{ChatID: 1, Private: true, Text: "/start " + token})
			require.NoError(t, err)
			return "/start " + token
		}, true, "", application.BotReply{Kind: application.ReplyTokenUsed}, false},
		{"/start with an unknown token", func(w *world) string {
			return "/start " + application.NewSecretToken()
		}, true, "", application.BotReply{Kind: application.ReplyTokenInvalid}, false},
		{"/start with a token of bad characters", func(w *world) string {
			return "/start ../../etc/passwd"
		}, true, "", application.BotReply{Kind: application.ReplyTokenInvalid}, false},
		{"/start in a group links nothing", func(w *world) string {
			return "/start " + w.issue(w.alice())
		}, false, "", application.BotReply{Kind: application.ReplyPrivateOnly}, false},
		{"/stop unlinks", func(w *world) string {
			w.link(w.alice(), chat)
			return "/stop"
		}, true, "", application.BotReply{Kind: application.ReplyUnlinked, Username: "alice"}, false},
		{"/stop in a chat not linked", func(w *world) string {
			return "/stop"
		}, true, "", application.BotReply{Kind: application.ReplyNotLinked}, false},
		{"/help", func(w *world) string { return "/help" }, true, "", application.BotReply{Kind: application.ReplyHelp}, false},
		{"any text gets help, in the linked account's language", func(w *world) string {
			a := w.alice()
			require.NoError(t, w.store.Users.Update(ctx, a.ID(), func(u *domain.User) error { return u.SetLanguage("ru") }))
			w.link(a, chat)
			return "hello there"
		}, true, "en", application.BotReply{Kind: application.ReplyHelp, Language: "ru"}, true},
		{"an unknown command gets help", func(w *world) string { return "/delete_everything" }, true, "",
			application.BotReply{Kind: application.ReplyHelp}, false},
		{"an empty text gets help", func(w *world) string { return "" }, true, "", application.BotReply{Kind: application.ReplyHelp}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			text := tt.setup(w)
			got, err := w.tg.HandleBotMessage.Handle(ctx, application.HandleBotMessage{
				ChatID: chat, Private: tt.private, Text: text, LanguageCode: tt.lang,
			})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
			u, err := w.store.Users.GetByTelegramChat(ctx, chat)
			if tt.linked {
				require.NoError(t, err)
				assert.Equal(t, "alice", u.Username())
			} else {
				assert.ErrorIs(t, err, domain.ErrUserNotFound)
			}
		})
	}
}

func (w *world) alice() *domain.User {
	if u, err := w.store.Users.GetByUsername(context.Background(), "alice"); err == nil {
		return u
	}
	return w.user("alice", domain.RoleUser)
}

func (w *world) issue(u *domain.User) string {
	w.t.Helper()
	link, err := w.tg.IssueTelegramLink.Handle(context.Background(), application.IssueTelegramLink{Actor: u})
	require.NoError(w.t, err)
	return link.Token
}

func (w *world) link(u *domain.User, chat int64) {
	w.t.Helper()
	require.NoError(w.t, w.store.Users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chat, w.clock.Now())
		return nil
	}))
}
