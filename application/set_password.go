package application

import (
	"context"
	"fmt"

	"crm/domain"
)

// SetPassword replaces a user's password: the operator's recovery tool (the
// CLI's `user password`). Every session and every API token of the user
// ends.
type SetPassword struct {
	Username string
	Password string
}

type SetPasswordHandler struct {
	users    Users
	sessions Sessions
	tokens   APITokens
	hasher   PasswordHasher
}

func NewSetPasswordHandler(users Users, sessions Sessions, tokens APITokens, hasher PasswordHasher) SetPasswordHandler {
	return SetPasswordHandler{users: users, sessions: sessions, tokens: tokens, hasher: hasher}
}

// Handle sets the password and revokes the user's sessions and API tokens.
// Errors: ErrUserNotFound, validation errors on "password", ErrBusy.
func (h SetPasswordHandler) Handle(ctx context.Context, cmd SetPassword) error {
	u, err := h.users.GetByUsername(ctx, cmd.Username)
	if err != nil {
		return err
	}
	if err := domain.ValidatePassword(u.Username(), cmd.Password, cmd.Password); err != nil {
		return err
	}
	hash, err := h.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	if err := h.users.Update(ctx, u.ID(), func(u *domain.User) error {
		u.SetPasswordHash(hash)
		return nil
	}); err != nil {
		return err
	}
	if err := revokeCredentials(ctx, h.sessions, h.tokens, u.ID()); err != nil {
		return fmt.Errorf("revoke sessions and api tokens of %s: %w", u.Username(), err)
	}
	return nil
}
