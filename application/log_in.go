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
	// PendingToken, instead of Token, means the password was right but
	// the user must still give a second factor (CompleteLogIn): no
	// session exists yet.
	PendingToken string
}

type LogInHandler struct {
	users    Users
	sessions Sessions
	hasher   PasswordHasher
	clock    Clock
	// dummyHash is checked against when the user does not exist, so that a
	// wrong username costs as long as a wrong password: it is a hash of the
	// current kind and parameters, made by the same hasher.
	dummyHash string
	// second, when set (WithSecondFactor), holds back the session of a
	// user who must give a second factor.
	second *secondFactor
}

// NewLogInHandler hashes once, for the dummy hash, and panics if that fails:
// nothing else hashes yet at construction, so it cannot be busy.
func NewLogInHandler(users Users, sessions Sessions, hasher PasswordHasher, clock Clock) LogInHandler {
	dummy, err := hasher.Hash(context.Background(), "not-a-real-password")
	if err != nil {
		panic(fmt.Sprintf("application: hash the dummy password: %v", err))
	}
	return LogInHandler{users: users, sessions: sessions, hasher: hasher, clock: clock, dummyHash: dummy}
}

// Handle returns the new session, ErrInvalidCredentials for a wrong username
// or password, ErrAccountDisabled for a deactivated account, or ErrBusy when
// too many passwords are being checked at once. A password stored in an
// older format (bcrypt) or with older parameters is hashed again in the
// current one once it has matched.
func (h LogInHandler) Handle(ctx context.Context, cmd LogIn) (LoggedIn, error) {
	u, err := h.users.GetByUsername(ctx, cmd.Username)
	if errors.Is(err, domain.ErrUserNotFound) {
		if _, err := h.hasher.Verify(ctx, h.dummyHash, cmd.Password); err != nil {
			return LoggedIn{}, fmt.Errorf("check password: %w", err)
		}
		return LoggedIn{}, domain.ErrInvalidCredentials
	}
	if err != nil {
		return LoggedIn{}, fmt.Errorf("find user: %w", err)
	}
	ok, err := h.hasher.Verify(ctx, u.PasswordHash(), cmd.Password)
	if err != nil {
		return LoggedIn{}, fmt.Errorf("check password: %w", err)
	}
	if !ok {
		return LoggedIn{}, domain.ErrInvalidCredentials
	}
	if !u.Active() {
		return LoggedIn{}, domain.ErrAccountDisabled
	}
	if h.hasher.NeedsRehash(u.PasswordHash()) {
		if err := h.rehash(ctx, u, cmd.Password); err != nil {
			return LoggedIn{}, err
		}
	}
	if h.second != nil {
		pending, err := h.second.begin(ctx, u)
		if err != nil {
			return LoggedIn{}, err
		}
		if pending != "" {
			return LoggedIn{User: u, PendingToken: pending}, nil
		}
	}
	return startSession(ctx, h.sessions, u, cmd.OldToken, h.clock.Now())
}

// startSession ends the browser's old session, if any, so that the session
// id changes at login, and starts a new one of u at now.
func startSession(ctx context.Context, sessions Sessions, u *domain.User, oldToken string, now time.Time) (LoggedIn, error) {
	if oldToken != "" {
		if err := sessions.Delete(ctx, HashToken(oldToken)); err != nil {
			return LoggedIn{}, fmt.Errorf("end old session: %w", err)
		}
	}
	token, s := newSession(ctx, u.ID(), now)
	if err := sessions.Create(ctx, s); err != nil {
		return LoggedIn{}, fmt.Errorf("create session: %w", err)
	}
	return LoggedIn{User: u, Token: token, ExpiresAt: s.ExpiresAt}, nil
}

// rehash stores password hashed in the current format, unless the password
// changed in between. When hashing is busy the upgrade waits for the next
// login: the person who just gave the right password is not refused for it.
func (h LogInHandler) rehash(ctx context.Context, u *domain.User, password string) error {
	old := u.PasswordHash()
	hash, err := h.hasher.Hash(ctx, password)
	if errors.Is(err, ErrBusy) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("rehash password: %w", err)
	}
	err = h.users.Update(ctx, u.ID(), func(stored *domain.User) error {
		if stored.PasswordHash() == old {
			stored.SetPasswordHash(hash)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store rehashed password: %w", err)
	}
	u.SetPasswordHash(hash)
	return nil
}
