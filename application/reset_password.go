package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// CheckPasswordReset finds whose password a reset link sets, so that its
// page can greet them by name before they type.
type CheckPasswordReset struct {
	Token string
}

// ResetPassword sets a new password with a one-time reset link. Every
// session and API token of the user ends.
type ResetPassword struct {
	Token           string
	Password        string
	PasswordConfirm string
}

// ResetPasswordHandler handles CheckPasswordReset and ResetPassword.
type ResetPasswordHandler struct {
	resets   PasswordResets
	users    Users
	sessions Sessions
	tokens   APITokens
	hasher   PasswordHasher
	clock    Clock
}

func NewResetPasswordHandler(resets PasswordResets, users Users, sessions Sessions, tokens APITokens,
	hasher PasswordHasher, clock Clock) ResetPasswordHandler {
	return ResetPasswordHandler{resets: resets, users: users, sessions: sessions, tokens: tokens, hasher: hasher, clock: clock}
}

// Check returns the user the link is for. Errors: ErrResetLinkInvalid for
// a link that is malformed, unknown, used or expired, or whose user is gone
// or deactivated.
func (h ResetPasswordHandler) Check(ctx context.Context, q CheckPasswordReset) (*domain.User, error) {
	if !validLinkToken(q.Token) {
		return nil, domain.ErrResetLinkInvalid
	}
	r, err := h.resets.Get(ctx, HashToken(q.Token))
	if err != nil {
		return nil, err
	}
	if !r.Usable(h.clock.Now()) {
		return nil, domain.ErrResetLinkInvalid
	}
	u, err := h.users.Get(ctx, r.UserID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil, domain.ErrResetLinkInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("load user of password reset: %w", err)
	}
	if !u.Active() {
		return nil, domain.ErrResetLinkInvalid
	}
	return u, nil
}

// Handle checks the new password, spends the link, stores the password and
// revokes the user's sessions and API tokens. A refused password leaves the
// link usable. Errors: those of Check, validation errors on "password" and
// "password_confirm", ErrBusy.
func (h ResetPasswordHandler) Handle(ctx context.Context, cmd ResetPassword) (*domain.User, error) {
	u, err := h.Check(ctx, CheckPasswordReset{Token: cmd.Token})
	if err != nil {
		return nil, err
	}
	if err := domain.ValidatePassword(u.Username(), cmd.Password, cmd.PasswordConfirm); err != nil {
		return nil, err
	}
	hash, err := h.hasher.Hash(ctx, cmd.Password)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	if _, err := h.resets.Consume(ctx, HashToken(cmd.Token), h.clock.Now()); err != nil {
		return nil, err
	}
	if err := h.users.Update(ctx, u.ID(), func(u *domain.User) error {
		u.SetPasswordHash(hash)
		return nil
	}); err != nil {
		return nil, err
	}
	if err := revokeCredentials(ctx, h.sessions, h.tokens, u.ID()); err != nil {
		return nil, fmt.Errorf("revoke sessions and api tokens of %s: %w", u.Username(), err)
	}
	return u, nil
}
