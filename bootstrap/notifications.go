package bootstrap

import (
	"log/slog"

	"github.com/jmoiron/sqlx"
	"go.uber.org/fx"

	"crm/adapters/delivery"
	"crm/adapters/postgres"
	"crm/adapters/sqlstore"
	"crm/adapters/telegram"
	"crm/adapters/web"
	"crm/adapters/webhook"
	"crm/application"
)

// notificationsModule runs the outbox dispatcher that turns stored events
// into notifications, and the Telegram use cases the pages and the bot
// drive. The Notifier and BotProfile come from telegramModule.
var notificationsModule = fx.Module("notifications",
	fx.Provide(newDispatcher, newTelegramApp, newReplicaWaker),
	// Wake the dispatcher (and the live pages' feed) when a ticket change
	// commits, so a notification leaves within a second instead of at the
	// next poll, and the other replicas' too.
	fx.Decorate(func(t application.Tickets, d *delivery.Dispatcher, live *application.LiveFeed, r replicaWaker) application.Tickets {
		return application.WakeOnTicketWrites(t, application.Wakers{d, live, r.Waker})
	}),
)

// replicaWaker wakes the other replicas' dispatchers and live feeds: on
// PostgreSQL by NOTIFY after the commit (their EventListeners answer it);
// on SQLite, which one process serves, it does nothing.
type replicaWaker struct{ application.Waker }

func newReplicaWaker(lc fx.Lifecycle, c Config, db *sqlx.DB, log *slog.Logger) replicaWaker {
	if c.Database.Dialect != "postgres" {
		return replicaWaker{application.Wakers{}}
	}
	n := postgres.NewEventNotifier(db.DB, log)
	lc.Append(fx.StartStopHook(n.Start, n.Stop))
	return replicaWaker{n}
}

type dispatcherDeps struct {
	fx.In
	Lifecycle fx.Lifecycle
	Config    Config
	Log       *slog.Logger
	Outbox    application.Outbox
	Users     application.Users
	Notifier  application.Notifier
	Clock     application.Clock
	// Store reads tickets for the staff alerts: the module's Tickets wake
	// this very dispatcher, so cannot be given to it.
	Store *sqlstore.Store
	// Live is woken with the dispatcher by other replicas' commits.
	Live *application.LiveFeed
}

func newDispatcher(d dispatcherDeps) (*delivery.Dispatcher, error) {
	handlers := []application.EventHandler{
		application.NewNotifyOwner(d.Users, d.Notifier, d.Config.PublicURL),
		application.NewNotifyStaff(d.Users, sqlstore.NewTickets(d.Store), d.Notifier, d.Config.PublicURL),
	}
	if d.Config.WebhookURL != "" {
		wh, err := webhook.New(webhook.Config{URL: d.Config.WebhookURL, Secret: d.Config.WebhookSecret, Clock: d.Clock})
		if err != nil {
			return nil, err
		}
		handlers = append(handlers, wh)
	}
	cfg := delivery.Config{KeyInterval: d.Config.TelegramChatInterval}
	if d.Config.TelegramChatInterval == 0 {
		cfg.KeyInterval = -1 // none
	}
	disp := delivery.NewDispatcher(d.Outbox, d.Clock, d.Log, cfg, handlers...)
	d.Lifecycle.Append(fx.StartStopHook(disp.Start, disp.Stop))
	if d.Config.Database.Dialect == "postgres" {
		// Other replicas' commits wake this dispatcher through
		// LISTEN/NOTIFY.
		l := postgres.NewEventListener(d.Config.Database.DSN, application.Wakers{disp, d.Live}, d.Log)
		d.Lifecycle.Append(fx.StartStopHook(l.Start, l.Stop))
	}
	return disp, nil
}

type telegramAppDeps struct {
	fx.In
	Users      application.Users
	LinkTokens application.LinkTokens
	Deliveries application.Deliveries
	Clock      application.Clock
	Bot        application.BotProfile `optional:"true"`
	// BotFiles fetches the photos and documents sent to the bot; without
	// Telegram there are none.
	BotFiles   application.BotFileFetcher `optional:"true"`
	Dispatcher *delivery.Dispatcher
	Tickets    application.Tickets
	BotChats   application.BotChats
	SLA        application.SLAPolicies
	Config     Config
}

func newTelegramApp(d telegramAppDeps) *application.TelegramApp {
	return application.NewTelegramApp(application.TelegramDeps{
		Users: d.Users, LinkTokens: d.LinkTokens, Deliveries: d.Deliveries,
		Clock: d.Clock, Bot: d.Bot, Waker: d.Dispatcher,
		Tickets: d.Tickets, BotChats: d.BotChats, BotFiles: d.BotFiles,
		Limits: attachmentLimits(d.Config), PublicURL: d.Config.PublicURL, SLAPolicies: d.SLA,
	})
}

// telegramModule connects to the Bot API when a token is configured; without
// one, notifications are only logged.
func telegramModule(c Config) fx.Option {
	if c.TelegramToken == "" {
		return fx.Module("telegram-off",
			fx.Provide(func(log *slog.Logger) application.Notifier { return telegram.NewLogNotifier(log) }),
		)
	}
	receive := fx.Invoke(startPoller)
	if c.TelegramMode == "webhook" {
		receive = fx.Provide(
			newWebhook,
			fx.Annotate(webhookMount, fx.ResultTags(`group:"mounts"`)),
		)
	}
	return fx.Module("telegram",
		fx.Provide(
			newTelegramClient,
			func(c *telegram.Client) application.BotProfile { return c },
			func(c *telegram.Client) application.BotFileFetcher { return c },
			// The notifier reads a comment's files from the database to
			// upload them: Telegram cannot fetch the desk's private URLs.
			// A reply to a notification becomes a comment on its ticket.
			func(c *telegram.Client, files application.Files, chats application.BotChats, log *slog.Logger) application.Notifier {
				return telegram.NewNotifier(c).WithFiles(files).WithThreads(chats, log)
			},
			newUpdates,
		),
		receive,
	)
}

// newTelegramClient is the Bot API client; GET /metrics counts its sends.
func newTelegramClient(c Config, m *web.Metrics) (*telegram.Client, error) {
	return telegram.NewClient(telegram.Config{
		Token: c.TelegramToken, APIURL: c.TelegramAPIURL,
		MessagesPerSecond: c.TelegramRatePerSecond, ChatInterval: c.TelegramChatInterval,
		Sends: m,
	})
}

func newUpdates(app *application.TelegramApp, chats application.BotChats, client *telegram.Client, log *slog.Logger) *telegram.Updates {
	return telegram.NewUpdates(app.HandleBotMessage, client, log).WithBot(app.HandleBotCallback, chats)
}

// startPoller receives updates by long polling. It depends on the
// dispatcher so that it starts after it and stops before it.
func startPoller(lc fx.Lifecycle, client *telegram.Client, updates *telegram.Updates, lock application.PollLock,
	log *slog.Logger, _ *delivery.Dispatcher) {
	p := telegram.NewPoller(client, updates, lock, log, telegram.PollerConfig{})
	lc.Append(fx.StartStopHook(p.Start, p.Stop))
}

func newWebhook(lc fx.Lifecycle, c Config, client *telegram.Client, updates *telegram.Updates,
	log *slog.Logger, _ *delivery.Dispatcher) (*telegram.Webhook, error) {
	wh, err := telegram.NewWebhook(client, updates, c.PublicURL, c.TelegramWebhookSecret, log)
	if err != nil {
		return nil, err
	}
	lc.Append(fx.StartStopHook(wh.Start, wh.Stop))
	return wh, nil
}
