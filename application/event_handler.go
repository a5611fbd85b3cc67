package application

import (
	"context"

	"crm/domain"
)

// EventHandler reacts to stored events. The outbox dispatcher (package
// adapters/delivery) gives it every event of its kinds at least once, in
// event order per key, and retries a failed attempt with backoff; after a
// success it never gives the same event again.
type EventHandler interface {
	// Name identifies the handler in stored deliveries; it must never change.
	Name() string
	// Kinds lists the event kinds the handler wants.
	Kinds() []string
	// Route returns the key that orders e among the handler's deliveries
	// (one key's deliveries are made one at a time, in order), or a
	// non-empty skip note when e needs nothing done: its delivery is then
	// recorded done with that note.
	Route(e domain.StoredEvent) (key, skip string)
	// Handle acts on e and says what it did. Errors are classified as the
	// Notifier's: wrapping ErrPermanent or ErrChatBlocked gives up at once,
	// a *RetryAfterError waits as told, anything else is retried with
	// exponential backoff.
	Handle(ctx context.Context, e domain.StoredEvent) (Outcome, error)
}

// Outcome is what an EventHandler did with an event.
type Outcome struct {
	Note string // e.g. "sent to chat 42", "skipped: telegram not linked"
	// Sent says a message went out on the key's rate-limited channel (one
	// Telegram chat), so the key's next delivery waits the dispatcher's key
	// interval, whichever replica makes it.
	Sent bool
}

// Waker is told that something may be due now.
type Waker interface {
	Wake()
}
