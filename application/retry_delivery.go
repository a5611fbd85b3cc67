package application

import (
	"context"

	"crm/domain"
)

// RetryDelivery makes a failed (or waiting) delivery due now.
type RetryDelivery struct {
	Actor *domain.User
	ID    int64
}

type RetryDeliveryHandler struct {
	deliveries Deliveries
	clock      Clock
	waker      Waker
}

// NewRetryDeliveryHandler takes the dispatcher as waker, woken after a
// retry so that it does not wait for its next poll; nil is allowed.
func NewRetryDeliveryHandler(deliveries Deliveries, clock Clock, waker Waker) RetryDeliveryHandler {
	return RetryDeliveryHandler{deliveries: deliveries, clock: clock, waker: waker}
}

// Handle requeues the delivery with a fresh 24 hours of attempts; one that
// is done meanwhile is left alone. Errors: ErrForbidden for non-staff,
// ErrDeliveryNotFound.
func (h RetryDeliveryHandler) Handle(ctx context.Context, cmd RetryDelivery) error {
	if !cmd.Actor.IsStaff() {
		return domain.ErrForbidden
	}
	if err := h.deliveries.RequeueDelivery(ctx, cmd.ID, h.clock.Now()); err != nil {
		return err
	}
	if h.waker != nil {
		h.waker.Wake()
	}
	return nil
}
