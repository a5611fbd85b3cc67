package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// AuthenticateToken finds who holds an API token (the bearer token of a
// JSON API request).
type AuthenticateToken struct {
	Token string
}

type AuthenticateTokenHandler struct {
	tokens APITokens
	users  Users
	clock  Clock
}

func NewAuthenticateTokenHandler(tokens APITokens, users Users, clock Clock) AuthenticateTokenHandler {
	return AuthenticateTokenHandler{tokens: tokens, users: users, clock: clock}
}

// Handle returns the token's user, freshly loaded so that a role change or
// a deactivation applies to the very next request, and records the use
// (at most once per APITokenTouchInterval; not at all while the storage is
// unavailable). Errors: ErrInvalidAPIToken when the token is empty, unknown
// or revoked, or its user is gone or deactivated.
func (h AuthenticateTokenHandler) Handle(ctx context.Context, q AuthenticateToken) (*domain.User, error) {
	if q.Token == "" {
		return nil, domain.ErrInvalidAPIToken
	}
	hash := HashToken(q.Token)
	t, err := h.tokens.Get(ctx, hash)
	if errors.Is(err, domain.ErrAPITokenNotFound) {
		return nil, domain.ErrInvalidAPIToken
	}
	if err != nil {
		return nil, fmt.Errorf("load api token: %w", err)
	}
	u, err := h.users.Get(ctx, t.UserID)
	if errors.Is(err, domain.ErrUserNotFound) {
		return nil, domain.ErrInvalidAPIToken
	}
	if err != nil {
		return nil, fmt.Errorf("load api token user: %w", err)
	}
	if !u.Active() {
		return nil, domain.ErrInvalidAPIToken
	}
	if now := h.clock.Now(); now.Sub(t.LastUsedAt) >= APITokenTouchInterval {
		// Recording the use is bookkeeping: a database that takes no
		// writes now still serves the token's reads.
		if err := h.tokens.Touch(ctx, hash, now); err != nil && !errors.Is(err, ErrStorageUnavailable) {
			return nil, fmt.Errorf("record api token use: %w", err)
		}
	}
	return u, nil
}
