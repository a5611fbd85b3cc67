package bootstrap

import (
	"go.uber.org/fx"

	"crm/adapters/sqlstore"
	"crm/application"
)

// liveModule feeds the live pages (GET /events): one LiveFeed per process,
// woken by the same commit hook and LISTEN/NOTIFY listener as the
// dispatcher (notifications.go), and presence kept in the database so that
// every replica sees every viewer.
var liveModule = fx.Module("live",
	fx.Provide(newLiveFeed, newTicketPresence),
)

func newLiveFeed(lc fx.Lifecycle, store *sqlstore.Store) *application.LiveFeed {
	f := application.NewLiveFeed(sqlstore.NewLiveEvents(store), application.LiveFeedConfig{})
	lc.Append(fx.StartStopHook(f.Start, f.Stop))
	return f
}

func newTicketPresence(store *sqlstore.Store, clock application.Clock) *application.TicketPresence {
	return application.NewTicketPresence(sqlstore.NewPresence(store), clock)
}
