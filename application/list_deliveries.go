package application

import (
	"context"

	"crm/domain"
)

// ListDeliveries lists deliveries for staff: by default the ones that need
// attention, failed and pending.
type ListDeliveries struct {
	Actor  *domain.User
	Status string // "pending", "failed", "done"; "" for failed and pending
	Page   Page
}

type ListDeliveriesHandler struct {
	deliveries Deliveries
}

func NewListDeliveriesHandler(deliveries Deliveries) ListDeliveriesHandler {
	return ListDeliveriesHandler{deliveries: deliveries}
}

// Handle returns one page, newest first. Errors: ErrForbidden for non-staff,
// a ValidationError on "status".
func (h ListDeliveriesHandler) Handle(ctx context.Context, q ListDeliveries) (DeliveryPage, error) {
	if !q.Actor.IsStaff() {
		return DeliveryPage{}, domain.ErrForbidden
	}
	f := DeliveryFilter{Statuses: []DeliveryStatus{DeliveryFailed, DeliveryPending}, Page: q.Page.Normalized()}
	if q.Status != "" {
		st, err := ParseDeliveryStatus(q.Status)
		if err != nil {
			return DeliveryPage{}, err
		}
		f.Statuses = []DeliveryStatus{st}
	}
	return h.deliveries.ListDeliveries(ctx, f)
}
