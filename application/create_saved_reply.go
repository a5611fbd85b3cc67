package application

import (
	"context"

	"crm/domain"
)

// CreateSavedReply saves a new reply by Actor, shared with all staff or
// personal.
type CreateSavedReply struct {
	Actor  *domain.User
	Name   string
	Text   string
	Shared bool
}

type CreateSavedReplyHandler struct {
	replies SavedReplies
	clock   Clock
}

func NewCreateSavedReplyHandler(replies SavedReplies, clock Clock) CreateSavedReplyHandler {
	return CreateSavedReplyHandler{replies: replies, clock: clock}
}

// Handle stores the reply and returns it. Errors: ErrForbidden for
// non-staff, ValidationErrors (domain.SavedReply.Change),
// ErrSavedReplyNameTaken when the scope has a reply of that name.
func (h CreateSavedReplyHandler) Handle(ctx context.Context, c CreateSavedReply) (domain.SavedReply, error) {
	if !c.Actor.IsStaff() {
		return domain.SavedReply{}, domain.ErrForbidden
	}
	r, err := domain.NewSavedReply(c.Actor, c.Name, c.Text, c.Shared, h.clock.Now())
	if err != nil {
		return domain.SavedReply{}, err
	}
	if err := h.replies.Add(ctx, &r); err != nil {
		return domain.SavedReply{}, err
	}
	return r, nil
}
