package application

import (
	"context"

	"crm/domain"
)

// AddComment writes on a ticket, with Files attached to the comment.
// Internal marks a staff note. Text may be empty when there are files.
type AddComment struct {
	Actor    *domain.User
	TicketID int64
	Text     string
	Internal bool
	Files    []domain.Upload
}

type AddCommentHandler struct {
	tickets Tickets
	clock   Clock
	limits  AttachmentLimits
}

func NewAddCommentHandler(tickets Tickets, clock Clock, limits AttachmentLimits) AddCommentHandler {
	return AddCommentHandler{tickets: tickets, clock: clock, limits: limits}
}

// Handle stores the comment, its files and CommentAdded in one
// transaction. The owner's comment on a closed ticket reopens it, in the
// same transaction (see Ticket.AddComment). Errors: ErrTicketNotFound for
// a ticket the actor may not see, ErrForbidden for an internal note by
// non-staff, a ValidationError on "text" or on "files" (over the limits,
// or not a file the desk keeps).
func (h AddCommentHandler) Handle(ctx context.Context, cmd AddComment) error {
	// The limits are checked before the ticket is read and locked: a
	// refusal costs no transaction.
	if err := h.limits.Check(cmd.Files); err != nil {
		return err
	}
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		return t.AddComment(cmd.Actor, cmd.Text, cmd.Internal, h.clock.Now(), cmd.Files...)
	})
}
