package application_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// fakeBot is a BotProfile with a fixed username.
type fakeBot string

func (b fakeBot) BotUsername() string { return string(b) }

// world is the memory adapters and the use cases a test drives.
type world struct {
	t      *testing.T
	clock  *testclock.Running
	store  *memory.Store
	tokens *memory.LinkTokens
	tg     *application.TelegramApp
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := testclock.NewRunning(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	store := memory.NewStore()
	tokens := memory.NewLinkTokens()
	return &world{
		t: t, clock: clock, store: store, tokens: tokens,
		tg: application.NewTelegramApp(application.TelegramDeps{
			Users: store.Users, LinkTokens: tokens, Deliveries: memory.NewOutbox(store.Events), Clock: clock, Bot: fakeBot("crm_bot"),
		}),
	}
}

func (w *world) user(name string, role domain.Role) *domain.User {
	w.t.Helper()
	u, err := domain.NewUser(name, "hash", role, w.clock.Now())
	require.NoError(w.t, err)
	require.NoError(w.t, w.store.Users.Add(context.Background(), u))
	return u
}

// linkedUser is a user whose Telegram chat is chat.
func (w *world) linkedUser(name string, chat int64) *domain.User {
	w.t.Helper()
	u := w.user(name, domain.RoleUser)
	require.NoError(w.t, w.store.Users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chat, w.clock.Now())
		return nil
	}))
	return w.reload(u)
}

func (w *world) reload(u *domain.User) *domain.User {
	w.t.Helper()
	got, err := w.store.Users.Get(context.Background(), u.ID())
	require.NoError(w.t, err)
	return got
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
