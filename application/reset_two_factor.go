package application

import (
	"context"
	"fmt"
)

// ResetTwoFactor turns someone's two-factor sign-in off: the operator's
// recovery tool (`crm user reset-2fa NAME`) for a lost phone and lost
// recovery codes. Where the policy requires it, they enrol again at their
// next login.
type ResetTwoFactor struct {
	Username string
}

type ResetTwoFactorHandler struct {
	users Users
	tfs   TwoFactors
}

func NewResetTwoFactorHandler(users Users, tfs TwoFactors) ResetTwoFactorHandler {
	return ResetTwoFactorHandler{users: users, tfs: tfs}
}

// Handle reports whether there was a setting to remove. Errors:
// ErrUserNotFound.
func (h ResetTwoFactorHandler) Handle(ctx context.Context, cmd ResetTwoFactor) (bool, error) {
	u, err := h.users.GetByUsername(ctx, cmd.Username)
	if err != nil {
		return false, err
	}
	had, err := h.tfs.Delete(ctx, u.ID())
	if err != nil {
		return false, fmt.Errorf("delete two-factor setting of %s: %w", u.Username(), err)
	}
	return had, nil
}
