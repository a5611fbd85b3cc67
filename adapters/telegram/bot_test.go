package telegram_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/adapters/telegram"
	"crm/application"
	"crm/domain"
	"crm/test/fakebotapi"
)

// bot is the fake Bot API, a client of it, and the use cases on memory
// storage.
type bot struct {
	t       *testing.T
	srv     *fakebotapi.Server
	client  *telegram.Client
	store   *memory.Store
	app     *application.TelegramApp
	updates *telegram.Updates
}

func newBot(t *testing.T, opts ...fakebotapi.Option) *bot {
	t.Helper()
	srv := fakebotapi.New(t, opts...)
	client := newClient(t, srv, telegram.Config{})
	store := memory.NewStore()
	app := application.NewTelegramApp(application.TelegramDeps{
		Users: store.Users, LinkTokens: memory.NewLinkTokens(), Deliveries: memory.NewOutbox(store.Events),
		Clock: application.SystemClock{}, Bot: client,
	})
	return &bot{t: t, srv: srv, client: client, store: store, app: app,
		updates: telegram.NewUpdates(app.HandleBotMessage, client, quiet())}
}

// token issues a link token for a new user named name.
func (b *bot) token(name string) (*domain.User, string) {
	b.t.Helper()
	u, err := domain.NewUser(name, "hash", domain.RoleUser, time.Now())
	require.NoError(b.t, err)
	require.NoError(b.t, b.store.Users.Add(context.Background(), u))
	link, err := b.app.IssueTelegramLink.Handle(context.Background(), application.IssueTelegramLink{Actor: u})
	require.NoError(b.t, err)
	return u, link.Token
}

// chatOf returns the chat linked to u, 0 for none.
func (b *bot) chatOf(u *domain.User) int64 {
	b.t.Helper()
	got, err := b.store.Users.Get(context.Background(), u.ID())
	require.NoError(b.t, err)
	chat, _ := got.TelegramChatID()
	return chat
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// waitLimit is how long a test waits for something that takes
// milliseconds.
const waitLimit = 5 * time.Second
