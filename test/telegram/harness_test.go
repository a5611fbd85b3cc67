// Package telegram_test runs the Telegram scenarios of issue 4 against the
// application, the real storage adapters (SQLite, and PostgreSQL where it
// matters), the Telegram adapter and the fake Bot API, wired by hand as
// bootstrap wires them.
package telegram_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"crm/adapters/delivery"
	"crm/adapters/postgres"
	"crm/adapters/sqlstore"
	"crm/adapters/telegram"
	"crm/application"
	"crm/domain"
	"crm/test/dbtest"
	"crm/test/fakebotapi"
	"crm/test/pgtest"
)

// publicURL is CRM_PUBLIC_URL in the scenarios.
const publicURL = "https://crm.example"

// wait is how long a scenario waits for something that should take well
// under a second.
const wait = 10 * time.Second

// storage is one process's view of the database.
type storage struct {
	users   application.Users
	tickets application.Tickets
	tokens  application.LinkTokens
	outbox  interface {
		application.Outbox
		application.Deliveries
	}
	lock        application.PollLock // a lock of its own, as a replica has
	chats       application.BotChats
	files       application.Files
	attachments application.Attachments
}

// backend is a database that several processes open.
type backend struct {
	name string
	url  string // PostgreSQL only
	open func(t *testing.T) storage
}

func sqliteBackend(t *testing.T) backend {
	path := filepath.Join(t.TempDir(), "crm.db")
	return backend{name: "sqlite", open: func(t *testing.T) storage {
		st := sqlstore.New(dbtest.OpenSQLite(t, path), sqlstore.SQLite)
		return storage{users: sqlstore.NewUsers(st), tickets: sqlstore.NewTickets(st), tokens: sqlstore.NewLinkTokens(st),
			outbox: sqlstore.NewOutbox(st), lock: application.LocalPollLock{}, chats: sqlstore.NewBotChats(st), files: sqlstore.NewFiles(st),
			attachments: sqlstore.NewAttachments(st)}
	}}
}

func postgresBackend(t *testing.T) backend {
	url := pgtest.NewDatabase(t)
	return backend{name: "postgres", url: url, open: func(t *testing.T) storage {
		st := sqlstore.New(dbtest.OpenPostgres(t, url), sqlstore.Postgres)
		return storage{users: sqlstore.NewUsers(st), tickets: sqlstore.NewTickets(st), tokens: sqlstore.NewLinkTokens(st),
			outbox: sqlstore.NewOutbox(st), lock: postgres.NewPollLock(url), chats: sqlstore.NewBotChats(st), files: sqlstore.NewFiles(st),
			attachments: sqlstore.NewAttachments(st)}
	}}
}

// clock runs with real time; a scenario can move it forward.
type clock struct {
	offset atomic.Int64
}

func (c *clock) Now() time.Time                  { return time.Now().UTC().Add(time.Duration(c.offset.Load())) }
func (c *clock) Advance(d time.Duration)         { c.offset.Add(int64(d)) }
func logTo(t *testing.T) *slog.Logger            { return slog.New(slog.NewTextHandler(testWriter{t}, nil)) }
func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

type testWriter struct{ t *testing.T }

// scenario is the fake Telegram and a database, with processes of the
// request desk started on them.
type scenario struct {
	t       *testing.T
	srv     *fakebotapi.Server
	backend backend
	clock   *clock
	db      storage // the scenario's own view, for setting up and checking
}

func newScenario(t *testing.T, b backend, opts ...fakebotapi.Option) *scenario {
	t.Helper()
	return &scenario{t: t, srv: fakebotapi.New(t, opts...), backend: b, clock: &clock{}, db: b.open(t)}
}

// processConfig tunes a process; zero values are the defaults.
type processConfig struct {
	dispatcher delivery.Config
	noPoller   bool
	noWake     bool // do not wake the dispatcher on commit: rely on its poll
	// chatInterval is the client's least time between two messages to a
	// chat (default 1s, Telegram's); a scenario that shortens it shortens
	// the fake's too (fakebotapi.WithChatInterval).
	chatInterval time.Duration
	// staffAlerts adds the staff alerts' handler, as bootstrap does; the
	// scenarios that count deliveries leave it out.
	staffAlerts bool
}

