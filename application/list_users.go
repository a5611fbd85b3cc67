package application

import (
	"context"

	"crm/domain"
)

// ListUsers lists accounts for admins.
type ListUsers struct {
	Actor *domain.User
	Query string
	Page  Page
}

type ListUsersHandler struct {
	users Users
}

func NewListUsersHandler(users Users) ListUsersHandler { return ListUsersHandler{users: users} }

// Handle returns one page of users, or ErrForbidden for non-admins.
func (h ListUsersHandler) Handle(ctx context.Context, q ListUsers) (UserPage, error) {
	if !q.Actor.IsAdmin() {
		return UserPage{}, domain.ErrForbidden
	}
	return h.users.List(ctx, UserFilter{Query: q.Query, Page: q.Page.Normalized()})
}
