package application_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"crm/application"
	"crm/domain"
)

type countingWaker struct{ n atomic.Int64 }

func (w *countingWaker) Wake() { w.n.Add(1) }

func TestWakeOnTicketWrites(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	waker := &countingWaker{}
	tickets := application.WakeOnTicketWrites(w.store.Tickets, waker)
	owner := w.user("alice", domain.RoleUser)

	tk, err := domain.NewTicket(owner, "Title", "Text", "repair", w.clock.Now())
	require.NoError(t, err)
	require.NoError(t, tickets.Add(ctx, tk))
	assert.Equal(t, int64(1), waker.n.Load())

	require.NoError(t, tickets.Update(ctx, tk.ID(), func(*domain.Ticket) error { return nil }))
	assert.Equal(t, int64(2), waker.n.Load())

	boom := errors.New("boom")
	assert.ErrorIs(t, tickets.Update(ctx, tk.ID(), func(*domain.Ticket) error { return boom }), boom)
	_, err = tickets.Get(ctx, tk.ID())
	require.NoError(t, err)
	assert.Equal(t, int64(2), waker.n.Load(), "a failed write or a read wakes nobody")
}

func TestDeliveryTicketID(t *testing.T) {
	id, ok := application.Delivery{Stream: "ticket:12"}.TicketID()
	assert.True(t, ok)
	assert.Equal(t, int64(12), id)
	_, ok = application.Delivery{Stream: "user:12"}.TicketID()
	assert.False(t, ok)
}
