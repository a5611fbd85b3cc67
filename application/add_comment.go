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
	// AskOwner (staff, a public comment) stops the response targets'
	// clock until the owner answers.
	AskOwner bool
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
// or not a file the desk keeps); with AskOwner, ErrForbidden for non-staff
// and a ValidationError on "ask_owner" for an internal note, which asks
// nobody.
func (h AddCommentHandler) Handle(ctx context.Context, cmd AddComment) error {
	if cmd.AskOwner && cmd.Internal {
		return domain.ValidationError{Field: "ask_owner", Code: domain.CodeInvalid}
	}
	// The limits are checked before the ticket is read and locked: a
	// refusal costs no transaction.
	if err := h.limits.Check(cmd.Files); err != nil {
		return err
	}
	return h.tickets.Update(ctx, cmd.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) {
			return domain.ErrTicketNotFound
		}
		now := h.clock.Now()
		if err := t.AddComment(cmd.Actor, cmd.Text, cmd.Internal, now, cmd.Files...); err != nil {
			return err
		}
		if cmd.AskOwner {
			return t.AskOwner(cmd.Actor, now)
		}
		return nil
	})
}
