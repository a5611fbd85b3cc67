package application

import (
	"context"
	"time"

	"crm/domain"
)

// APITokenPrefix starts every API token, so that secret scanners and people
// can tell one at a glance.
const APITokenPrefix = "crm_"

// APITokenNameMaxLen is the longest label of a token.
const APITokenNameMaxLen = 100

// APITokenDefaultName labels a token issued without a name.
const APITokenDefaultName = "api"

// APITokenTouchInterval is how stale an API token's LastUsedAt may get
// before a request records it again, so that a busy script does not write
// to the database on every call.
const APITokenTouchInterval = time.Minute

// APITokens stores API tokens by the hash of the token.
type APITokens interface {
	// Create stores a new token and sets its ID. A hash already stored, or
	// an unknown user, is an error.
	Create(ctx context.Context, t *domain.APIToken) error
	// Get returns the token whose hash is tokenHash, or ErrAPITokenNotFound.
	Get(ctx context.Context, tokenHash string) (domain.APIToken, error)
	// Touch records that the token was used at `at`; LastUsedAt never moves
	// back. An unknown hash is not an error.
	Touch(ctx context.Context, tokenHash string, at time.Time) error
	// ListForUser returns the user's tokens, newest first.
	ListForUser(ctx context.Context, userID int64) ([]domain.APIToken, error)
	// Delete revokes the token id of the user userID, or returns
	// ErrAPITokenNotFound when the user has no such token.
	Delete(ctx context.Context, userID, id int64) error
	// DeleteForUser revokes every token of the user and returns how many
	// there were.
	DeleteForUser(ctx context.Context, userID int64) (int, error)
}

// findTokenOwner loads the user named username for a token command: the
// actor themself, anyone for an admin, anyone for the operator (nil
// actor). Errors: ErrUserNotFound, ErrForbidden.
func findTokenOwner(ctx context.Context, users Users, actor *domain.User, username string) (*domain.User, error) {
	u, err := users.GetByUsername(ctx, username)
	if err != nil {
		return nil, err
	}
	if actor != nil && actor.ID() != u.ID() && !actor.IsAdmin() {
		return nil, domain.ErrForbidden
	}
	return u, nil
}
