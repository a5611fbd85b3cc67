package application

import (
	"context"
	"fmt"
	"time"

	"crm/domain"
)

// IssuePasswordReset makes a one-time link with which the user UserID sets
// a new password: an admin's way to help someone who forgot theirs, without
// e-mail. The admin hands the link over.
type IssuePasswordReset struct {
	Actor  *domain.User
	UserID int64
}

// IssuedPasswordReset is a new reset. Token is shown once and never stored.
type IssuedPasswordReset struct {
	Token     string
	User      *domain.User
	ExpiresAt time.Time
}

type IssuePasswordResetHandler struct {
	resets PasswordResets
	users  Users
	clock  Clock
}

func NewIssuePasswordResetHandler(resets PasswordResets, users Users, clock Clock) IssuePasswordResetHandler {
	return IssuePasswordResetHandler{resets: resets, users: users, clock: clock}
}

// Handle stores the hash of a new token valid for PasswordResetLifetime,
// which replaces the user's previous one, and returns the token. Errors:
// ErrForbidden for non-admins, ErrUserNotFound, ErrAccountDisabled for a
// deactivated account (reactivate it first).
func (h IssuePasswordResetHandler) Handle(ctx context.Context, cmd IssuePasswordReset) (IssuedPasswordReset, error) {
	if cmd.Actor == nil || !cmd.Actor.IsAdmin() {
		return IssuedPasswordReset{}, domain.ErrForbidden
	}
	u, err := h.users.Get(ctx, cmd.UserID)
	if err != nil {
		return IssuedPasswordReset{}, err
	}
	if !u.Active() {
		return IssuedPasswordReset{}, domain.ErrAccountDisabled
	}
	now := h.clock.Now().UTC()
	token := NewSecretToken()
	r := domain.PasswordReset{TokenHash: HashToken(token), UserID: u.ID(), CreatedAt: now, ExpiresAt: now.Add(PasswordResetLifetime)}
	if err := h.resets.Issue(ctx, r); err != nil {
		return IssuedPasswordReset{}, fmt.Errorf("issue password reset: %w", err)
	}
	return IssuedPasswordReset{Token: token, User: u, ExpiresAt: r.ExpiresAt}, nil
}
