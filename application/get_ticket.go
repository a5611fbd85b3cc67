package application

import (
	"context"

	"crm/domain"
)

// GetTicket reads one ticket with the comments and files Actor may see.
type GetTicket struct {
	Actor *domain.User
	ID    int64
}

// TicketView is a ticket as its reader may see it.
type TicketView struct {
	Ticket   *domain.Ticket
	Comments []domain.Comment // internal notes only for staff
	// Attachments are the files on the ticket and its visible comments
	// (an internal note's files only for staff), oldest first.
	Attachments []domain.Attachment
	// DeletedAttachments are the records of the files staff deleted, for
	// the history (an internal note's only for staff).
	DeletedAttachments []domain.AttachmentDeletion
	// Next lists the statuses the reader may move the ticket to: every
	// next one for staff, closing and reopening for the owner.
	Next []domain.Status
}

type GetTicketHandler struct {
	tickets Tickets
}

func NewGetTicketHandler(tickets Tickets) GetTicketHandler {
	return GetTicketHandler{tickets: tickets}
}

// Handle returns the ticket for its owner or staff. For anyone else it
// returns ErrTicketNotFound, so that a stranger cannot even learn that the
// ticket exists.
func (h GetTicketHandler) Handle(ctx context.Context, q GetTicket) (TicketView, error) {
	t, err := h.tickets.Get(ctx, q.ID)
	if err != nil {
		return TicketView{}, err
	}
	if !t.CanBeSeenBy(q.Actor) {
		return TicketView{}, domain.ErrTicketNotFound
	}
	v := TicketView{Ticket: t, Comments: t.VisibleComments(q.Actor), Attachments: t.VisibleAttachments(q.Actor),
		DeletedAttachments: t.VisibleDeletedAttachments(q.Actor)}
	v.Next = t.NextStatuses(q.Actor)
	return v, nil
}
