package application

import (
	"context"
	"strings"
	"time"

	"crm/domain"
)

// Outbox is the storage side of the transactional outbox: the stored events
// the repositories write, and their deliveries, one per event and handler.
// Storage adapters implement it (test/contract checks them) and the
// dispatcher in adapters/delivery uses it, through interfaces of its own
// that name only what each of its parts calls. It is declared here, with
// the types it carries, because neither adapter may depend on the other.
type Outbox interface {
	// LastEventID returns the id of the newest stored event, 0 when none.
	LastEventID(ctx context.Context) (int64, error)
	// Cursor returns the event id up to which every event of interest to
	// handler has a delivery (0 at first).
	Cursor(ctx context.Context, handler string) (int64, error)
	// AdvanceCursor moves the cursor of handler forward to eventID; it never
	// moves back.
	AdvanceCursor(ctx context.Context, handler string, eventID int64) error
	// EventsWithoutDelivery returns up to limit events with ids above after
	// and a kind among kinds that have no delivery for handler yet, oldest
	// first.
	EventsWithoutDelivery(ctx context.Context, handler string, kinds []string, after int64, limit int) ([]OutboxEvent, error)
	// EventIDs returns the ids of up to limit events, of any kind, with ids
	// above after and at most through, in order: what the fan-out reads to
	// learn which ids are still missing (taken by a transaction not yet
	// committed, or by one rolled back).
	EventIDs(ctx context.Context, after, through int64, limit int) ([]int64, error)
	// AddDeliveries stores new deliveries in one transaction; one for an
	// event and handler that already has a delivery is skipped, so replicas
	// may race to add the same ones.
	AddDeliveries(ctx context.Context, ds []NewDelivery) error
	// ClaimDeliveries leases up to limit deliveries to owner until
	// leaseUntil, oldest event first: pending ones due at now, not leased by
	// anyone else, each the earliest pending delivery of its handler and
	// key, so that one key's deliveries go one at a time and in order.
	// Concurrent callers, in this process or another, never get the same
	// delivery while its lease lasts.
	ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]ClaimedDelivery, error)
	// RecordAttempt stores the outcome of an attempt at a delivery claimed
	// by owner and ends the lease; the attempt count goes up by one. A
	// success is stored even if the lease went to someone else meanwhile;
	// any other outcome is then ignored. A success with HoldKeyUntil holds
	// its handler and key: no delivery of them, pending now or added later,
	// is claimed before then. ErrDeliveryNotFound.
	RecordAttempt(ctx context.Context, id int64, owner string, a Attempt) error
	// ReleaseDelivery ends owner's lease of a delivery without an attempt,
	// so that it is due again at once.
	ReleaseDelivery(ctx context.Context, id int64, owner string) error
}

// Deliveries lets staff see and retry deliveries.
type Deliveries interface {
	// ListDeliveries returns one page of the deliveries in the filter's
	// statuses (any when empty), newest first.
	ListDeliveries(ctx context.Context, f DeliveryFilter) (DeliveryPage, error)
	// CountDeliveries returns how many deliveries are in each of statuses
	// (0 for a status with none), counted together, so that a delivery
	// changing status meanwhile is counted once.
	CountDeliveries(ctx context.Context, statuses ...DeliveryStatus) (map[DeliveryStatus]int, error)
	// RequeueDelivery makes a failed or pending delivery due at now, with
	// attempts counted afresh from now (Attempts 0, Since now); a done one
	// is left as it is.
	// ErrDeliveryNotFound.
	RequeueDelivery(ctx context.Context, id int64, now time.Time) error
}

// DeliveryStatus is where a delivery is: pending (to be tried, or being
// retried), done (sent, or skipped with a note), failed (given up; staff
// may retry it).
type DeliveryStatus string

// The delivery statuses.
const (
	DeliveryPending DeliveryStatus = "pending"
	DeliveryDone    DeliveryStatus = "done"
	DeliveryFailed  DeliveryStatus = "failed"
)

// ParseDeliveryStatus returns the status named s, or a ValidationError on
// "status".
func ParseDeliveryStatus(s string) (DeliveryStatus, error) {
	switch st := DeliveryStatus(s); st {
	case DeliveryPending, DeliveryDone, DeliveryFailed:
		return st, nil
	}
	return "", domain.ValidationError{Field: "status", Code: domain.CodeInvalid}
}

// OutboxEvent is a stored event as the outbox reads it, still encoded, so
// that one that no longer decodes can be reported rather than stop the
// dispatcher.
type OutboxEvent struct {
	ID      int64
	Kind    string
	Stream  string
	Payload []byte
	At      time.Time
}

// Delivery is the delivery of one event to one handler.
type Delivery struct {
	ID        int64
	EventID   int64
	EventKind string
	Stream    string // the event's stream, e.g. "ticket:12"
	Handler   string
	// Key orders deliveries: those of one handler with one key are made one
	// at a time, in event order (e.g. "user:5": every message to one chat).
	Key           string
	Status        DeliveryStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	Note          string    // what a done delivery did: "sent to chat 42", "skipped: not linked"
	Since         time.Time // when the current run of attempts began: creation or a staff retry
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// TicketID returns the ticket the delivery's event is about, if any (its
// stream is "ticket:<id>").
func (d Delivery) TicketID() (int64, bool) {
	rest, ok := strings.CutPrefix(d.Stream, "ticket:")
	if !ok {
		return 0, false
	}
	return parseID(rest)
}

// ClaimedDelivery is a leased delivery with its event.
type ClaimedDelivery struct {
	Delivery
	Payload []byte
	EventAt time.Time
}

// NewDelivery is a delivery to add: pending, due at At, or already settled
// (done with a note, or failed with an error).
type NewDelivery struct {
	EventID   int64
	Handler   string
	Key       string
	Status    DeliveryStatus
	Note      string
	LastError string
	At        time.Time
}

// Attempt is the outcome of one try at a delivery.
type Attempt struct {
	Status        DeliveryStatus // DeliveryPending: to be retried at NextAttemptAt
	At            time.Time
	NextAttemptAt time.Time
	Error         string // "" on success
	Note          string
	// HoldKeyUntil, on a success, keeps the key's next deliveries back
	// until then (zero: no hold), to space messages to one chat.
	HoldKeyUntil time.Time
}

// DeliveryFilter selects deliveries.
type DeliveryFilter struct {
	Statuses []DeliveryStatus
	Page     Page
}

// DeliveryPage is one page of deliveries.
type DeliveryPage struct {
	Deliveries []Delivery
	Next       int64 // Before of the next page; 0 when this is the last
	Total      int   // how many deliveries match the filter
}