// process is one running instance of the request desk: use cases,
// dispatcher and Telegram receiver, as bootstrap wires them.
type process struct {
	sc         *scenario
	st         storage
	client     *telegram.Client
	updates    *telegram.Updates
	tg         *application.TelegramApp
	change     application.ChangeStatusHandler
	comment    application.AddCommentHandler
	dispatcher *delivery.Dispatcher
	poller     *telegram.Poller
	noWake     bool
	rounds     atomic.Int64
	stopOnce   sync.Once
}

// countingOutbox counts the dispatcher's rounds (its claims).
type countingOutbox struct {
	delivery.Outbox
	rounds *atomic.Int64
}

func (o countingOutbox) ClaimDeliveries(ctx context.Context, owner string, now, until time.Time, limit int) ([]application.ClaimedDelivery, error) {
	defer o.rounds.Add(1)
	return o.Outbox.ClaimDeliveries(ctx, owner, now, until, limit)
}

func (sc *scenario) start(cfg processConfig) *process {
	t := sc.t
	t.Helper()
	st := sc.backend.open(t)
	client, err := telegram.NewClient(telegram.Config{Token: sc.srv.Token(), APIURL: sc.srv.URL(), ChatInterval: cfg.chatInterval})
	require.NoError(t, err)
	p := &process{sc: sc, st: st, client: client, noWake: cfg.noWake,
		change:  application.NewChangeStatusHandler(st.tickets, sc.clock),
		comment: application.NewAddCommentHandler(st.tickets, sc.clock, application.AttachmentLimits{MaxBytes: 10 << 20, MaxFiles: 5}),
	}
	if cfg.dispatcher.KeyInterval == 0 {
		cfg.dispatcher.KeyInterval = cfg.chatInterval
	}
	if cfg.dispatcher.BackoffMin == 0 {
		cfg.dispatcher.BackoffMin, cfg.dispatcher.BackoffMax = 100*time.Millisecond, 500*time.Millisecond
	}
	notifier := telegram.NewNotifier(client).WithFiles(st.files).WithThreads(st.chats, logTo(t))
	handlers := []application.EventHandler{application.NewNotifyOwner(st.users, notifier, publicURL)}
	if cfg.staffAlerts {
		handlers = append(handlers, application.NewNotifyStaff(st.users, st.tickets, notifier, publicURL))
	}
	p.dispatcher = delivery.NewDispatcher(countingOutbox{st.outbox, &p.rounds}, sc.clock, logTo(t), cfg.dispatcher, handlers...)
	p.tg = application.NewTelegramApp(application.TelegramDeps{Users: st.users, LinkTokens: st.tokens,
		Deliveries: st.outbox, Clock: sc.clock, Bot: client, Waker: p.dispatcher,
		Tickets: st.tickets, BotChats: st.chats, BotFiles: client, PublicURL: publicURL, Limits: application.AttachmentLimits{MaxBytes: 10 << 20, MaxFiles: 5}})
	p.updates = telegram.NewUpdates(p.tg.HandleBotMessage, client, logTo(t)).WithBot(p.tg.HandleBotCallback, st.chats)
	require.NoError(t, p.dispatcher.Start(context.Background()))
	if !cfg.noPoller {
		p.poller = telegram.NewPoller(client, p.updates, st.lock, logTo(t), testPollerConfig)
		require.NoError(t, p.poller.Start(context.Background()))
	}
	t.Cleanup(p.stop)
	return p
}

var testPollerConfig = telegram.PollerConfig{
	PollTimeout: 5 * time.Second, LockRetry: 100 * time.Millisecond, LockCheck: 100 * time.Millisecond,
	TakeoverDelay: 300 * time.Millisecond, BackoffMin: 50 * time.Millisecond, BackoffMax: 500 * time.Millisecond,
	ConflictWait: 200 * time.Millisecond,
}

