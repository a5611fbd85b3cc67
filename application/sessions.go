package application

import (
	"context"
	"time"

	"crm/domain"
)

// Sessions stores logged-in browsers by the hash of their cookie.
type Sessions interface {
	// Create stores a new session.
	Create(ctx context.Context, s domain.Session) error
	// Get returns the session whose token hashes to tokenHash, or
	// ErrSessionNotFound.
	Get(ctx context.Context, tokenHash string) (domain.Session, error)
	// GetWithUser returns the session whose token hashes to tokenHash and
	// its user, read together, or ErrSessionNotFound (also when the user
	// is gone).
	GetWithUser(ctx context.Context, tokenHash string) (domain.Session, *domain.User, error)
	// Delete ends one session; ending an unknown one is not an error.
	Delete(ctx context.Context, tokenHash string) error
	// DeleteForUser ends every session of a user.
	DeleteForUser(ctx context.Context, userID int64) error
	// DeleteExpired deletes every session that is over at now (see
	// domain.Session.Expired) and returns how many it deleted. Concurrent
	// calls are harmless: a session is deleted once.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}
