package application

import (
	"context"

	"crm/domain"
)

// AddComment writes on a ticket. Internal marks a staff note.
type AddComment struct {
	Actor    *domain.User
	TicketID int64
	Text     string
	Internal bool
}

type AddCommentHandler struct {
	tickets Tickets
	clock   Clock
}

func NewAddCommentHandler(tickets Tickets, clock Clock) AddCommentHandler {
	return AddCommentHandler{tickets: tickets, clock: clock}
}

// Handle stores the comment and CommentAdded. Errors: ErrTicketNotFound for
// a ticket the actor may not see, ErrForbidden for an internal note by
// non-staff, ErrTicketClosed when the owner writes on a closed ticket, a
// ValidationError on "text".
func (h AddCommentHandler) Handle(ctx context.Context, cmd AddComment) error {
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		return t.AddComment(cmd.Actor, cmd.Text, cmd.Internal, h.clock.Now())
	})
}
