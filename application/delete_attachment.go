package application

import (
	"context"
	"errors"

	"crm/domain"
)

// DeleteAttachment removes a file from its ticket.
type DeleteAttachment struct {
	Actor *domain.User
	ID    int64
}

type DeleteAttachmentHandler struct {
	attachments Attachments
	tickets     Tickets
	clock       Clock
}

func NewDeleteAttachmentHandler(attachments Attachments, tickets Tickets, clock Clock) DeleteAttachmentHandler {
	return DeleteAttachmentHandler{attachments: attachments, tickets: tickets, clock: clock}
}

// Handle deletes the file and records AttachmentDeleted in the ticket's
// transaction; its content goes too when no other file has the same. Only
// staff delete: ErrForbidden for the owner of the ticket;
// domain.ErrAttachmentNotFound for an unknown id or a file the actor may
// not see.
func (h DeleteAttachmentHandler) Handle(ctx context.Context, cmd DeleteAttachment) error {
	att, on, err := h.attachments.Get(ctx, cmd.ID)
	if err != nil {
		return err
	}
	err = h.tickets.Update(ctx, on.TicketID, func(t *domain.Ticket) error {
		if !t.CanBeSeenBy(cmd.Actor) || (att.Internal && !cmd.Actor.IsStaff()) {
			return domain.ErrAttachmentNotFound
		}
		return t.DeleteAttachment(cmd.Actor, cmd.ID, h.clock.Now())
	})
	if errors.Is(err, domain.ErrTicketNotFound) {
		return domain.ErrAttachmentNotFound
	}
	return err
}
