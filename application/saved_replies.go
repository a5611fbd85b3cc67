package application

import (
	"context"

	"crm/domain"
)

// SavedReplies stores the replies staff keep (domain.SavedReply). A name is
// unique, in any case, within its scope: among the shared replies, or
// among one author's personal ones.
type SavedReplies interface {
	// Add stores r and sets its ID and AuthorName. Errors:
	// ErrSavedReplyNameTaken.
	Add(ctx context.Context, r *domain.SavedReply) error
	// Get returns reply id with its author's name, or
	// ErrSavedReplyNotFound.
	Get(ctx context.Context, id int64) (domain.SavedReply, error)
	// Update loads reply id, locked against concurrent updates, calls fn
	// and saves what fn left, in one transaction. An error from fn is
	// returned and nothing is saved. Errors: ErrSavedReplyNotFound,
	// ErrSavedReplyNameTaken.
	Update(ctx context.Context, id int64, fn func(r *domain.SavedReply) error) error
	// Delete removes reply id, or returns ErrSavedReplyNotFound.
	Delete(ctx context.Context, id int64) error
	// ListFor returns the shared replies and the personal ones of the
	// user userID, by name in any case, at most MaxSavedReplies.
	ListFor(ctx context.Context, userID int64) ([]domain.SavedReply, error)
}

// MaxSavedReplies is the most replies one list holds: a choice in a
// <select> longer than that helps nobody, and the page stays bounded.
const MaxSavedReplies = 500

// visibleReply returns reply id if actor may see it, else
// ErrSavedReplyNotFound: a colleague's personal reply is as if it did not
// exist.
func visibleReply(ctx context.Context, replies SavedReplies, actor *domain.User, id int64) (domain.SavedReply, error) {
	if !actor.IsStaff() {
		return domain.SavedReply{}, domain.ErrForbidden
	}
	r, err := replies.Get(ctx, id)
	if err != nil {
		return domain.SavedReply{}, err
	}
	if !r.CanBeSeenBy(actor) {
		return domain.SavedReply{}, domain.ErrSavedReplyNotFound
	}
	return r, nil
}
