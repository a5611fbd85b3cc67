package domain

import (
	"errors"
	"time"
)

// ErrResetLinkInvalid: a password-reset link is unknown, used, expired or
// replaced by a newer one. Its holder is not told which.
var ErrResetLinkInvalid = errors.New("password reset link is not valid")

// PasswordReset lets whoever holds its token set a new password for the
// account of UserID, once, before ExpiresAt. An admin issues it for someone
// who forgot their password; only the hash of the token is stored.
type PasswordReset struct {
	TokenHash string
	UserID    int64
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    time.Time // zero: not used yet
}

// Usable reports whether the reset may still be used at now: not spent and
// not expired (a reset that a newer one replaced counts as expired).
func (p PasswordReset) Usable(now time.Time) bool {
	return p.UsedAt.IsZero() && now.Before(p.ExpiresAt)
}
