package application

import (
	"context"

	"crm/domain"
)

// RateTicket is the owner's rating of the help on a closed ticket, 1 to 5
// stars.
type RateTicket struct {
	Actor    *domain.User
	TicketID int64
	Stars    int
}

type RateTicketHandler struct {
	tickets Tickets
	clock   Clock
}

func NewRateTicketHandler(tickets Tickets, clock Clock) RateTicketHandler {
	return RateTicketHandler{tickets: tickets, clock: clock}
}

// Handle stores the rating and TicketRated in one transaction; the owner
// may change it until the ticket reopens. Errors: ErrTicketNotFound for a
// ticket the actor may not see, ErrForbidden for staff (only the owner
// rates), a ValidationError on "stars" outside 1..5, ErrNotRated when the
// ticket is not closed.
func (h RateTicketHandler) Handle(ctx context.Context, cmd RateTicket) error {
	if cmd.Stars < domain.RatingMin || cmd.Stars > domain.RatingMax {
		// Refused before the ticket is read and locked: a bad form costs
		// no transaction.
		return domain.ValidationError{Field: "stars", Code: domain.CodeInvalid}
	}
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		return t.Rate(cmd.Actor, cmd.Stars, h.clock.Now())
	})
}
