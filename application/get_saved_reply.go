package application

import (
	"context"

	"crm/domain"
)

// GetSavedReply reads one reply Actor may see.
type GetSavedReply struct {
	Actor *domain.User
	ID    int64
}

type GetSavedReplyHandler struct {
	replies SavedReplies
}

func NewGetSavedReplyHandler(replies SavedReplies) GetSavedReplyHandler {
	return GetSavedReplyHandler{replies: replies}
}

// Handle returns the reply. Errors: ErrForbidden for non-staff,
// ErrSavedReplyNotFound for a reply that does not exist or is a
// colleague's personal one.
func (h GetSavedReplyHandler) Handle(ctx context.Context, q GetSavedReply) (domain.SavedReply, error) {
	return visibleReply(ctx, h.replies, q.Actor, q.ID)
}
