package application

import (
	"context"
	"errors"
	"fmt"

	"crm/domain"
)

// secondFactor is what LogIn needs of two-factor sign-in.
type secondFactor struct {
	tfs    TwoFactors
	codes  OneTimeCodes
	policy TwoFactorPolicy
	clock  Clock
}

// WithSecondFactor returns h that, after a right password, starts a login
// waiting for a second factor (LoggedIn.PendingToken, no session) when the
// user has two-factor sign-in on, or must enrol because policy requires it.
func (h LogInHandler) WithSecondFactor(tfs TwoFactors, codes OneTimeCodes, policy TwoFactorPolicy) LogInHandler {
	h.second = &secondFactor{tfs: tfs, codes: codes, policy: policy, clock: h.clock}
	return h
}

// begin returns the pending token of a login of u that must give a second
// factor, or "" when the password is enough.
func (s *secondFactor) begin(ctx context.Context, u *domain.User) (string, error) {
	tf, err := s.tfs.Get(ctx, u.ID())
	switch {
	case errors.Is(err, domain.ErrTwoFactorNotFound):
		if !s.policy.Requires(u) {
			return "", nil
		}
		if _, err := ensureTwoFactor(ctx, s.tfs, s.codes, u.ID(), s.clock); err != nil {
			return "", err
		}
	case err != nil:
		return "", fmt.Errorf("read two-factor setting: %w", err)
	case !tf.Enabled() && !s.policy.Requires(u):
		return "", nil // an enrolment begun and not finished
	}
	token := NewSecretToken()
	err = s.tfs.Update(ctx, u.ID(), func(tf *domain.TwoFactor) error {
		tf.StartPendingLogIn(HashToken(token), s.clock.Now())
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("start login waiting for a code: %w", err)
	}
	return token, nil
}
