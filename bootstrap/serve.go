package bootstrap

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.uber.org/fx"
)

// serveOptions are the options of `crm serve`: migrate up, then the HTTP
// server and the background workers.
func serveOptions(c Config, log *slog.Logger) fx.Option {
	return fx.Options(
		coreOptions(c, log),
		fx.Invoke(func(s *Storage) error {
			if err := s.MigrateUp(); err != nil {
				return fmt.Errorf("migrate up: %w", err)
			}
			return nil
		}),
		liveModule,
		notificationsModule,
		janitorModule,
		searchUpkeepModule,
		telegramModule(c),
		httpModule,
		fx.Invoke(func(*Server) {}),
	)
}

// Running is a started application, for end-to-end tests and `serve`.
type Running struct {
	app    *fx.App
	server *Server
}

// URL returns the base URL the application answers on.
func (r *Running) URL() string { return "http://" + r.server.Addr() }

// Stop shuts the application down gracefully: in-flight requests finish,
// workers stop, the database closes.
func (r *Running) Stop(ctx context.Context) error { return r.app.Stop(ctx) }

// Start builds and starts the application as `crm serve` does, and returns
// once it is listening.
func Start(ctx context.Context, c Config, log *slog.Logger, extra ...fx.Option) (*Running, error) {
	r := &Running{}
	app := fx.New(serveOptions(c, log), fx.Options(extra...), fx.Populate(&r.server))
	if err := app.Err(); err != nil {
		return nil, err
	}
	// Start-up is not cut short by ctx: fx gives up waiting on a cancelled
	// context but lets the hooks run on, so a signal in the middle of
	// start-up left a listener serving with nothing left to stop it. A
	// signal now waits for start-up (bounded) and then stops gracefully.
	startCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := app.Start(startCtx); err != nil {
		// Roll back whatever did start (fx does so only when a hook fails).
		stopCtx, cancelStop := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancelStop()
		_ = app.Stop(stopCtx)
		return nil, err
	}
	r.app = app
	return r, nil
}

// serve runs until ctx is cancelled (SIGINT or SIGTERM), then stops
// gracefully.
func serve(ctx context.Context, c Config, log *slog.Logger) error {
	tuneGC()
	r, err := Start(ctx, c, log)
	if err != nil {
		return err
	}
	<-ctx.Done()
	log.Info("shutting down")
	stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := r.Stop(stopCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	log.Info("stopped")
	return nil
}
