package delivery_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/adapters/memory"
	"crm/application"
	"crm/domain"
	"crm/test/testclock"
)

// fakeBot is a BotProfile with a fixed username.
type fakeBot string

func (b fakeBot) BotUsername() string { return string(b) }

// sentNote is one call of the fake notifier.
type sentNote struct {
	Chat int64
	N    application.Notification
	At   time.Time
}

// fakeNotifier records notifications; fail, when set, decides the error of
// each call from the number of earlier calls.
type fakeNotifier struct {
	mu    sync.Mutex
	calls []sentNote
	sent  []sentNote
	fail  func(call int, s sentNote) error
	// gate, when set, is received from before each call returns, so a test
	// can hold a delivery in flight.
	gate chan struct{}
}

func (f *fakeNotifier) Notify(ctx context.Context, chat int64, n application.Notification) error {
	s := sentNote{Chat: chat, N: n, At: time.Now()}
	f.mu.Lock()
	call := len(f.calls)
	f.calls = append(f.calls, s)
	fail, gate := f.fail, f.gate
	f.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if fail != nil {
		if err := fail(call, s); err != nil {
			return err
		}
	}
	f.mu.Lock()
	f.sent = append(f.sent, s)
	f.mu.Unlock()
	return nil
}

func (f *fakeNotifier) Sent() []sentNote {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentNote(nil), f.sent...)
}

func (f *fakeNotifier) Calls() []sentNote {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]sentNote(nil), f.calls...)
}

type notifierFunc func(ctx context.Context, chat int64, n application.Notification) error

func (f notifierFunc) Notify(ctx context.Context, chat int64, n application.Notification) error {
	return f(ctx, chat, n)
}

// world is the memory adapters and the use cases a test drives.
type world struct {
	t       *testing.T
	clock   *testclock.Running
	store   *memory.Store
	outbox  *memory.Outbox
	tg      *application.TelegramApp
	change  application.ChangeStatusHandler
	comment application.AddCommentHandler
	claims  atomic.Int64 // calls of ClaimDeliveries by the world's dispatchers
}

// countingOutbox counts the dispatcher's rounds.
type countingOutbox struct {
	delivery.Outbox
	claims *atomic.Int64
}

func (o countingOutbox) ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]application.ClaimedDelivery, error) {
	defer o.claims.Add(1)
	return o.Outbox.ClaimDeliveries(ctx, owner, now, leaseUntil, limit)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clock := testclock.NewRunning(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	store := memory.NewStore()
	outbox := memory.NewOutbox(store.Events)
	return &world{
		t: t, clock: clock, store: store, outbox: outbox,
		tg: application.NewTelegramApp(application.TelegramDeps{
			Users: store.Users, LinkTokens: memory.NewLinkTokens(), Deliveries: outbox, Clock: clock, Bot: fakeBot("crm_bot"),
		}),
		change:  application.NewChangeStatusHandler(store.Tickets, clock),
		comment: application.NewAddCommentHandler(store.Tickets, clock, application.AttachmentLimits{}),
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

func (w *world) ticket(owner *domain.User, title string) *domain.Ticket {
	w.t.Helper()
	tk, err := domain.NewTicket(owner, title, "text of "+title, "repair", w.clock.Now())
	require.NoError(w.t, err)
	require.NoError(w.t, w.store.Tickets.Add(context.Background(), tk))
	return tk
}

func (w *world) setStatus(staff *domain.User, tk *domain.Ticket, status string) {
	w.t.Helper()
	require.NoError(w.t, w.change.Handle(context.Background(),
		application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: status}))
}

// dispatcher starts a dispatcher over the world's outbox and clock,
// stopped on cleanup.
func (w *world) dispatcher(n application.Notifier, cfg delivery.Config) *delivery.Dispatcher {
	w.t.Helper()
	return w.dispatcherWith(w.clock, n, cfg)
}

// dispatcherWith starts a dispatcher over the world's outbox that reads
// clock, stopped on cleanup. Unset, it polls every 10ms, backs off between
// 5 and 20ms and does not space a key's messages.
func (w *world) dispatcherWith(clock application.Clock, n application.Notifier, cfg delivery.Config) *delivery.Dispatcher {
	w.t.Helper()
	if cfg.PollInterval == 0 {
		cfg.PollInterval = 10 * time.Millisecond
	}
	if cfg.BackoffMin == 0 {
		cfg.BackoffMin, cfg.BackoffMax = 5*time.Millisecond, 20*time.Millisecond
	}
	if cfg.KeyInterval == 0 {
		cfg.KeyInterval = -1
	}
	d := delivery.NewDispatcher(countingOutbox{w.outbox, &w.claims}, clock, discardLog(), cfg,
		application.NewNotifyOwner(w.store.Users, n, "https://crm.example/"))
	require.NoError(w.t, d.Start(context.Background()))
	w.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		require.NoError(w.t, d.Stop(ctx))
	})
	return d
}

// dispatcherRoundsPass waits until the outbox has been asked for due
// deliveries again.
func (w *world) dispatcherRoundsPass(t *testing.T) {
	t.Helper()
	before := w.claims.Load()
	eventually(t, "a dispatcher round", func() bool { return w.claims.Load() > before })
}

// deliveries lists every delivery, oldest first.
func (w *world) deliveries() []application.Delivery {
	w.t.Helper()
	p, err := w.outbox.ListDeliveries(context.Background(), application.DeliveryFilter{Page: application.Page{Limit: application.MaxPageSize}})
	require.NoError(w.t, err)
	out := p.Deliveries
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// eventually waits until cond holds, failing after timeout.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 5*time.Second, 2*time.Millisecond, what)
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
