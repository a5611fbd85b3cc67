package application

import (
	"context"

	"crm/domain"
)

// WakeOnTicketWrites returns tickets that wake w after every successful
// Add and Update: the transaction that stored the events has committed by
// then, so the dispatcher delivers them at once instead of at its next
// poll. Reads pass straight through.
func WakeOnTicketWrites(tickets Tickets, w Waker) Tickets {
	return wakingTickets{Tickets: tickets, w: w}
}

type wakingTickets struct {
	Tickets
	w Waker
}

func (t wakingTickets) Add(ctx context.Context, tk *domain.Ticket) error {
	err := t.Tickets.Add(ctx, tk)
	if err == nil {
		t.w.Wake()
	}
	return err
}

func (t wakingTickets) Update(ctx context.Context, id int64, fn func(*domain.Ticket) error) error {
	err := t.Tickets.Update(ctx, id, fn)
	if err == nil {
		t.w.Wake()
	}
	return err
}
