package bootstrap

import (
	"log/slog"
	"net/http"
	"strings"

	"go.uber.org/fx"

	"crm/adapters/i18n"
	"crm/adapters/sqlite"
	"crm/adapters/sqlstore"
	"crm/adapters/telegram"
	"crm/adapters/web"
	"crm/application"
)

// httpModule serves the pages, the probes, the metrics and whatever other
// modules mount (the Telegram webhook) through one handler and one server.
// The metrics registry is the Telegram client's too.
var httpModule = fx.Module("http",
	fx.Provide(newMetrics, newWebHandler, newServer),
)

// newMetrics is the registry GET /metrics serves: a private one, never
// Prometheus' process-wide default; it watches the database's pool.
func newMetrics(log *slog.Logger, s *Storage) (*web.Metrics, error) {
	m := web.NewMetrics(log)
	if err := m.WatchDatabase(s.DB.DB); err != nil {
		return nil, err
	}
	return m, nil
}

type webDeps struct {
	fx.In
	App      *application.App
	Config   Config
	Log      *slog.Logger
	Storage  *Storage
	Store    *sqlstore.Store
	Clock    application.Clock
	Telegram *application.TelegramApp
	// TwoFactor is two-factor sign-in: the code step of a login and the
	// enrolment page.
	TwoFactor *application.TwoFactorApp
	// Deliveries feeds the delivery counts of GET /metrics.
	Deliveries application.Deliveries
	Metrics    *web.Metrics
	Mounts     []web.Mount `group:"mounts"`
	// Live and Presence serve the live pages.
	Live     *application.LiveFeed
	Presence *application.TicketPresence
}

func newWebHandler(d webDeps) (http.Handler, error) {
	return web.NewHandler(d.App, web.Options{
		Logger:        d.Log,
		SecureCookies: strings.HasPrefix(d.Config.PublicURL, "https://"),
		Ready:         d.Store.Ready,
		PublicURL:     d.Config.PublicURL,
		Clock:         d.Clock,
		Telegram:      d.Telegram,
		TwoFactor:     d.TwoFactor,
		Deliveries:    d.Deliveries,
		OldestPending: sqlstore.NewOutbox(d.Store),
		Metrics:       d.Metrics,
		Mounts:        d.Mounts,
		Live:          d.Live,
		Presence:      d.Presence,

		TrustedProxies:         d.Config.TrustedProxies,
		LoginAttemptsPerMinute: d.Config.LoginAttemptsPerMinute,
		ReadConcurrency:        readConcurrency(d.Config.ReadConcurrency, d.Storage.Dialect),
		AttachmentMaxBytes:     d.Config.AttachmentMaxBytes,
		AttachmentMaxFiles:     d.Config.AttachmentMaxFiles,
	})
}

// readConcurrencyAuto is Config.ReadConcurrency when CRM_READ_CONCURRENCY
// is unset.
const readConcurrencyAuto = -1

// readConcurrency is CRM_READ_CONCURRENCY as web.Options takes it (zero
// there means web.DefaultReadConcurrency, and no limit is negative). Unset,
// on SQLite it is the pool's connections, so that pages wait in the line,
// first come first served, rather than for a connection, which database/sql
// hands to a waiting query at random (a line of 4 against 8 with 4
// connections: 3-5 % more queue pages a second, a lower p99, at a million
// tickets); on PostgreSQL, whose pool of 20 outnumbers the line, 4 per CPU
// keep crm busy while pages wait on the database.
func readConcurrency(n int, dialect string) int {
	switch {
	case n == readConcurrencyAuto && dialect == "sqlite":
		return sqlite.Connections()
	case n == readConcurrencyAuto:
		return web.DefaultReadConcurrency
	case n == 0:
		return -1
	}
	return n
}

// interfaceLanguages are the languages a person may choose on /account.
func interfaceLanguages() []string { return i18n.Languages() }

// webhookMount serves Telegram's webhook calls beside the pages.
func webhookMount(wh *telegram.Webhook) web.Mount {
	return web.Mount{Pattern: "POST " + telegram.WebhookPath, Handler: wh}
}
