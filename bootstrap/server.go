package bootstrap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"go.uber.org/fx"

	"crm/application"
)

// Server is the HTTP server, started and stopped by the fx lifecycle.
type Server struct {
	srv *http.Server
	log *slog.Logger
	ln  net.Listener
}

// Addr returns the address the server listens on (useful with port 0).
func (s *Server) Addr() string {
	if s.ln == nil {
		return s.srv.Addr
	}
	return s.ln.Addr().String()
}

func newServer(lc fx.Lifecycle, c Config, h http.Handler, log *slog.Logger, live *application.LiveFeed) *Server {
	s := &Server{
		srv: &http.Server{
			Addr:              c.Addr,
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		log: log,
	}
	// Shutdown waits for requests to end; the live streams end only when
	// told, so they are told as it begins.
	s.srv.RegisterOnShutdown(live.Close)
	lc.Append(fx.Hook{
		// Listening happens in OnStart so that a taken port stops start-up
		// with a clear error; serving goes on in its own goroutine.
		OnStart: func(ctx context.Context) error {
			ln, err := net.Listen("tcp", c.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s (CRM_ADDR): %w", c.Addr, err)
			}
			s.ln = ln
			go func() {
				if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("http server stopped", "err", err)
				}
			}()
			log.Info("listening", "addr", "http://"+s.Addr())
			return nil
		},
		// Shutdown drains the requests in flight before the database closes.
		OnStop: func(ctx context.Context) error {
			return s.srv.Shutdown(ctx)
		},
	})
	return s
}
