package application

import (
	"context"

	"crm/domain"
)

// ListSavedReplies lists the replies Actor may use: the shared ones and
// their own.
type ListSavedReplies struct {
	Actor *domain.User
}

type ListSavedRepliesHandler struct {
	replies SavedReplies
}

func NewListSavedRepliesHandler(replies SavedReplies) ListSavedRepliesHandler {
	return ListSavedRepliesHandler{replies: replies}
}

// Handle returns the replies by name. Errors: ErrForbidden for non-staff.
func (h ListSavedRepliesHandler) Handle(ctx context.Context, q ListSavedReplies) ([]domain.SavedReply, error) {
	if !q.Actor.IsStaff() {
		return nil, domain.ErrForbidden
	}
	return h.replies.ListFor(ctx, q.Actor.ID())
}
