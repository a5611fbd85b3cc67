package application

import (
	"context"

	"crm/domain"
)

// DisableTwoFactor turns a user's two-factor sign-in off; a current code
// (or a recovery code) confirms it.
type DisableTwoFactor struct {
	UserID int64
	Code   string
}

type DisableTwoFactorHandler struct {
	users  Users
	tfs    TwoFactors
	codes  OneTimeCodes
	policy TwoFactorPolicy
	clock  Clock
}

func NewDisableTwoFactorHandler(users Users, tfs TwoFactors, codes OneTimeCodes, policy TwoFactorPolicy, clock Clock) DisableTwoFactorHandler {
	return DisableTwoFactorHandler{users: users, tfs: tfs, codes: codes, policy: policy, clock: clock}
}

// Handle checks the code and deletes the setting. UserID is the logged-in
// user's own: the edge passes it, and no one turns off someone else's here
// (the operator uses ResetTwoFactor). Errors: ErrUserNotFound,
// ErrTwoFactorRequired when the policy makes it mandatory for the user,
// ErrTwoFactorNotFound when it is not on, ErrSecondFactorInvalid (the wrong
// code is counted), SecondFactorBlockedError.
func (h DisableTwoFactorHandler) Handle(ctx context.Context, cmd DisableTwoFactor) error {
	u, err := h.users.Get(ctx, cmd.UserID)
	if err != nil {
		return err
	}
	if h.policy.Requires(u) {
		return domain.ErrTwoFactorRequired
	}
	err = updateCheckingCode(ctx, h.tfs, u.ID(), func(tf *domain.TwoFactor) error {
		if !tf.Enabled() {
			return domain.ErrTwoFactorNotFound
		}
		return checkSecondFactor(tf, h.codes, cmd.Code, h.clock.Now())
	})
	if err != nil {
		return err
	}
	_, err = h.tfs.Delete(ctx, u.ID())
	return err
}
