package application

import (
	"context"

	"crm/domain"
)

// ListMyTickets lists the tickets Actor submitted, newest first.
type ListMyTickets struct {
	Actor *domain.User
	Page  Page
	// Brief: the tickets need carry only what the person's list page shows
	// (see TicketFilter.Brief); the API, which lists every field, leaves it
	// false.
	Brief bool
}

type ListMyTicketsHandler struct {
	tickets Tickets
}

func NewListMyTicketsHandler(tickets Tickets) ListMyTicketsHandler {
	return ListMyTicketsHandler{tickets: tickets}
}

// Handle returns one page of the actor's own tickets. Anyone logged in may
// ask; only storage fails.
func (h ListMyTicketsHandler) Handle(ctx context.Context, q ListMyTickets) (TicketPage, error) {
	return h.tickets.Search(ctx, TicketFilter{OwnerID: q.Actor.ID(), Page: q.Page.Normalized(), Brief: q.Brief})
}
