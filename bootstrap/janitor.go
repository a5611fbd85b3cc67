package bootstrap

import (
	"log/slog"

	"go.uber.org/fx"

	"crm/application"
)

// janitorModule deletes expired sessions and stale Telegram link tokens in
// the background. Every replica runs one; their deletions do not conflict.
var janitorModule = fx.Module("janitor", fx.Invoke(startJanitor))

func startJanitor(lc fx.Lifecycle, sessions application.Sessions, linkTokens application.LinkTokens,
	clock application.Clock, log *slog.Logger) {
	j := application.NewJanitor(application.NewCleanUpHandler(sessions, linkTokens, clock), log, application.JanitorConfig{})
	lc.Append(fx.StartStopHook(j.Start, j.Stop))
}
