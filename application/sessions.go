package application

import (
	"context"
	"time"

	"crm/domain"
)

// SessionTouchInterval is how stale a session's LastSeenAt may get before a
// request records it again, so that browsing does not write to the
// database on every page.
const SessionTouchInterval = time.Minute

// Sessions stores logged-in browsers by the hash of their cookie.
type Sessions interface {
	// Create stores a new session; a hash already stored is an error.
	Create(ctx context.Context, s domain.Session) error
	// Get returns the session whose token hashes to tokenHash, or
	// ErrSessionNotFound.
	Get(ctx context.Context, tokenHash string) (domain.Session, error)
	// GetWithUser returns the session whose token hashes to tokenHash and
	// its user, read together, or ErrSessionNotFound (also when the user
	// is gone). The user comes without its password hash (PasswordHash is
	// empty): the user of a request never checks a password, the use cases
	// that do (LogIn, ChangePassword) read the user afresh, and so the hash
	// is not read for, nor kept with, every request.
	GetWithUser(ctx context.Context, tokenHash string) (domain.Session, *domain.User, error)
	// Touch records that the session was used at `at`; LastSeenAt never
	// moves back. An unknown hash is not an error.
	Touch(ctx context.Context, tokenHash string, at time.Time) error
	// ListForUser returns the user's sessions, the newest first.
	ListForUser(ctx context.Context, userID int64) ([]domain.Session, error)
	// Delete ends one session; ending an unknown one is not an error.
	Delete(ctx context.Context, tokenHash string) error
	// DeleteForUser ends every session of a user.
	DeleteForUser(ctx context.Context, userID int64) error
	// DeleteOthers ends every session of a user but the one whose token
	// hashes to keepHash, and returns how many it ended.
	DeleteOthers(ctx context.Context, userID int64, keepHash string) (int, error)
	// DeleteExpired deletes every session that is over at now (see
	// domain.Session.Expired) and returns how many it deleted. Concurrent
	// calls are harmless: a session is deleted once.
	DeleteExpired(ctx context.Context, now time.Time) (int, error)
}
