package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// OldestPendingAt returns when the oldest event that still has a pending
// delivery was stored, or the zero time when no delivery is pending: how
// far the dispatcher is behind, for the metrics. It reads the head of each
// delivery queue (pendingHeads), the pending delivery of its lowest event
// id, not every pending delivery: under a burst of tickets the staff
// alerts, paced for Telegram, wait by the ten thousand, and every scrape
// of /metrics had read them all. Events are stored in id order, so a
// queue's head is its oldest (PostgreSQL hands out ids before commit, so
// a head may be younger than the one behind it by the length of a
// transaction, which a lag figure can bear).
func (o *Outbox) OldestPendingAt(ctx context.Context) (time.Time, error) {
	q := o.s.pendingHeads() + ` SELECT min(e.created_at) FROM heads h JOIN events e ON e.id = h.event_id`
	var at timestamp
	if err := o.s.get(ctx, nil, &at, q); err != nil {
		return time.Time{}, fmt.Errorf("select oldest pending event: %w", err)
	}
	return at.Time, nil
}
