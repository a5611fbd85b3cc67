package application

import (
	"context"

	"crm/domain"
)

// GetPendingLogIn reads the login that waits for a second factor under
// the pending token of the browser.
type GetPendingLogIn struct {
	PendingToken string
}

// PendingLogIn is a right password waiting for its code. Enrol means the
// user has no second factor yet and the policy requires one: the page
// shows the new secret (Secret, URI) and asks for its first code.
type PendingLogIn struct {
	User   *domain.User
	Enrol  bool
	Secret string
	URI    string
}

type GetPendingLogInHandler struct {
	users Users
	tfs   TwoFactors
	codes OneTimeCodes
	clock Clock
}

func NewGetPendingLogInHandler(users Users, tfs TwoFactors, codes OneTimeCodes, clock Clock) GetPendingLogInHandler {
	return GetPendingLogInHandler{users: users, tfs: tfs, codes: codes, clock: clock}
}

// Handle returns the waiting login, or ErrPendingLogInNotFound when there is
// none under the token, it is over, or its user is deactivated.
func (h GetPendingLogInHandler) Handle(ctx context.Context, q GetPendingLogIn) (PendingLogIn, error) {
	tf, u, err := pendingLogIn(ctx, h.users, h.tfs, q.PendingToken, h.clock)
	if err != nil {
		return PendingLogIn{}, err
	}
	p := PendingLogIn{User: u, Enrol: !tf.Enabled()}
	if p.Enrol {
		p.Secret, p.URI = tf.Secret(), h.codes.URI(TOTPIssuer, u.Username(), tf.Secret())
	}
	return p, nil
}

// pendingLogIn finds the setting and user of a waiting login, or
// ErrPendingLogInNotFound.
func pendingLogIn(ctx context.Context, users Users, tfs TwoFactors, token string, clock Clock) (*domain.TwoFactor, *domain.User, error) {
	if token == "" {
		return nil, nil, domain.ErrPendingLogInNotFound
	}
	hash := HashToken(token)
	tf, err := tfs.GetByPendingLogIn(ctx, hash)
	if err != nil {
		return nil, nil, err
	}
	if !tf.PendingLogInValid(hash, clock.Now()) {
		return nil, nil, domain.ErrPendingLogInNotFound
	}
	u, err := users.Get(ctx, tf.UserID())
	if err != nil || !u.Active() {
		return nil, nil, domain.ErrPendingLogInNotFound
	}
	return tf, u, nil
}
