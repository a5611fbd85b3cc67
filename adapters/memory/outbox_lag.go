package memory

import (
	"context"
	"time"

	"crm/application"
)

// OldestPendingAt returns when the oldest event that still has a pending
// delivery was stored, or the zero time when no delivery is pending.
func (o *Outbox) OldestPendingAt(context.Context) (time.Time, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.events.mu.Lock()
	defer o.events.mu.Unlock()
	var oldest time.Time
	for _, d := range o.deliveries {
		if d.Status != application.DeliveryPending {
			continue
		}
		if e, ok := o.eventLocked(d.EventID); ok && (oldest.IsZero() || e.at.Before(oldest)) {
			oldest = e.at
		}
	}
	return oldest, nil
}
