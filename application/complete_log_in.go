package application

import (
	"context"
	"errors"

	"crm/domain"
)

// CompleteLogIn gives the second factor of a login that waits for it: a
// TOTP code or a recovery code, or, when the login enrols, the first code
// of the new secret. OldToken is the session the browser had, if any.
type CompleteLogIn struct {
	PendingToken string
	Code         string
	OldToken     string
}

// CompletedLogIn is the new session; RecoveryCodes are set when the login
// enrolled, to be shown this once.
type CompletedLogIn struct {
	LoggedIn
	RecoveryCodes []string
}

type CompleteLogInHandler struct {
	users    Users
	sessions Sessions
	tfs      TwoFactors
	codes    OneTimeCodes
	clock    Clock
}

func NewCompleteLogInHandler(users Users, sessions Sessions, tfs TwoFactors, codes OneTimeCodes, clock Clock) CompleteLogInHandler {
	return CompleteLogInHandler{users: users, sessions: sessions, tfs: tfs, codes: codes, clock: clock}
}

// Handle starts the session once the code is right; the waiting login
// ends then. A recovery code works once. Errors: ErrPendingLogInNotFound
// (none, over, or replaced by a newer login), ErrSecondFactorInvalid (the
// wrong code is counted), SecondFactorBlockedError after
// SecondFactorMaxFailures wrong codes in a row.
func (h CompleteLogInHandler) Handle(ctx context.Context, cmd CompleteLogIn) (CompletedLogIn, error) {
	tf, u, err := pendingLogIn(ctx, h.users, h.tfs, cmd.PendingToken, h.clock)
	if err != nil {
		return CompletedLogIn{}, err
	}
	hash := HashToken(cmd.PendingToken)
	var out CompletedLogIn
	if !tf.Enabled() {
		out.RecoveryCodes, err = enableWithCode(ctx, h.tfs, h.codes, u.ID(), cmd.Code, h.clock, func(tf *domain.TwoFactor) error {
			if !tf.PendingLogInValid(hash, h.clock.Now()) {
				return domain.ErrPendingLogInNotFound
			}
			tf.EndPendingLogIn()
			return nil
		})
		if errors.Is(err, domain.ErrTwoFactorAlreadyOn) {
			err = domain.ErrPendingLogInNotFound // enabled meanwhile: log in again
		}
	} else {
		err = h.check(ctx, u.ID(), hash, cmd.Code)
	}
	if err != nil {
		return CompletedLogIn{}, err
	}
	if out.LoggedIn, err = startSession(ctx, h.sessions, u, cmd.OldToken, h.clock.Now()); err != nil {
		return CompletedLogIn{}, err
	}
	return out, nil
}

// check verifies code for the waiting login under hash and ends it.
func (h CompleteLogInHandler) check(ctx context.Context, userID int64, hash, code string) error {
	err := updateCheckingCode(ctx, h.tfs, userID, func(tf *domain.TwoFactor) error {
		now := h.clock.Now()
		if !tf.Enabled() || !tf.PendingLogInValid(hash, now) {
			return domain.ErrPendingLogInNotFound
		}
		if err := checkSecondFactor(tf, h.codes, code, now); err != nil {
			return err
		}
		tf.EndPendingLogIn()
		return nil
	})
	if errors.Is(err, domain.ErrTwoFactorNotFound) {
		return domain.ErrPendingLogInNotFound
	}
	return err
}
