package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// SubmitTicket files a new request on behalf of Actor.
type SubmitTicket struct {
	Actor *domain.User
	Title string
	Text  string
	Type  string
}

type SubmitTicketHandler struct {
	tickets Tickets
	clock   Clock
}

func NewSubmitTicketHandler(tickets Tickets, clock Clock) SubmitTicketHandler {
	return SubmitTicketHandler{tickets: tickets, clock: clock}
}

// Handle stores the ticket, owned by the actor; anyone logged in may submit.
// Errors: domain.ValidationErrors naming every wrong field (nothing is
// stored then).
func (h SubmitTicketHandler) Handle(ctx context.Context, cmd SubmitTicket) (*domain.Ticket, error) {
	t, err := domain.NewTicket(cmd.Actor, cmd.Title, cmd.Text, cmd.Type, h.clock.Now())
	if err != nil {
		return nil, err
	}
	if err := h.tickets.Add(ctx, t); err != nil {
		return nil, fmt.Errorf("add ticket: %w", err)
	}
	return t, nil
}
