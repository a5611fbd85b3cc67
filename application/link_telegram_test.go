package application_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
)

func TestIssueTelegramLink(t *testing.T) {
	ctx := context.Background()

	t.Run("gives a one-time link valid 15 minutes", func(t *testing.T) {
		w := newWorld(t)
		u := w.user("alice", domain.RoleUser)
		before := w.clock.Now()
		link, err := w.tg.IssueTelegramLink.Handle(ctx, application.IssueTelegramLink{Actor: u})
		require.NoError(t, err)
		assert.Len(t, link.Token, 43)
		assert.Regexp(t, `^[A-Za-z0-9_-]+$`, link.Token)
		assert.Equal(t, "/start "+link.Token, link.Command)
		assert.Equal(t, "https://t.me/crm_bot?start="+link.Token, link.URL)
		assert.WithinRange(t, link.ExpiresAt, before.Add(15*time.Minute), w.clock.Now().Add(15*time.Minute))
	})

	t.Run("Telegram off is refused", func(t *testing.T) {
		w := newWorld(t)
		h := application.NewIssueTelegramLinkHandler(w.tokens, nil, w.clock)
		_, err := h.Handle(ctx, application.IssueTelegramLink{Actor: w.user("alice", domain.RoleUser)})
		assert.ErrorIs(t, err, domain.ErrTelegramDisabled)
	})

	t.Run("no t.me link while the bot's name is unknown", func(t *testing.T) {
		w := newWorld(t)
		h := application.NewIssueTelegramLinkHandler(w.tokens, fakeBot(""), w.clock)
		link, err := h.Handle(ctx, application.IssueTelegramLink{Actor: w.user("alice", domain.RoleUser)})
		require.NoError(t, err)
		assert.Empty(t, link.URL)
		assert.NotEmpty(t, link.Command)
	})

	t.Run("only the hash is stored", func(t *testing.T) {
		w := newWorld(t)
		u := w.user("alice", domain.RoleUser)
		link, err := w.tg.IssueTelegramLink.Handle(ctx, application.IssueTelegramLink{Actor: u})
		require.NoError(t, err)
		_, err = w.tokens.Consume(ctx, link.Token, w.clock.Now())
		assert.ErrorIs(t, err, domain.ErrLinkTokenInvalid, "the raw token is not a key")
		tok, err := w.tokens.Consume(ctx, application.HashToken(link.Token), w.clock.Now())
		require.NoError(t, err)
		assert.Equal(t, u.ID(), tok.UserID)
	})
}

