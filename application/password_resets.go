package application

import (
	"context"
	"time"

	"crm/domain"
)

// PasswordResetLifetime is how long a password-reset link may be used.
const PasswordResetLifetime = time.Hour

// PasswordResetKeep is how long a reset is kept after it expires; older
// ones of a user are deleted when the next one is issued.
const PasswordResetKeep = 7 * 24 * time.Hour

// PasswordResets stores the one-time links with which a user sets a new
// password, by the hash of the token.
type PasswordResets interface {
	// Issue stores r as the only usable reset of its user: every older
	// unused one of that user expires at r.CreatedAt.
	Issue(ctx context.Context, r domain.PasswordReset) error
	// Get returns the reset whose hash is tokenHash, used or not, or
	// ErrResetLinkInvalid for an unknown hash.
	Get(ctx context.Context, tokenHash string) (domain.PasswordReset, error)
	// Consume marks the reset whose hash is tokenHash as used at now and
	// returns it. It is atomic: of two concurrent calls with one token, one
	// wins. Errors: ErrResetLinkInvalid for an unknown, used or expired
	// reset.
	Consume(ctx context.Context, tokenHash string, now time.Time) (domain.PasswordReset, error)
}

// revokeCredentials ends every session and revokes every API token of the
// user: after a password is set by someone else's hand (the operator, a
// reset link), nothing that was logged in before keeps working.
func revokeCredentials(ctx context.Context, sessions Sessions, tokens APITokens, userID int64) error {
	if err := sessions.DeleteForUser(ctx, userID); err != nil {
		return err
	}
	if _, err := tokens.DeleteForUser(ctx, userID); err != nil {
		return err
	}
	return nil
}
