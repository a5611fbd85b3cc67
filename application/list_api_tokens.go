package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// ListAPITokens lists the API tokens of the user named Username (their
// labels and times; the tokens themselves are never stored).
type ListAPITokens struct {
	Actor    *domain.User // nil: the operator at the command line
	Username string
}

type ListAPITokensHandler struct {
	tokens APITokens
	users  Users
}

func NewListAPITokensHandler(tokens APITokens, users Users) ListAPITokensHandler {
	return ListAPITokensHandler{tokens: tokens, users: users}
}

// Handle returns the tokens, newest first. Errors: ErrUserNotFound,
// ErrForbidden when an actor other than an admin names someone else.
func (h ListAPITokensHandler) Handle(ctx context.Context, q ListAPITokens) ([]domain.APIToken, error) {
	u, err := findTokenOwner(ctx, h.users, q.Actor, q.Username)
	if err != nil {
		return nil, err
	}
	ts, err := h.tokens.ListForUser(ctx, u.ID())
	if err != nil {
		return nil, fmt.Errorf("list api tokens of %s: %w", u.Username(), err)
	}
	return ts, nil
}
