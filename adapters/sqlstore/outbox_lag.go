package sqlstore

import (
	"context"
	"fmt"
	"time"
)

// OldestPendingAt returns when the oldest event that still has a pending
// delivery was stored, or the zero time when no delivery is pending: how
// far the dispatcher is behind, for the metrics.
func (o *Outbox) OldestPendingAt(ctx context.Context) (time.Time, error) {
	const q = `SELECT min(e.created_at) FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.status = 'pending'`
	var at timestamp
	if err := o.s.get(ctx, nil, &at, q); err != nil {
		return time.Time{}, fmt.Errorf("select oldest pending event: %w", err)
	}
	return at.Time, nil
}