func TestLinkTelegram(t *testing.T) {
	ctx := context.Background()
	const chat = int64(777)

	issue := func(w *world, u *domain.User) string {
		t.Helper()
		link, err := w.tg.IssueTelegramLink.Handle(ctx, application.IssueTelegramLink{Actor: u})
		require.NoError(t, err)
		return link.Token
	}
	linker := func(w *world) application.LinkTelegramHandler {
		return application.NewLinkTelegramHandler(w.tokens, w.store.Users, w.clock)
	}

	t.Run("links the chat and records TelegramLinked", func(t *testing.T) {
		w := newWorld(t)
		u := w.user("alice", domain.RoleUser)
		got, err := linker(w).Handle(ctx, application.LinkTelegram{Token: issue(w, u), ChatID: chat})
		require.NoError(t, err)
		assert.Equal(t, u.ID(), got.ID())
		c, ok := w.reload(u).TelegramChatID()
		assert.True(t, ok)
		assert.Equal(t, chat, c)
		events, err := w.store.Events.ListEvents(ctx, []string{domain.KindTelegramLinked}, 0, 10)
		require.NoError(t, err)
		require.Len(t, events, 1)
		linked := events[0].Event.(domain.TelegramLinked)
		assert.Equal(t, u.ID(), linked.UserID)
		assert.Equal(t, chat, linked.ChatID)
	})

	tests := []struct {
		name    string
		prepare func(w *world, token string) string // returns the token to present
		want    error
	}{
		{"a replayed token is refused", func(w *world, token string) string {
			_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: token, ChatID: 1})
			require.NoError(t, err)
			return token
		}, domain.ErrLinkTokenUsed},
		{"an expired token is refused", func(w *world, token string) string {
			w.clock.Advance(15*time.Minute + time.Second)
			return token
		}, domain.ErrLinkTokenExpired},
		{"a token is good until its last second", func(w *world, token string) string {
			w.clock.Advance(15*time.Minute - time.Second)
			return token
		}, nil},
		{"an unknown token is refused", func(w *world, token string) string {
			return application.NewSecretToken()
		}, domain.ErrLinkTokenInvalid},
		{"a token with other characters is refused", func(w *world, token string) string {
			return token[:10] + "<script>"
		}, domain.ErrLinkTokenInvalid},
		{"a token longer than 64 characters is refused", func(w *world, token string) string {
			return strings.Repeat("a", 65)
		}, domain.ErrLinkTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newWorld(t)
			u := w.user("alice", domain.RoleUser)
			token := tt.prepare(w, issue(w, u))
			_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: token, ChatID: chat})
			if tt.want == nil {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, tt.want)
			_, err = w.store.Users.GetByTelegramChat(ctx, chat)
			assert.ErrorIs(t, err, domain.ErrUserNotFound, "nothing linked")
		})
	}

	t.Run("a new token invalidates the old one", func(t *testing.T) {
		w := newWorld(t)
		u := w.user("alice", domain.RoleUser)
		old := issue(w, u)
		w.clock.Advance(time.Minute)
		fresh := issue(w, u)
		_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: old, ChatID: chat})
		assert.ErrorIs(t, err, domain.ErrLinkTokenExpired)
		_, err = linker(w).Handle(ctx, application.LinkTelegram{Token: fresh, ChatID: chat})
		assert.NoError(t, err)
	})

	t.Run("a chat linked to someone else moves", func(t *testing.T) {
		w := newWorld(t)
		bob := w.linkedUser("bob", chat)
		alice := w.user("alice", domain.RoleUser)
		_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: issue(w, alice), ChatID: chat})
		require.NoError(t, err)
		_, linked := w.reload(bob).TelegramChatID()
		assert.False(t, linked, "bob lost the chat")
		got, err := w.store.Users.GetByTelegramChat(ctx, chat)
		require.NoError(t, err)
		assert.Equal(t, alice.ID(), got.ID())
	})

	t.Run("a deactivated account is not linked", func(t *testing.T) {
		w := newWorld(t)
		admin := w.user("admin", domain.RoleAdmin)
		u := w.user("alice", domain.RoleUser)
		token := issue(w, u)
		require.NoError(t, w.store.Users.Update(ctx, u.ID(), func(u *domain.User) error {
			u.SetActive(admin, false, w.clock.Now())
			return nil
		}))
		_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: token, ChatID: chat})
		assert.ErrorIs(t, err, domain.ErrAccountDisabled)
	})

	t.Run("of two concurrent uses of one token, one wins", func(t *testing.T) {
		w := newWorld(t)
		token := issue(w, w.user("alice", domain.RoleUser))
		errs := make(chan error, 2)
		for chat := range int64(2) {
			go func() {
				_, err := linker(w).Handle(ctx, application.LinkTelegram{Token: token, ChatID: 100 + chat})
				errs <- err
			}()
		}
		e1, e2 := <-errs, <-errs
		if e1 != nil {
			e1, e2 = e2, e1
		}
		assert.NoError(t, e1)
		assert.ErrorIs(t, e2, domain.ErrLinkTokenUsed)
	})
}

func TestUnlinkTelegram(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	u := w.linkedUser("alice", 5)

	st, err := w.tg.GetTelegramStatus.Handle(ctx, application.GetTelegramStatus{Actor: u})
	require.NoError(t, err)
	assert.Equal(t, application.TelegramStatus{Enabled: true, Linked: true, BotUsername: "crm_bot"}, st)

	require.NoError(t, w.tg.UnlinkTelegram.Handle(ctx, application.UnlinkTelegram{Actor: u}))
	st, err = w.tg.GetTelegramStatus.Handle(ctx, application.GetTelegramStatus{Actor: u})
	require.NoError(t, err)
	assert.False(t, st.Linked)

	require.NoError(t, w.tg.UnlinkTelegram.Handle(ctx, application.UnlinkTelegram{Actor: u}), "unlinking twice is fine")

	off := application.NewGetTelegramStatusHandler(w.store.Users, nil)
	st, err = off.Handle(ctx, application.GetTelegramStatus{Actor: u})
	require.NoError(t, err)
	assert.False(t, st.Enabled)
}

var _ application.LinkTokens = (*memory.LinkTokens)(nil)
