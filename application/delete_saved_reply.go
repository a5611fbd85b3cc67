package application

import (
	"context"

	"crm/domain"
)

// DeleteSavedReply removes a reply.
type DeleteSavedReply struct {
	Actor *domain.User
	ID    int64
}

type DeleteSavedReplyHandler struct {
	replies SavedReplies
}

func NewDeleteSavedReplyHandler(replies SavedReplies) DeleteSavedReplyHandler {
	return DeleteSavedReplyHandler{replies: replies}
}

// Handle deletes the reply: its author's, or an admin's for a shared one.
// Errors: ErrForbidden for non-staff and for a shared reply Actor may use
// but not delete; ErrSavedReplyNotFound for a reply that does not exist
// or is a colleague's personal one.
func (h DeleteSavedReplyHandler) Handle(ctx context.Context, c DeleteSavedReply) error {
	r, err := visibleReply(ctx, h.replies, c.Actor, c.ID)
	if err != nil {
		return err
	}
	if !r.CanBeChangedBy(c.Actor) {
		return domain.ErrForbidden
	}
	return h.replies.Delete(ctx, c.ID)
}
