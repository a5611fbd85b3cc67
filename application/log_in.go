package application

import (
	"context"
	"errors"
	"fmt"
	"time"

	"crm/domain"
)

// SessionLifetime is how long a login lasts.
const SessionLifetime = 30 * 24 * time.Hour

// LogIn checks a username and password and starts a session. OldToken, the
// session the browser had before (if any), is ended so that the session id
// changes at login.
type LogIn struct {
	Username string
	Password string
	OldToken string
}

// LoggedIn is a new session: Token goes in the cookie, never in storage.
type LoggedIn struct {
	User      *domain.User
	Token     string
	ExpiresAt time.Time
}

// LogInHandler handles LogIn.
type LogInHandler struct {
	users    Users
	sessions Sessions
	hasher   PasswordHasher
	clock    Clock
	// dummyHash is checked against when the user does not exist, so that a
	// wrong username costs as long as a wrong password.
	dummyHash string
}

// NewLogInHandler returns a LogInHandler.
func NewLogInHandler(users Users, sessions Sessions, hasher PasswordHasher, clock Clock) LogInHandler {
	dummy, _ := hasher.Hash("not-a-real-password")
	return LogInHandler{users: users, sessions: sessions, hasher: hasher, clock: clock, dummyHash: dummy}
}

// Handle returns the new session, ErrInvalidCredentials for a wrong username
// or password, or ErrAccountDisabled for a deactivated account.
func (h LogInHandler) Handle(ctx context.Context, cmd LogIn) (LoggedIn, error) {
	u, err := h.users.GetByUsername(ctx, cmd.Username)
	if errors.Is(err, domain.ErrUserNotFound) {
		h.hasher.Verify(h.dummyHash, cmd.Password)
		return LoggedIn{}, domain.ErrInvalidCredentials
	}
	if err != nil {
		return LoggedIn{}, fmt.Errorf("find user: %w", err)
	}
	if !h.hasher.Verify(u.PasswordHash(), cmd.Password) {
		return LoggedIn{}, domain.ErrInvalidCredentials
	}
	if !u.Active() {
		return LoggedIn{}, domain.ErrAccountDisabled
	}
	if cmd.OldToken != "" {
		if err := h.sessions.Delete(ctx, HashToken(cmd.OldToken)); err != nil {
			return LoggedIn{}, fmt.Errorf("end old session: %w", err)
		}
	}
	now := h.clock.Now()
	token := NewSecretToken()
	s := domain.Session{TokenHash: HashToken(token), UserID: u.ID(), CreatedAt: now, ExpiresAt: now.Add(SessionLifetime)}
	if err := h.sessions.Create(ctx, s); err != nil {
		return LoggedIn{}, fmt.Errorf("create session: %w", err)
	}
	return LoggedIn{User: u, Token: token, ExpiresAt: s.ExpiresAt}, nil
}
