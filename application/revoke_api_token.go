package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// RevokeAPIToken revokes one API token of Actor's, by its id. There is no
// admin override: an admin revokes someone else's with RevokeAPITokens.
type RevokeAPIToken struct {
	Actor *domain.User
	ID    int64
}

type RevokeAPITokenHandler struct {
	tokens APITokens
}

func NewRevokeAPITokenHandler(tokens APITokens) RevokeAPITokenHandler {
	return RevokeAPITokenHandler{tokens: tokens}
}

// Handle deletes the token, which stops working at once. Errors:
// ErrAPITokenNotFound when the actor has no token with that id (someone
// else's token included).
func (h RevokeAPITokenHandler) Handle(ctx context.Context, cmd RevokeAPIToken) error {
	if err := h.tokens.Delete(ctx, cmd.Actor.ID(), cmd.ID); err != nil {
		return fmt.Errorf("revoke api token %d: %w", cmd.ID, err)
	}
	return nil
}
