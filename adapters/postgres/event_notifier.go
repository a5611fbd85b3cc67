package postgres

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"crm/application"
)

// notifyGap is the least time between two notifications of one replica.
const notifyGap = 10 * time.Millisecond

// EventNotifier tells the other replicas' EventListeners that this one
// committed events: NOTIFY on EventsChannel, after the commit, from a
// connection of the pool. A trigger on events used to notify inside each
// transaction (migration 0002; 0019 drops it), but a transaction that
// notifies takes one lock of the whole database at commit and holds it
// until its commit record is on disk: the commits of concurrent tickets
// waited for one another and never shared a flush, and POST /tickets ran
// at the disk's flush rate. Wakes are coalesced: one notification at a
// time, no sooner than notifyGap after the one before, and a wake during
// one is answered by the next. A notification lost (the database out of
// reach, the process stopping) only delays the other replicas until
// their next poll: the events are in the outbox.
type EventNotifier struct {
	db   *sql.DB
	log  *slog.Logger
	wake chan struct{}
	bg   application.Background
}

var _ application.Waker = (*EventNotifier)(nil)

// NewEventNotifier returns a notifier that notifies through db.
func NewEventNotifier(db *sql.DB, log *slog.Logger) *EventNotifier {
	return &EventNotifier{db: db, log: log, wake: make(chan struct{}, 1), bg: application.Background{Name: "event notifier"}}
}

// Wake asks for a notification; it never blocks.
func (n *EventNotifier) Wake() {
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

// Start notifies in the background and returns at once.
func (n *EventNotifier) Start(context.Context) error { return n.bg.Start(n.run) }

// Stop ends the notifying and returns when it is over, or when ctx ends.
func (n *EventNotifier) Stop(ctx context.Context) error { return n.bg.Stop(ctx) }

func (n *EventNotifier) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.wake:
		}
		nctx, cancel := context.WithTimeout(ctx, closeTimeout)
		_, err := n.db.ExecContext(nctx, `SELECT pg_notify($1, '')`, EventsChannel)
		cancel()
		if err != nil && ctx.Err() == nil {
			n.log.Warn("event notifier: cannot wake the other replicas; they find the events at their next poll", "err", err)
		}
		t := time.NewTimer(notifyGap)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
