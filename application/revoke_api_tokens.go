package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// RevokeAPITokens revokes every API token of the user named Username.
type RevokeAPITokens struct {
	Actor    *domain.User // nil: the operator at the command line
	Username string
}

type RevokeAPITokensHandler struct {
	tokens APITokens
	users  Users
}

func NewRevokeAPITokensHandler(tokens APITokens, users Users) RevokeAPITokensHandler {
	return RevokeAPITokensHandler{tokens: tokens, users: users}
}

// Handle deletes the tokens, which stop working at once, and returns how
// many there were. Errors: ErrUserNotFound, ErrForbidden when an actor
// other than an admin names someone else.
func (h RevokeAPITokensHandler) Handle(ctx context.Context, cmd RevokeAPITokens) (int, error) {
	u, err := findTokenOwner(ctx, h.users, cmd.Actor, cmd.Username)
	if err != nil {
		return 0, err
	}
	n, err := h.tokens.DeleteForUser(ctx, u.ID())
	if err != nil {
		return 0, fmt.Errorf("revoke api tokens of %s: %w", u.Username(), err)
	}
	return n, nil
}
