package application

import (
	"context"
	"errors"

	"crm/domain"
)

// DisableTwoFactor turns a user's two-factor sign-in off; a current code
// (or a recovery code) confirms it.
type DisableTwoFactor struct {
	UserID int64
	Code   string
}

// DisableTwoFactorHandler handles DisableTwoFactor.
type DisableTwoFactorHandler struct {
	users  Users
	tfs    TwoFactors
	codes  OneTimeCodes
	policy TwoFactorPolicy
	clock  Clock
}

// NewDisableTwoFactorHandler returns a DisableTwoFactorHandler.
func NewDisableTwoFactorHandler(users Users, tfs TwoFactors, codes OneTimeCodes, policy TwoFactorPolicy, clock Clock) DisableTwoFactorHandler {
	return DisableTwoFactorHandler{users: users, tfs: tfs, codes: codes, policy: policy, clock: clock}
}

// Handle turns it off. Errors: ErrTwoFactorRequired when the policy makes
// it mandatory for the user, ErrTwoFactorNotFound when it is not on,
// ErrSecondFactorInvalid, SecondFactorBlockedError.
func (h DisableTwoFactorHandler) Handle(ctx context.Context, cmd DisableTwoFactor) error {
	u, err := h.users.Get(ctx, cmd.UserID)
	if err != nil {
		return err
	}
	if h.policy.Requires(u) {
		return domain.ErrTwoFactorRequired
	}
	var wrong error
	err = h.tfs.Update(ctx, u.ID(), func(tf *domain.TwoFactor) error {
		if !tf.Enabled() {
			return domain.ErrTwoFactorNotFound
		}
		if err := checkSecondFactor(tf, h.codes, cmd.Code, h.clock.Now()); err != nil {
			var blocked domain.SecondFactorBlockedError
			if errors.As(err, &blocked) {
				return err
			}
			wrong = err
		}
		return nil
	})
	if err != nil {
		return err
	}
	if wrong != nil {
		return wrong
	}
	_, err = h.tfs.Delete(ctx, u.ID())
	return err
}