// stop shuts the process down as fx would.
func (p *process) stop() {
	p.stopOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if p.poller != nil {
			require.NoError(p.sc.t, p.poller.Stop(ctx))
		}
		require.NoError(p.sc.t, p.dispatcher.Stop(ctx))
	})
}

// user adds an account.
func (sc *scenario) user(name string, role domain.Role) *domain.User {
	sc.t.Helper()
	u, err := domain.NewUser(name, "hash", role, sc.clock.Now())
	require.NoError(sc.t, err)
	require.NoError(sc.t, sc.db.users.Add(context.Background(), u))
	return u
}

// linkedUser adds an account whose chat is linked, as /start would.
func (sc *scenario) linkedUser(name string, chat int64) *domain.User {
	sc.t.Helper()
	u := sc.user(name, domain.RoleUser)
	require.NoError(sc.t, sc.db.users.Update(context.Background(), u.ID(), func(u *domain.User) error {
		u.LinkTelegram(chat, sc.clock.Now())
		return nil
	}))
	return u
}

func (sc *scenario) ticket(owner *domain.User, title string) *domain.Ticket {
	sc.t.Helper()
	tk, err := domain.NewTicket(owner, title, "The text of "+title, "repair", sc.clock.Now())
	require.NoError(sc.t, err)
	require.NoError(sc.t, sc.db.tickets.Add(context.Background(), tk))
	return tk
}

// chatOf returns the chat linked to u, 0 for none.
func (sc *scenario) chatOf(u *domain.User) int64 {
	sc.t.Helper()
	got, err := sc.db.users.Get(context.Background(), u.ID())
	require.NoError(sc.t, err)
	chat, _ := got.TelegramChatID()
	return chat
}

// setStatus is staff moving a ticket through the process's use case; the
// commit wakes the dispatcher, as the lead's commit hook does.
func (p *process) setStatus(staff *domain.User, tk *domain.Ticket, status string) {
	p.sc.t.Helper()
	require.NoError(p.sc.t, p.change.Handle(context.Background(),
		application.ChangeStatus{Actor: staff, TicketID: tk.ID(), Status: status}))
	if !p.noWake {
		p.dispatcher.Wake()
	}
}

func (p *process) addComment(actor *domain.User, tk *domain.Ticket, text string, internal bool) {
	p.sc.t.Helper()
	require.NoError(p.sc.t, p.comment.Handle(context.Background(),
		application.AddComment{Actor: actor, TicketID: tk.ID(), Text: text, Internal: internal}))
	if !p.noWake {
		p.dispatcher.Wake()
	}
}

// deliveries lists every delivery, newest first.
func (sc *scenario) deliveries() []application.Delivery {
	sc.t.Helper()
	p, err := sc.db.outbox.ListDeliveries(context.Background(), application.DeliveryFilter{Page: application.Page{Limit: application.MaxPageSize}})
	require.NoError(sc.t, err)
	return p.Deliveries
}

// settled waits until there are n deliveries and none is pending.
func (sc *scenario) settled(n int) []application.Delivery {
	sc.t.Helper()
	var ds []application.Delivery
	require.Eventually(sc.t, func() bool {
		ds = sc.deliveries()
		if len(ds) != n {
			return false
		}
		for _, d := range ds {
			if d.Status == application.DeliveryPending {
				return false
			}
		}
		return true
	}, wait, 10*time.Millisecond, "%d settled deliveries", n)
	return ds
}

// roundsPass waits until the process's dispatcher has made n more rounds.
func (p *process) roundsPass(n int) {
	p.sc.t.Helper()
	target := p.rounds.Load() + int64(n)
	require.Eventually(p.sc.t, func() bool { return p.rounds.Load() >= target }, wait, time.Millisecond)
}

func texts(ms []fakebotapi.SentMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

func ticketURL(tk *domain.Ticket) string { return fmt.Sprintf("%s/tickets/%d", publicURL, tk.ID()) }
