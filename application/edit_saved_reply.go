package application

import (
	"context"

	"crm/domain"
)

// EditSavedReply changes a reply's name, text and scope.
type EditSavedReply struct {
	Actor  *domain.User
	ID     int64
	Name   string
	Text   string
	Shared bool
}

type EditSavedReplyHandler struct {
	replies SavedReplies
	clock   Clock
}

func NewEditSavedReplyHandler(replies SavedReplies, clock Clock) EditSavedReplyHandler {
	return EditSavedReplyHandler{replies: replies, clock: clock}
}

// Handle saves the change. The author changes their replies; an admin
// also changes any shared one but cannot make it personal, which would
// hand it to its author's private list. Errors: ErrForbidden for
// non-staff and for a shared reply Actor may use but not change;
// ErrSavedReplyNotFound for a reply that does not exist or is a
// colleague's personal one; ValidationErrors; ErrSavedReplyNameTaken.
func (h EditSavedReplyHandler) Handle(ctx context.Context, c EditSavedReply) error {
	if _, err := visibleReply(ctx, h.replies, c.Actor, c.ID); err != nil {
		return err
	}
	return h.replies.Update(ctx, c.ID, func(r *domain.SavedReply) error {
		if !r.CanBeSeenBy(c.Actor) {
			return domain.ErrSavedReplyNotFound // made personal meanwhile
		}
		if !r.CanBeChangedBy(c.Actor) || !c.Shared && r.AuthorID != c.Actor.ID() {
			return domain.ErrForbidden
		}
		return r.Change(c.Name, c.Text, c.Shared, h.clock.Now())
	})
}
