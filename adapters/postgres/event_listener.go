package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"crm/application"
)

// EventsChannel is the channel on which each replica's EventNotifier
// says, after a commit, that it stored events.
const EventsChannel = "crm_events"

const closeTimeout = 5 * time.Second

// EventListener wakes a dispatcher as soon as any replica commits events:
// it LISTENs on EventsChannel on a connection of its own, and reconnects
// with backoff when that connection is lost (the dispatcher's short poll
// covers the gap).
type EventListener struct {
	url  string
	wake application.Waker
	log  *slog.Logger

	bg application.Background
}

// NewEventListener returns a listener on the database at databaseURL that
// calls wake.Wake on every notification.
func NewEventListener(databaseURL string, wake application.Waker, log *slog.Logger) *EventListener {
	return &EventListener{bg: application.Background{Name: "event listener"}, url: databaseURL, wake: wake, log: log}
}

// Start listens in the background and returns at once.
func (l *EventListener) Start(context.Context) error {
	return l.bg.Start(l.run)
}

// Stop ends the listening and returns when it is over, or when ctx ends.
func (l *EventListener) Stop(ctx context.Context) error {
	return l.bg.Stop(ctx)
}

func (l *EventListener) run(ctx context.Context) {
	wait := time.Second
	for ctx.Err() == nil {
		err := l.listen(ctx)
		if ctx.Err() != nil {
			return
		}
		l.log.Warn("event listener: connection lost; reconnecting", "err", err, "retry_in", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// listen holds one connection until it fails or ctx ends.
func (l *EventListener) listen(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, l.url)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{EventsChannel}.Sanitize()); err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	l.wake.Wake() // anything committed while we were not listening
	for {
		if _, err := conn.WaitForNotification(ctx); err != nil {
			return fmt.Errorf("wait for notification: %w", err)
		}
		l.wake.Wake()
	}
}
