package application

import (
	"context"
	"errors"
	"time"

	"crm/domain"
)

// ErrAPITokenNotFound: no API token has that hash.
var ErrAPITokenNotFound = errors.New("api token not found")

// ErrInvalidAPIToken: the bearer token of a request is unknown, revoked, or
// belongs to an account that is gone or deactivated. The edges answer it
// with 401 without telling which.
var ErrInvalidAPIToken = errors.New("invalid api token")

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

// APIToken lets a program act as its user through the JSON API. Only the
// hash of the token is stored, so a copy of the database does not let
// anyone in.
type APIToken struct {
	ID         int64
	TokenHash  string
	UserID     int64
	Name       string // a label chosen by whoever issued it
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used
}

// APITokens stores API tokens by the hash of the token.
type APITokens interface {
	// Create stores a new token and sets its ID. A hash already stored, or
	// an unknown user, is an error.
	Create(ctx context.Context, t *APIToken) error
	// Get returns the token whose hash is tokenHash, or ErrAPITokenNotFound.
	Get(ctx context.Context, tokenHash string) (APIToken, error)
	// Touch records that the token was used at `at`; LastUsedAt never moves
	// back. An unknown hash is not an error.
	Touch(ctx context.Context, tokenHash string, at time.Time) error
	// ListForUser returns the user's tokens, newest first.
	ListForUser(ctx context.Context, userID int64) ([]APIToken, error)
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
