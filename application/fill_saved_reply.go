package application

import (
	"context"

	"crm/domain"
)

// FillSavedReply is a reply's text for one ticket, its placeholders
// filled, ready for the comment box.
type FillSavedReply struct {
	Actor    *domain.User
	ReplyID  int64
	TicketID int64
}

type FillSavedReplyHandler struct {
	replies SavedReplies
	tickets Tickets
}

func NewFillSavedReplyHandler(replies SavedReplies, tickets Tickets) FillSavedReplyHandler {
	return FillSavedReplyHandler{replies: replies, tickets: tickets}
}

// Handle returns the filled text. Errors: ErrForbidden for non-staff,
// ErrSavedReplyNotFound (a reply Actor may not see is one that does not
// exist), ErrTicketNotFound.
func (h FillSavedReplyHandler) Handle(ctx context.Context, q FillSavedReply) (string, error) {
	r, err := visibleReply(ctx, h.replies, q.Actor, q.ReplyID)
	if err != nil {
		return "", err
	}
	t, err := h.tickets.Get(ctx, q.TicketID)
	if err != nil {
		return "", err
	}
	if !t.CanBeSeenBy(q.Actor) {
		return "", domain.ErrTicketNotFound
	}
	return r.Fill(t), nil
}
