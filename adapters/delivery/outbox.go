package delivery

import (
	"context"
	"time"

	"crm/application"
)

// The dispatcher's needs of storage, declared here, where they are used,
// and split by the part that calls them. Their contract is that of
// application.Outbox, which every storage adapter implements and
// test/contract checks; the staff's side of the deliveries
// (application.Deliveries: listing, requeueing) is none of the
// dispatcher's business.

// EventFeed is what the fan-out calls: it reads the stored events, gives
// each a delivery per handler and moves the handlers' cursors.
type EventFeed interface {
	LastEventID(ctx context.Context) (int64, error)
	Cursor(ctx context.Context, handler string) (int64, error)
	AdvanceCursor(ctx context.Context, handler string, eventID int64) error
	EventsWithoutDelivery(ctx context.Context, handler string, kinds []string, after int64, limit int) ([]application.OutboxEvent, error)
	EventIDs(ctx context.Context, after, through int64, limit int) ([]int64, error)
	AddDeliveries(ctx context.Context, ds []application.NewDelivery) error
}

// Leases is what the workers call: they lease due deliveries, then record
// the outcome of an attempt or give the delivery back untried.
type Leases interface {
	ClaimDeliveries(ctx context.Context, owner string, now, leaseUntil time.Time, limit int) ([]application.ClaimedDelivery, error)
	RecordAttempt(ctx context.Context, id int64, owner string, a application.Attempt) error
	ReleaseDelivery(ctx context.Context, id int64, owner string) error
}

// Outbox is everything a Dispatcher calls; any application.Outbox is one.
type Outbox interface {
	EventFeed
	Leases
}

var _ Outbox = application.Outbox(nil)
