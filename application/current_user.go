package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// CurrentUser finds who holds a session cookie.
type CurrentUser struct {
	Token string
}

type CurrentUserHandler struct {
	sessions Sessions
	clock    Clock
}

func NewCurrentUserHandler(sessions Sessions, clock Clock) CurrentUserHandler {
	return CurrentUserHandler{sessions: sessions, clock: clock}
}

// Handle returns the session's user, freshly loaded so that a role change
// takes effect on the next request, or ErrSessionNotFound when the session
// is unknown, expired, or its user is gone or deactivated. It records the
// use at most once per SessionTouchInterval (not at all while the storage
// is unavailable).
func (h CurrentUserHandler) Handle(ctx context.Context, q CurrentUser) (*domain.User, error) {
	if q.Token == "" {
		return nil, domain.ErrSessionNotFound
	}
	hash := HashToken(q.Token)
	// One read for both: every page asks, so it is worth one query.
	s, u, err := h.sessions.GetWithUser(ctx, hash)
	if err != nil {
		return nil, err
	}
	now := h.clock.Now()
	if s.Expired(now) {
		if err := h.sessions.Delete(ctx, hash); err != nil {
			return nil, fmt.Errorf("end expired session: %w", err)
		}
		return nil, domain.ErrSessionNotFound
	}
	if !u.Active() {
		return nil, domain.ErrSessionNotFound
	}
	if now.Sub(s.LastSeenAt) >= SessionTouchInterval {
		// Bookkeeping: a database that takes no writes now still serves
		// the session's reads.
		if err := h.sessions.Touch(ctx, hash, now); err != nil && !errors.Is(err, ErrStorageUnavailable) {
			return nil, fmt.Errorf("record session use: %w", err)
		}
	}
	return u, nil
}
