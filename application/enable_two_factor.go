package application

import (
	"context"
	"errors"

	"crm/domain"
)

// EnableTwoFactor finishes a logged-in user's enrolment with the first code
// their authenticator app shows.
type EnableTwoFactor struct {
	UserID int64
	Code   string
}

type EnableTwoFactorHandler struct {
	tfs   TwoFactors
	codes OneTimeCodes
	clock Clock
}

func NewEnableTwoFactorHandler(tfs TwoFactors, codes OneTimeCodes, clock Clock) EnableTwoFactorHandler {
	return EnableTwoFactorHandler{tfs: tfs, codes: codes, clock: clock}
}

// Handle turns two-factor sign-in on and returns the recovery codes, shown
// this once (only their hashes are stored). Errors: ErrTwoFactorAlreadyOn,
// ErrSecondFactorInvalid (also when no enrolment was started),
// SecondFactorBlockedError.
func (h EnableTwoFactorHandler) Handle(ctx context.Context, cmd EnableTwoFactor) ([]string, error) {
	codes, err := enableWithCode(ctx, h.tfs, h.codes, cmd.UserID, cmd.Code, h.clock, nil)
	if errors.Is(err, domain.ErrTwoFactorNotFound) {
		return nil, domain.ErrSecondFactorInvalid // no secret: no code can be right
	}
	return codes, err
}

// enableWithCode checks code against the enrolment of userID and turns it
// on. also, when not nil, runs in the same update after the code matched.
// A wrong code is counted and saved.
func enableWithCode(ctx context.Context, tfs TwoFactors, codes OneTimeCodes, userID int64, code string,
	clock Clock, also func(tf *domain.TwoFactor) error) ([]string, error) {
	var plain []string
	err := updateCheckingCode(ctx, tfs, userID, func(tf *domain.TwoFactor) error {
		if tf.Enabled() {
			return domain.ErrTwoFactorAlreadyOn
		}
		now := clock.Now()
		if err := checkSecondFactor(tf, codes, code, now); err != nil {
			return err
		}
		if also != nil {
			if err := also(tf); err != nil {
				return err
			}
		}
		var hashes []string
		plain, hashes = newRecoveryCodes()
		return tf.Enable(tf.LastStep(), hashes, now)
	})
	if err != nil {
		return nil, err
	}
	return plain, nil
}
